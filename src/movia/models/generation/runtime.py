"""Torch plumbing shared by the MLE and GAN loops: device choice, local seeding, progress, logs.

Seeding happens inside :func:`seeded`, which forks torch's global random state and restores it
afterwards, so training a generator never changes the randomness of whatever runs next (STYLE:
no hidden global state) while dropout and weight initialisation stay reproducible.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from movia.errors import ConfigError
from movia.progress import progress_bar

if TYPE_CHECKING:
    import torch
    from torch.utils.tensorboard import SummaryWriter

logger = logging.getLogger(__name__)
T = TypeVar("T")
DEVICES = ("auto", "cpu", "cuda")


def resolve_device(device: str) -> torch.device:
    """``auto`` picks CUDA when a GPU is visible, else the CPU; ``cuda`` without a GPU fails.

    Raises:
        ConfigError: Unknown device name, or ``cuda`` requested on a machine without one.
    """
    import torch

    name = str(device).split(":")[0]
    if name not in DEVICES:
        raise ConfigError("device", device, DEVICES)
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device", device, ["auto", "cpu"])
    return torch.device(device)


@contextmanager
def seeded(random_state: int, device: torch.device) -> Iterator[None]:
    """Run the block with torch seeded to ``random_state``; restore the outer state after."""
    import torch

    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(random_state)
        yield


@contextmanager
def torch_threads(num_threads: int | None) -> Iterator[None]:
    """Run the block with ``num_threads`` intra-op threads (None: torch's default), then restore.

    On a CPU shared with other jobs, two OpenMP threads that keep waiting for each other can
    make a small recurrent model ten times slower than one thread; the knob is a parameter.
    """
    import torch

    if num_threads is None:
        yield
        return
    if num_threads < 1:
        raise ConfigError("num_threads", num_threads, ["null", "an integer >= 1"])
    previous = torch.get_num_threads()
    torch.set_num_threads(num_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def progress(iterable: Iterable[T], *, total: int | None, desc: str) -> Iterable[T]:
    """A bar over the training steps (:func:`movia.progress.progress_bar`)."""
    return progress_bar(iterable, total=total, desc=desc, unit="step")


def summary_writer(log_dir: str | None, run_name: str) -> SummaryWriter | None:
    """A TensorBoard writer under ``log_dir/run_name``, or None when logging is off."""
    if not log_dir:
        return None
    from torch.utils.tensorboard import SummaryWriter

    path = Path(log_dir) / run_name
    path.mkdir(parents=True, exist_ok=True)
    return SummaryWriter(log_dir=str(path))


def save_checkpoint(
    checkpoint_dir: str | None, name: str, state: dict[str, Any]
) -> None:
    """Write ``state`` to ``checkpoint_dir/name.pt`` (skipped when no directory is set).

    The file is written next to its final name and renamed, so an interrupted run never
    leaves a truncated checkpoint behind.
    """
    if not checkpoint_dir:
        return
    import torch

    folder = Path(checkpoint_dir)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{name}.pt.partial"
    torch.save(state, partial)
    partial.replace(folder / f"{name}.pt")
    logger.debug("checkpoint written to %s", folder / f"{name}.pt")
