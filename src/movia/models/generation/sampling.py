"""Drawing token sequences from a :class:`ConditionalGRU`: plain sampling and Gumbel rollouts.

Both run the whole batch one token at a time and stop early once every sequence has emitted
``[EOS]``; positions after a sequence's ``[EOS]`` are padding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.nn import functional

from movia.errors import ConfigError
from movia.models.generation.network import ConditionalGRU
from movia.models.generation.tokenizer import BOS_ID, EOS_ID, PAD_ID


@torch.no_grad()
def sample_ids(
    network: ConditionalGRU,
    condition: torch.Tensor,
    *,
    max_tokens: int,
    temperature: float = 1.0,
    top_k: int = 0,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Ancestral sampling: ``(batch, <= max_tokens)`` ids, ``[EOS]`` included, then padding.

    Args:
        network: The generator network (put in eval mode by the caller).
        condition: ``(batch, width)`` from :meth:`ConditionalGRU.condition`.
        max_tokens: Hard length limit, ``[EOS]`` included.
        temperature: Softmax temperature; below 1 trades diversity for typicality.
        top_k: Sample among the ``k`` most likely tokens only (0 = all).
        generator: Torch random generator on the network's device, for reproducibility.
    """
    if temperature <= 0:
        raise ConfigError("temperature", temperature, ["a number > 0"])
    batch = len(condition)
    device = condition.device
    token = torch.full((batch, 1), BOS_ID, dtype=torch.long, device=device)
    finished = torch.zeros(batch, dtype=torch.bool, device=device)
    state, steps = None, []
    for _ in range(max_tokens):
        logits, state = network(token, condition, state)
        logits = logits[:, -1] / temperature
        if top_k:
            threshold = torch.topk(logits, top_k, dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < threshold, float("-inf"))
        probabilities = functional.softmax(logits, dim=-1)
        token = torch.multinomial(probabilities, 1, generator=generator)
        token = token.masked_fill(finished.unsqueeze(1), PAD_ID)
        steps.append(token)
        finished |= token.squeeze(1) == EOS_ID
        if bool(finished.all()):
            break
    return torch.cat(steps, dim=1)


def gumbel_rollout(
    network: ConditionalGRU,
    condition: torch.Tensor,
    *,
    max_tokens: int,
    inverse_temperature: float,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """A differentiable sample for the discriminator (Gumbel-softmax, as in RelGAN).

    Each step draws Gumbel noise ``g`` and feeds the hard token ``argmax(o + g)`` to the next
    step, while the discriminator sees ``softmax(beta * (o + g))``, whose gradient reaches the
    logits ``o`` (Nie et al., 2019). Positions after ``[EOS]`` are zeroed so the
    discriminator sees the same padding as in real text.

    Returns:
        ``soft`` ``(batch, time, vocab)`` relaxed one-hots (zero after ``[EOS]``) and ``hard``
        ``(batch, time)`` token ids (``[PAD]`` after ``[EOS]``); ``time <= max_tokens`` stops
        once every sequence has ended.
    """
    batch = len(condition)
    device = condition.device
    token = torch.full((batch, 1), BOS_ID, dtype=torch.long, device=device)
    alive = torch.ones(batch, dtype=torch.bool, device=device)
    state, soft_steps, hard_steps = None, [], []
    for _ in range(max_tokens):
        logits, state = network(token, condition, state)
        logits = logits[:, -1]
        uniform = torch.rand(logits.shape, generator=generator, device=device).clamp_(
            1e-10, 1.0 - 1e-7
        )
        noisy = logits - torch.log(-torch.log(uniform))
        token = noisy.argmax(dim=-1, keepdim=True)
        keep = alive.unsqueeze(1)
        soft_steps.append(functional.softmax(inverse_temperature * noisy, -1) * keep)
        hard_steps.append(token.masked_fill(~keep, PAD_ID))
        alive = alive & (token.squeeze(1) != EOS_ID)
        if not bool(alive.any()):
            break  # every sequence has ended: the rest would be padding
    return torch.stack(soft_steps, dim=1), torch.cat(hard_steps, dim=1)


def write_text_samples(
    writer: Any,
    tag: str,
    step: int,
    network: ConditionalGRU,
    decode: Callable[[Sequence[Sequence[int]]], list[str]],
    *,
    max_tokens: int,
    n_genres: int,
) -> None:
    """Write two negative and two positive samples (T = 1, no genre) to TensorBoard as text.

    Seeded by ``step`` through a local generator, so logging never shifts training's
    randomness.
    """
    device = next(network.parameters()).device
    sentiments = torch.tensor([0, 1, 0, 1], device=device)
    genres = torch.zeros((4, n_genres), device=device)
    was_training = network.training
    network.eval()
    generator = torch.Generator(device=device).manual_seed(step)
    ids = sample_ids(
        network,
        network.condition(sentiments, genres),
        max_tokens=max_tokens,
        generator=generator,
    )
    network.train(was_training)
    texts = decode(ids.cpu().tolist())
    labels = ["neg", "pos", "neg", "pos"]
    lines = [f"{label}: {text}" for label, text in zip(labels, texts, strict=True)]
    writer.add_text(tag, "  \n".join(lines), step)
