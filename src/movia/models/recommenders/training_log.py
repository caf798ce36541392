"""Progress bars and TensorBoard scalars for the recommenders' training loops (ALS, Bayesian MF).

Both are opt-in and side-effect free unless asked for: the bar writes to stderr only when it is a
terminal (so logs, CI and tests stay clean), and TensorBoard files are written only under a
folder the caller passes (the pipeline passes one from parameters, under
``data/07_model_output/tensorboard``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from movia.progress import progress_bar


def progress(
    iterable: Iterable[Any], desc: str, total: int | None = None
) -> Iterator[Any]:
    """A bar over the training epochs (:func:`movia.progress.progress_bar`)."""
    return iter(progress_bar(iterable, total=total, desc=desc, unit="epoch"))


class ScalarLog:
    """Collects ``(step, value)`` per tag in memory and mirrors them to TensorBoard if asked.

    Args:
        log_dir: Parent folder for event files, or None to keep the history in memory only.
        run_name: Sub-folder of this run (model name and seed, for example).
    """

    def __init__(self, log_dir: str | None, run_name: str) -> None:
        self.history: dict[str, list[float]] = {}
        self._writer = None
        if log_dir:
            from torch.utils.tensorboard import SummaryWriter

            path = Path(log_dir) / f"{run_name}-{time.strftime('%Y%m%dT%H%M%S')}"
            path.mkdir(parents=True, exist_ok=True)
            self._writer = SummaryWriter(log_dir=str(path))

    def add(self, tag: str, value: float, step: int) -> None:
        self.history.setdefault(tag, []).append(float(value))
        if self._writer is not None:
            self._writer.add_scalar(tag, float(value), step)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
