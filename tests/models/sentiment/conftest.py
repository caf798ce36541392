"""Tiny synthetic corpora and a tiny randomly initialised BERT, built offline in seconds.

The corpus is separable by construction (positive reviews use words from one list, negative
ones from another, both padded with shared filler), so a model that learns anything reaches
high accuracy, and the same texts with shuffled labels give a control that must stay near
chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

POSITIVE_WORDS = "great wonderful superb brilliant moving delightful".split()
NEGATIVE_WORDS = "awful boring dreadful terrible dull tedious".split()
FILLER_WORDS = "the movie film plot was and actors story it this".split()


@dataclass(frozen=True)
class Corpus:
    train_texts: list[str]
    train_labels: list[str]
    test_texts: list[str]
    test_labels: list[str]


def _reviews(n_per_class: int, seed: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for label, words in (("pos", POSITIVE_WORDS), ("neg", NEGATIVE_WORDS)):
        for _ in range(n_per_class):
            chosen = list(rng.choice(words, size=2)) + list(
                rng.choice(FILLER_WORDS, size=6)
            )
            rng.shuffle(chosen)
            texts.append(" ".join(chosen))
            labels.append(label)
    order = rng.permutation(len(texts))
    return [texts[i] for i in order], [labels[i] for i in order]


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """120 training and 60 test reviews, balanced."""
    train_texts, train_labels = _reviews(60, seed=1)
    test_texts, test_labels = _reviews(30, seed=2)
    return Corpus(train_texts, train_labels, test_texts, test_labels)


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer, 32-wide BERT with a word-level vocabulary of the corpus, saved to a folder."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    folder = tmp_path_factory.mktemp("tiny-bert")
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokens += POSITIVE_WORDS + NEGATIVE_WORDS + FILLER_WORDS
    BertTokenizer(vocab={t: i for i, t in enumerate(tokens)}).save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(tokens),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    return folder
