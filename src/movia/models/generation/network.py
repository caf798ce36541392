"""The generator's network: a GRU language model conditioned on sentiment and genres.

Why a GRU and not a transformer decoder: sampling is one cheap recurrent step per token (no
attention over a growing cache), which keeps generation far above 50 reviews/s on a CPU and
makes the step-by-step Gumbel-softmax rollout of the GAN affordable. The condition enters
twice: it sets the initial hidden state and is concatenated to every input embedding, so the
sentiment cannot fade out over a long blurb. The output layer is tied to the input embedding
(Press & Wolf, 2017) through a projection, which halves the parameters of the largest layer.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional

from movia.models.generation.conditioning import SENTIMENT_SLOTS
from movia.models.generation.tokenizer import PAD_ID


class ConditionalGRU(nn.Module):
    """Next-token logits given the previous tokens, a sentiment and a genre multi-hot.

    Args:
        vocab_size: Number of token ids.
        n_genres: Width of the genre multi-hot (0 turns genre conditioning off).
        embedding_dim: Token embedding width (also the tied output layer's width).
        hidden_dim: GRU state width.
        num_layers: Stacked GRU layers.
        condition_dim: Width of the sentiment embedding and of the genre projection.
        dropout: Dropout on embeddings and GRU outputs during training.
    """

    def __init__(
        self,
        vocab_size: int,
        n_genres: int,
        embedding_dim: int,
        hidden_dim: int,
        num_layers: int,
        condition_dim: int,
        dropout: float,
    ) -> None:
        super().__init__()
        self.num_layers, self.hidden_dim = num_layers, hidden_dim
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD_ID)
        self.sentiment = nn.Embedding(len(SENTIMENT_SLOTS), condition_dim)
        self.genre = (
            nn.Linear(n_genres, condition_dim, bias=False) if n_genres else None
        )
        width = condition_dim * (2 if n_genres else 1)
        self.initial = nn.Linear(width, hidden_dim * num_layers)
        self.gru = nn.GRU(
            embedding_dim + width,
            hidden_dim,
            num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(dropout)
        self.project = nn.Linear(hidden_dim, embedding_dim)
        self.output_bias = nn.Parameter(torch.zeros(vocab_size))

    @property
    def vocab_size(self) -> int:
        return self.embedding.num_embeddings

    def condition(self, sentiments: torch.Tensor, genres: torch.Tensor) -> torch.Tensor:
        """``(batch, width)`` condition vector from sentiment slots and genre multi-hots."""
        parts = [self.sentiment(sentiments)]
        if self.genre is not None:
            parts.append(self.genre(genres))
        return torch.cat(parts, dim=-1)

    def initial_state(self, condition: torch.Tensor) -> torch.Tensor:
        """``(num_layers, batch, hidden)`` starting state derived from the condition."""
        state = torch.tanh(self.initial(condition))
        return (
            state.view(len(condition), self.num_layers, self.hidden_dim)
            .transpose(0, 1)
            .contiguous()
        )

    def forward(
        self,
        inputs: torch.Tensor,
        condition: torch.Tensor,
        state: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits ``(batch, time, vocab)`` for token ids ``(batch, time)``, and the new state."""
        if state is None:
            state = self.initial_state(condition)
        embedded = self.dropout(self.embedding(inputs))
        repeated = condition.unsqueeze(1).expand(-1, inputs.shape[1], -1)
        outputs, state = self.gru(torch.cat([embedded, repeated], dim=-1), state)
        hidden = self.project(self.dropout(outputs))
        logits = functional.linear(hidden, self.embedding.weight, self.output_bias)
        return logits, state
