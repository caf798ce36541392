"""Checkpoints of a training run, and the fingerprint that says whether one may be resumed.

A CPU fine-tuning run takes up to two hours; losing it to a reboot or a Ctrl-C should cost the
minutes since the last evaluation, not the run. The checkpoint holds everything the loop needs to
continue as if it had never stopped: weights, optimiser and scheduler state, the step reached,
early-stopping bookkeeping and the RNG state. A checkpoint is only resumed when its fingerprint
(hyper-parameters + training data) matches, so changing ``learning_rate`` or the data can never
silently continue an unrelated run; and a completed run is never "resumed" (a rerun retrains).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

STATE_FILE = "training_state.pt"


def training_fingerprint(params: dict, texts: Sequence[str], labels: np.ndarray) -> str:
    """sha256 of the hyper-parameters that shape training and of the training data itself."""
    digest = hashlib.sha256()
    digest.update(json.dumps(params, sort_keys=True, default=str).encode())
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    digest.update(np.asarray(labels, dtype=np.int64).tobytes())
    return digest.hexdigest()


def save_state(directory: str | os.PathLike, state: dict) -> Path:
    """Write ``state`` atomically: a crash mid-write leaves the previous checkpoint intact."""
    import torch

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / STATE_FILE
    partial = folder / (STATE_FILE + ".partial")
    torch.save(state, partial)
    partial.replace(target)
    return target


def load_resumable_state(
    directory: str | os.PathLike | None, fingerprint: str
) -> dict | None:
    """The saved state when it belongs to this very run and did not finish; else None.

    A mismatching or finished checkpoint is logged and ignored (it will be overwritten), never
    an error: starting over is always correct, only slower.
    """
    if directory is None:
        return None
    path = Path(directory) / STATE_FILE
    if not path.is_file():
        return None
    import torch

    state = torch.load(path, map_location="cpu", weights_only=False)
    if state.get("fingerprint") != fingerprint:
        logger.warning(
            "checkpoint %s belongs to other parameters or data; starting a fresh run",
            path,
        )
        return None
    if state.get("completed"):
        logger.info("checkpoint %s is of a finished run; training again", path)
        return None
    logger.info(
        "resuming from %s at step %d (epoch %d)",
        path,
        state["global_step"],
        state["epoch"],
    )
    return state
