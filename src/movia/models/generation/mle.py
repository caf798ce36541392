"""Maximum-likelihood (teacher-forcing) training and held-out negative log-likelihood.

MLE is both the baseline of the issue and the pre-training every text GAN needs: a generator
that starts from random weights gives the discriminator nothing to learn from.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch.nn import functional

from movia.models.generation.batches import (
    Batch,
    EncodedCorpus,
    bucketed_batches,
    make_batch,
)
from movia.models.generation.network import ConditionalGRU
from movia.models.generation.runtime import progress, save_checkpoint
from movia.models.generation.tokenizer import PAD_ID

if TYPE_CHECKING:
    from torch.utils.tensorboard import SummaryWriter

logger = logging.getLogger(__name__)


def mle_loss(network: ConditionalGRU, batch: Batch) -> torch.Tensor:
    """Mean cross-entropy per real target token (padding ignored)."""
    logits, _ = network(batch.inputs, network.condition(batch.sentiments, batch.genres))
    return functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]),
        batch.targets.reshape(-1),
        ignore_index=PAD_ID,
    )


def train_mle(
    network: ConditionalGRU,
    corpus: EncodedCorpus,
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    grad_clip: float,
    device: torch.device,
    rng: np.random.Generator,
    writer: SummaryWriter | None = None,
    checkpoint_dir: str | None = None,
    on_epoch_end: Callable[[int], None] | None = None,
) -> list[dict[str, float]]:
    """Train ``network`` in place with Adam; one history row per epoch.

    The learning rate decays linearly to a tenth over the run: a short CPU budget leaves no
    room for a plateau schedule, and the late small steps are where NLL keeps improving.

    ``on_epoch_end(epoch)`` runs after each epoch (the generator logs samples there).

    Returns:
        Rows with ``epoch``, ``train_nll`` (mean per token over the epoch) and ``seconds``.
    """
    optimizer = torch.optim.Adam(network.parameters(), lr=learning_rate)
    lengths = np.array([len(t) for t in corpus.tokens])
    batches_per_epoch = -(-len(corpus) // batch_size)
    total = max(1, epochs * batches_per_epoch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 1.0 - 0.9 * min(step, total) / total
    )
    history, step = [], 0
    network.train()
    for epoch in range(1, epochs + 1):
        started, token_loss, token_count = time.perf_counter(), 0.0, 0
        batches = bucketed_batches(lengths, batch_size, rng)
        for rows in progress(batches, total=len(batches), desc=f"MLE epoch {epoch}"):
            batch = make_batch(corpus, rows, device=device)
            loss = mle_loss(network, batch)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), grad_clip)
            optimizer.step()
            schedule.step()
            n_tokens = int(batch.mask.sum())
            value = loss.item()
            token_loss += value * n_tokens
            token_count += n_tokens
            step += 1
            if writer is not None and step % 20 == 0:
                writer.add_scalar("mle/train_nll", value, step)
        row = {
            "epoch": epoch,
            "train_nll": token_loss / max(token_count, 1),
            "seconds": time.perf_counter() - started,
        }
        history.append(row)
        logger.info(
            "MLE epoch %d/%d: train NLL %.3f nats/token in %.0f s",
            epoch,
            epochs,
            row["train_nll"],
            row["seconds"],
        )
        save_checkpoint(
            checkpoint_dir,
            "mle_last",
            {"epoch": epoch, "network": network.state_dict(), "history": history},
        )
        if on_epoch_end is not None:
            on_epoch_end(epoch)
    network.eval()
    return history


@torch.no_grad()
def sequence_nll(
    network: ConditionalGRU,
    corpus: EncodedCorpus,
    *,
    batch_size: int,
    device: torch.device,
) -> tuple[np.ndarray, np.ndarray]:
    """Summed NLL (nats) and token count of each sequence, ``[EOS]`` included.

    Returned per sequence so callers can average per token or per review as they need.
    """
    network.eval()
    nll = np.zeros(len(corpus))
    counts = np.zeros(len(corpus), dtype=np.int64)
    order = np.argsort([len(t) for t in corpus.tokens], kind="stable")
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        batch = make_batch(corpus, rows, device=device)
        logits, _ = network(
            batch.inputs, network.condition(batch.sentiments, batch.genres)
        )
        losses = functional.cross_entropy(
            logits.transpose(1, 2), batch.targets, ignore_index=PAD_ID, reduction="none"
        )
        nll[rows] = losses.sum(dim=1).cpu().numpy()
        counts[rows] = batch.mask.sum(dim=1).cpu().numpy()
    return nll, counts
