"""Token sequences with their conditions, and the padded tensors the loops train on.

Batches group sequences of similar length (shuffle, then sort inside buckets of a few dozen
batches): padding a 12-token blurb to the 60 tokens of its neighbour would waste most of a
CPU step, while full sorting would make every epoch see the same batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from movia.models.generation.tokenizer import BOS_ID, EOS_ID, PAD_ID

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class EncodedCorpus:
    """Token ids per text (no special tokens) with the condition of each text.

    Attributes:
        tokens: One int array per text, already cut to the model's length limit.
        sentiments: Sentiment slot per text (see ``conditioning.SENTIMENT_SLOTS``).
        genres: ``(n, n_genres)`` float32 multi-hot.
    """

    tokens: list[np.ndarray]
    sentiments: np.ndarray
    genres: np.ndarray

    def __len__(self) -> int:
        return len(self.tokens)

    def subset(self, rows: np.ndarray) -> EncodedCorpus:
        return EncodedCorpus(
            [self.tokens[i] for i in rows], self.sentiments[rows], self.genres[rows]
        )


@dataclass(frozen=True)
class Batch:
    """Teacher-forcing tensors: ``inputs`` = [BOS] + text, ``targets`` = text + [EOS]."""

    inputs: torch.Tensor
    targets: torch.Tensor
    sentiments: torch.Tensor
    genres: torch.Tensor

    @property
    def mask(self) -> torch.Tensor:
        """True where ``targets`` holds a real token (the text or its [EOS])."""
        return self.targets != PAD_ID


def make_batch(
    corpus: EncodedCorpus,
    rows: np.ndarray,
    *,
    device: torch.device,
    length: int | None = None,
) -> Batch:
    """Pad the ``rows`` of ``corpus`` to the longest one (or to ``length``) and move them."""
    import torch

    sequences = [corpus.tokens[i] for i in rows]
    width = max(len(s) for s in sequences) + 1
    width = max(width, length or 0)
    inputs = np.full((len(rows), width), PAD_ID, dtype=np.int64)
    targets = np.full((len(rows), width), PAD_ID, dtype=np.int64)
    for row, sequence in enumerate(sequences):
        inputs[row, 0] = BOS_ID
        inputs[row, 1 : len(sequence) + 1] = sequence
        targets[row, : len(sequence)] = sequence
        targets[row, len(sequence)] = EOS_ID
    return Batch(
        inputs=torch.from_numpy(inputs).to(device),
        targets=torch.from_numpy(targets).to(device),
        sentiments=torch.from_numpy(corpus.sentiments[rows]).to(device),
        genres=torch.from_numpy(corpus.genres[rows]).to(device),
    )


def bucketed_batches(
    lengths: np.ndarray, batch_size: int, rng: np.random.Generator, bucket: int = 32
) -> list[np.ndarray]:
    """Row indices per batch: random order, similar lengths within a batch."""
    order = rng.permutation(len(lengths))
    batches: list[np.ndarray] = []
    span = batch_size * bucket
    for start in range(0, len(order), span):
        chunk = order[start : start + span]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(
            chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)
        )
    return [batches[i] for i in rng.permutation(len(batches))]
