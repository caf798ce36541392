"""One progress bar for every long loop of the project (training, scoring, downloads).

A bar is drawn on stderr only when stderr is a terminal: ``kedro run`` in a shell shows it, while
logs, CI and tests stay clean (tqdm's own ``disable=None`` tests stdout, which Kedro's rich
logging does not use).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any


def progress_bar(
    iterable: Iterable[Any] | None = None,
    *,
    desc: str,
    total: int | None = None,
    unit: str = "it",
    **tqdm_kwargs: Any,
) -> Any:  # noqa: ANN401 - tqdm has no stable public type
    """A ``tqdm`` bar on stderr, silent when nobody watches; extra keywords go to tqdm."""
    from tqdm.auto import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
        **tqdm_kwargs,
    )
