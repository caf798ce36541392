"""Adversarial fine-tuning of an MLE generator (RelGAN-style Gumbel-softmax, RSGAN loss).

Why Gumbel-softmax rather than SeqGAN's policy gradient: SeqGAN needs Monte-Carlo rollouts for
every prefix (``T x 16`` extra sequences per step), which a 2-core CPU cannot afford; the
relaxation gives the generator a gradient from one rollout (Nie et al., 2019, "RelGAN").
Stabilisers, all parameters: the discriminator is pre-trained against the MLE generator before
the generator moves (on nearly one-hot samples, ``inverse_temperature_end``, so it learns what
the text says rather than how soft the relaxation is); the relativistic standard loss
(Jolicoeur-Martineau, 2019) keeps gradients alive when the discriminator wins; the generator's
loss mixes in the MLE loss on real text (``mle_weight``) so it cannot drift into a degenerate
mode; the generator's learning rate is small next to MLE's; the Gumbel inverse temperature is
annealed exponentially. A "mismatch" term teaches the discriminator that a real review paired
with the *opposite* sentiment is worse than with its own, which is what pushes the generator
towards label control.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from movia.errors import ConfigError
from movia.models.generation.generator import ReviewGenerator, check_aligned
from movia.models.generation.runtime import (
    progress,
    resolve_device,
    save_checkpoint,
    seeded,
    summary_writer,
    torch_threads,
)

if TYPE_CHECKING:
    import torch

    from movia.models.generation.batches import Batch
    from movia.models.generation.discriminator import CNNDiscriminator
    from movia.models.generation.network import ConditionalGRU

logger = logging.getLogger(__name__)


def annealed_inverse_temperature(
    step: int, total: int, start: float, end: float
) -> float:
    """Exponential schedule from ``start`` (step 0) to ``end`` (last step), as in RelGAN."""
    if total <= 1:
        return end
    return start * (end / start) ** (step / (total - 1))


def _relativistic_loss(preferred: torch.Tensor, other: torch.Tensor) -> torch.Tensor:
    """RSGAN: ``-log sigmoid(preferred - other)``, averaged over the batch."""
    from torch.nn import functional

    return functional.softplus(other - preferred).mean()


def discriminator_loss(
    discriminator: CNNDiscriminator,
    batch: Batch,
    fake: torch.Tensor,
    *,
    mismatch_weight: float,
) -> torch.Tensor:
    """Real text should outscore generated text of the same requested sentiment, and its
    own label should outscore the opposite one (weighted by ``mismatch_weight``)."""
    ids, mask, fake = _same_length(batch, fake)
    real = discriminator.forward_ids(ids, mask, batch.sentiments)
    loss = _relativistic_loss(real, discriminator(fake, batch.sentiments))
    if mismatch_weight:
        swapped = discriminator.forward_ids(ids, mask, 1 - batch.sentiments)
        loss = loss + mismatch_weight * _relativistic_loss(real, swapped)
    return loss


def _same_length(
    batch: Batch, fake: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Real ids, their mask and the fake rows zero-padded to one length.

    Convolutions see the same amount of padding on both sides, so the discriminator cannot
    tell real from generated text by length of padding alone.
    """
    from torch.nn import functional

    width = max(batch.targets.shape[1], fake.shape[1])
    real_pad = width - batch.targets.shape[1]
    ids = functional.pad(batch.targets, (0, real_pad))
    mask = functional.pad(batch.mask, (0, real_pad))
    fake = functional.pad(fake, (0, 0, 0, width - fake.shape[1]))
    return ids, mask, fake


def adversarial_step(
    network: ConditionalGRU,
    discriminator: CNNDiscriminator,
    generator_optimizer: torch.optim.Optimizer,
    discriminator_optimizer: torch.optim.Optimizer,
    batch: Batch,
    *,
    max_tokens: int,
    inverse_temperature: float,
    mle_weight: float,
    mismatch_weight: float,
    grad_clip: float,
    update_generator: bool = True,
    generator: torch.Generator | None = None,
) -> dict[str, float]:
    """One discriminator update, then (unless pre-training) one generator update.

    Args:
        network: The generator network, trained in place.
        discriminator: Trained in place.
        generator_optimizer: Optimiser over ``network``'s parameters.
        discriminator_optimizer: Optimiser over ``discriminator``'s parameters.
        batch: Real texts with their conditions.
        max_tokens: Rollout length.
        inverse_temperature: Gumbel-softmax ``beta`` for this step.
        mle_weight: Weight of the MLE loss on ``batch`` in the generator's loss.
        mismatch_weight: Weight of the wrong-sentiment term in the discriminator's loss.
        grad_clip: Gradient norm clipping for both networks.
        update_generator: False during discriminator pre-training.
        generator: Torch random generator for the Gumbel noise.

    Returns:
        ``d_loss``, and with ``update_generator`` also ``g_adv_loss`` and ``g_mle_nll``.
    """
    import torch

    from movia.models.generation.mle import mle_loss
    from movia.models.generation.sampling import gumbel_rollout

    condition_inputs = (batch.sentiments, batch.genres)
    network.train()
    discriminator.train()
    with torch.no_grad():
        fake, _ = gumbel_rollout(
            network,
            network.condition(*condition_inputs),
            max_tokens=max_tokens,
            inverse_temperature=inverse_temperature,
            generator=generator,
        )
    d_loss = discriminator_loss(
        discriminator, batch, fake, mismatch_weight=mismatch_weight
    )
    discriminator_optimizer.zero_grad(set_to_none=True)
    d_loss.backward()
    torch.nn.utils.clip_grad_norm_(discriminator.parameters(), grad_clip)
    discriminator_optimizer.step()
    losses = {"d_loss": d_loss.item()}
    if not update_generator:
        return losses

    fake, _ = gumbel_rollout(
        network,
        network.condition(*condition_inputs),
        max_tokens=max_tokens,
        inverse_temperature=inverse_temperature,
        generator=generator,
    )
    ids, mask, fake = _same_length(batch, fake)
    real_score = discriminator.forward_ids(ids, mask, batch.sentiments)
    adversarial = _relativistic_loss(
        discriminator(fake, batch.sentiments), real_score.detach()
    )
    mle = mle_loss(network, batch)
    g_loss = adversarial + mle_weight * mle
    generator_optimizer.zero_grad(set_to_none=True)
    discriminator_optimizer.zero_grad(set_to_none=True)  # its grads here are unused
    g_loss.backward()
    torch.nn.utils.clip_grad_norm_(network.parameters(), grad_clip)
    generator_optimizer.step()
    losses.update(g_adv_loss=adversarial.item(), g_mle_nll=mle.item())
    return losses


class ReviewGAN(BaseEstimator):
    """Fine-tunes a fitted :class:`ReviewGenerator` against a CNN discriminator.

    ``fit`` takes the MLE generator as a keyword argument rather than a constructor parameter:
    scikit-learn's ``clone`` would otherwise hand over an unfitted copy.

    Args:
        steps: Adversarial steps (each: one discriminator and one generator update).
        pretrain_steps: Discriminator-only steps against the MLE generator first.
        batch_size: Real and generated sequences per step.
        generator_lr: Adam learning rate of the generator (small: it starts from MLE).
        discriminator_lr: Adam learning rate of the discriminator.
        mle_weight: Weight of the MLE loss mixed into the generator's loss.
        mismatch_weight: Weight of the wrong-sentiment term of the discriminator.
        inverse_temperature_start: Gumbel-softmax ``beta`` at the first step.
        inverse_temperature_end: ``beta`` at the last step (exponential schedule).
        embedding_dim: Discriminator token embedding width.
        filter_sizes: Discriminator convolution widths.
        num_filters: Filters per width.
        dropout: Discriminator dropout.
        grad_clip: Gradient norm clipping.
        sample_every: Steps between TensorBoard samples and checkpoints.
        device: ``auto``, ``cpu`` or ``cuda``.
        num_threads: CPU threads for torch during fit (None: torch's default).
        random_state: Seed of the discriminator's initialisation, batches and noise.
        log_dir: TensorBoard folder (None: off).
        checkpoint_dir: Checkpoint folder (None: off).
    """

    def __init__(
        self,
        steps: int = 200,
        pretrain_steps: int = 50,
        batch_size: int = 64,
        generator_lr: float = 1e-4,
        discriminator_lr: float = 1e-4,
        mle_weight: float = 1.0,
        mismatch_weight: float = 1.0,
        inverse_temperature_start: float = 1.0,
        inverse_temperature_end: float = 100.0,
        embedding_dim: int = 64,
        filter_sizes: Sequence[int] = (2, 3, 4, 5),
        num_filters: int = 64,
        dropout: float = 0.25,
        grad_clip: float = 5.0,
        sample_every: int = 50,
        device: str = "auto",
        num_threads: int | None = None,
        random_state: int = 0,
        log_dir: str | None = None,
        checkpoint_dir: str | None = None,
    ) -> None:
        self.steps = steps
        self.pretrain_steps = pretrain_steps
        self.batch_size = batch_size
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.mle_weight = mle_weight
        self.mismatch_weight = mismatch_weight
        self.inverse_temperature_start = inverse_temperature_start
        self.inverse_temperature_end = inverse_temperature_end
        self.embedding_dim = embedding_dim
        self.filter_sizes = filter_sizes
        self.num_filters = num_filters
        self.dropout = dropout
        self.grad_clip = grad_clip
        self.sample_every = sample_every
        self.device = device
        self.num_threads = num_threads
        self.random_state = random_state
        self.log_dir = log_dir
        self.checkpoint_dir = checkpoint_dir

    def fit(
        self,
        texts: Sequence[str],
        sentiments: Sequence[str],
        genres: Sequence[object] | None = None,
        *,
        generator: ReviewGenerator,
    ) -> Self:
        """Train the discriminator and a copy of ``generator``'s network adversarially.

        Args:
            texts: Labelled real texts (the same cut as the generator's training texts).
            sentiments: ``neg``/``pos`` per text.
            genres: Genre names per text, or None.
            generator: A fitted MLE generator; it is not modified.

        Sets ``generator_`` (a :class:`ReviewGenerator` with the adversarially trained
        network), ``discriminator_``, ``history_`` and ``fit_seconds_``.

        Raises:
            DataError: Empty or misaligned corpus; ConfigError: bad step counts or device.
        """
        import torch

        from movia.models.generation.batches import make_batch
        from movia.models.generation.discriminator import CNNDiscriminator

        check_is_fitted(generator, "network_")
        check_aligned(texts, sentiments=sentiments, genres=genres)
        for name in ("steps", "pretrain_steps"):
            if getattr(self, name) < 0:
                raise ConfigError(name, getattr(self, name), ["an integer >= 0"])
        started = time.perf_counter()
        device = resolve_device(self.device)
        corpus = generator.encode(texts, sentiments, genres)
        max_tokens = generator.max_tokens
        rng = np.random.default_rng(self.random_state)
        writer = summary_writer(self.log_dir, "gan")
        history: list[dict[str, float]] = []
        with seeded(self.random_state, device), torch_threads(self.num_threads):
            network = copy.deepcopy(generator.network_).to(device)
            discriminator = CNNDiscriminator(
                vocab_size=network.vocab_size,
                embedding_dim=self.embedding_dim,
                filter_sizes=tuple(self.filter_sizes),
                num_filters=self.num_filters,
                dropout=self.dropout,
            ).to(device)
            g_optimizer = torch.optim.Adam(network.parameters(), lr=self.generator_lr)
            d_optimizer = torch.optim.Adam(
                discriminator.parameters(), lr=self.discriminator_lr
            )
            noise = torch.Generator(device=device).manual_seed(self.random_state)
            total = self.pretrain_steps + self.steps
            for step in progress(range(total), total=total, desc="GAN"):
                adversarial = step >= self.pretrain_steps
                rows = rng.choice(
                    len(corpus), min(self.batch_size, len(corpus)), replace=False
                )
                beta = (
                    annealed_inverse_temperature(
                        step - self.pretrain_steps,
                        self.steps,
                        self.inverse_temperature_start,
                        self.inverse_temperature_end,
                    )
                    if adversarial
                    else self.inverse_temperature_end
                )
                losses = adversarial_step(
                    network,
                    discriminator,
                    g_optimizer,
                    d_optimizer,
                    make_batch(corpus, rows, device=device),
                    max_tokens=max_tokens,
                    inverse_temperature=beta,
                    mle_weight=self.mle_weight,
                    mismatch_weight=self.mismatch_weight,
                    grad_clip=self.grad_clip,
                    update_generator=adversarial,
                    generator=noise,
                )
                history.append({"step": step + 1, "beta": beta, **losses})
                self._log_step(writer, history[-1], generator, network)
                if (step + 1) % self.sample_every == 0 or step + 1 == total:
                    save_checkpoint(
                        self.checkpoint_dir,
                        "gan_last",
                        {
                            "step": step + 1,
                            "generator": network.state_dict(),
                            "discriminator": discriminator.state_dict(),
                        },
                    )
        if writer is not None:
            writer.close()
        self.discriminator_ = discriminator.cpu().eval()
        self.history_ = history
        self.fit_seconds_ = time.perf_counter() - started
        self.generator_ = generator.with_network(
            network,
            fit_seconds_=generator.fit_seconds_ + self.fit_seconds_,
            adversarial_history_=history,
        )
        last = history[-1] if history else {}
        logger.info(
            "GAN: %d + %d steps in %.0f s on %s (last d_loss %.3f, g_mle_nll %s)",
            self.pretrain_steps,
            self.steps,
            self.fit_seconds_,
            device,
            last.get("d_loss", float("nan")),
            f"{last['g_mle_nll']:.3f}" if "g_mle_nll" in last else "n/a",
        )
        return self

    def _log_step(
        self,
        writer: Any,
        row: dict[str, float],
        generator: ReviewGenerator,
        network: ConditionalGRU,
    ) -> None:
        """Losses every step; a few decoded samples every ``sample_every`` steps."""
        if writer is None:
            return
        from movia.models.generation.sampling import write_text_samples

        step = int(row["step"])
        for name, value in row.items():
            if name != "step":
                writer.add_scalar(f"gan/{name}", value, step)
        if step % self.sample_every == 0:
            write_text_samples(
                writer,
                "gan/samples",
                step,
                network,
                generator.tokenizer_.decode,
                max_tokens=generator.max_tokens,
                n_genres=len(generator.genres_),
            )
