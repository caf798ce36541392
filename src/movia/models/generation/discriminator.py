"""A sentiment-aware CNN discriminator over (relaxed) one-hot token sequences.

Kim-style convolutions of several widths, max-pooled over time (as in SeqGAN and RelGAN), read
the text; a projection term (Miyato & Koyama, 2018) adds ``<embed(sentiment), features>`` to
the score, so the discriminator judges "a real review *of this sentiment*", and the generator
is pushed towards text whose sentiment matches the request. It reads one-hot rows through a
matrix product with its embedding, which works the same for real tokens and for the
generator's Gumbel-softmax vectors.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional

from movia.models.generation.conditioning import SENTIMENTS


class CNNDiscriminator(nn.Module):
    """Real-vs-generated score (a logit) for a sequence and its requested sentiment.

    Args:
        vocab_size: Width of the one-hot rows.
        embedding_dim: Token embedding width.
        filter_sizes: Convolution widths in tokens; inputs are padded to the widest.
        num_filters: Filters per width.
        dropout: Dropout on the pooled features.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int,
        filter_sizes: Sequence[int],
        num_filters: int,
        dropout: float,
    ) -> None:
        super().__init__()
        self.embedding = nn.Parameter(torch.randn(vocab_size, embedding_dim) * 0.1)
        self.convolutions = nn.ModuleList(
            nn.Conv1d(embedding_dim, num_filters, size) for size in filter_sizes
        )
        width = num_filters * len(filter_sizes)
        self.transform = nn.Linear(
            width, width
        )  # highway layer (Srivastava et al., 2015)
        self.gate = nn.Linear(width, width)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(width, 1)
        self.sentiment = nn.Embedding(len(SENTIMENTS), width)
        nn.init.zeros_(
            self.sentiment.weight
        )  # start unconditional, learn the projection
        self.min_length = max(filter_sizes)

    def forward(self, one_hot: torch.Tensor, sentiments: torch.Tensor) -> torch.Tensor:
        """Scores ``(batch,)`` for ``one_hot`` ``(batch, time, vocab)`` rows.

        Padding positions must be all-zero rows (a rollout's soft rows after ``[EOS]``).
        """
        return self._score(one_hot @ self.embedding, sentiments)

    def forward_ids(
        self, ids: torch.Tensor, mask: torch.Tensor, sentiments: torch.Tensor
    ) -> torch.Tensor:
        """Scores for real token ids ``(batch, time)``: the same as their one-hot rows.

        A row look-up instead of a ``(batch, time, vocab)`` one-hot product: identical
        result, a fraction of the memory.
        """
        return self._score(self.embedding[ids] * mask.unsqueeze(-1), sentiments)

    def _score(self, embedded: torch.Tensor, sentiments: torch.Tensor) -> torch.Tensor:
        if embedded.shape[1] < self.min_length:
            embedded = functional.pad(
                embedded, (0, 0, 0, self.min_length - embedded.shape[1])
            )
        embedded = embedded.transpose(1, 2)
        pooled = torch.cat(
            [torch.relu(conv(embedded)).amax(dim=2) for conv in self.convolutions],
            dim=1,
        )
        gate = torch.sigmoid(self.gate(pooled))
        mixed = gate * torch.relu(self.transform(pooled)) + (1 - gate) * pooled
        features = self.dropout(mixed)
        projection = (self.sentiment(sentiments) * features).sum(dim=1)
        return self.output(features).squeeze(1) + projection
