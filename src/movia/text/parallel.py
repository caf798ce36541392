"""Map a function over chunks of work, in worker processes when asked, with a progress bar.

Worker processes are *spawned*, not forked: a Kedro run holds MLflow and logging threads whose
locks a fork would copy mid-use. Spawning costs a second or two per worker (each re-imports its
module and builds its own tokenizers), which is why work is sent in chunks of hundreds of texts.
Results come back in input order.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from tqdm.auto import tqdm

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    size = max(1, int(size))
    return [items[start : start + size] for start in range(0, len(items), size)]


def _spawn_can_start() -> bool:
    """Spawned workers re-import ``__main__`` from its file: impossible for ``python -`` (stdin)."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is None or Path(main_file).exists()


def map_chunks(
    func: Callable[[T], R], chunks: Sequence[T], n_process: int = 1, desc: str = ""
) -> list[R]:
    """``[func(c) for c in chunks]``, over ``n_process`` spawned processes when > 1.

    ``func`` must be picklable (a module-level function or a ``functools.partial`` of one).
    The progress bar goes to stderr and hides itself when stderr is not a terminal.
    """
    progress = tqdm(total=len(chunks), desc=desc, unit="chunk", disable=None)
    results: list[R] = []
    with progress:
        if n_process > 1 and not _spawn_can_start():
            logger.warning(
                "__main__ has no importable file (%s): processing in this process instead of %d"
                " workers",
                sys.modules["__main__"].__file__,
                n_process,
            )
            n_process = 1
        if n_process <= 1 or len(chunks) <= 1:
            for chunk in chunks:
                results.append(func(chunk))
                progress.update()
            return results
        context = multiprocessing.get_context("spawn")
        workers = min(n_process, len(chunks))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for result in pool.map(func, chunks):
                results.append(result)
                progress.update()
    return results
