"""Tiny synthetic review corpora for the generation tests: two sentiments, fixed vocabulary.

Positive and negative texts share a frame ("the film was ...") and differ in a few words, so a
model that reads the condition can learn them in seconds and a test can tell whether it did.
"""

from __future__ import annotations

import pytest

POSITIVE = [
    "the film was great and the cast was wonderful .",
    "a great story with a wonderful ending .",
    "i loved this film , the acting was great .",
    "wonderful music and a great cast .",
]
NEGATIVE = [
    "the film was awful and the cast was terrible .",
    "an awful story with a terrible ending .",
    "i hated this film , the acting was awful .",
    "terrible music and an awful cast .",
]


@pytest.fixture(scope="session")
def tiny_corpus() -> tuple[list[str], list[str], list[list[str]]]:
    """48 texts: the 8 sentences six times each, most with genres (shared: do not mutate)."""
    texts = (POSITIVE + NEGATIVE) * 6
    sentiments = (["pos"] * len(POSITIVE) + ["neg"] * len(NEGATIVE)) * 6
    genres = [["Comedy"] if i % 2 else ["Drama", "Comedy"] for i in range(len(texts))]
    genres[::3] = [[] for _ in genres[::3]]
    return texts, sentiments, genres


@pytest.fixture(scope="session")
def tiny_generator_params() -> dict:
    """A generator small enough to train in about a second on one core."""
    return {
        "max_tokens": 16,
        "embedding_dim": 16,
        "hidden_dim": 32,
        "condition_dim": 4,
        "dropout": 0.0,
        "batch_size": 8,
        "learning_rate": 0.01,
        "device": "cpu",
        "num_threads": 1,  # small tensors: a second thread only adds waiting
        "random_state": 0,
    }
