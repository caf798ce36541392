"""Entry checks of the evaluation contract: columns present, no NaN, one row per pair.

Splitters, metrics and recommenders call these first, so a frame that breaks the contract fails
at the door with the dataset, row and column in the message, instead of deep inside a merge.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from movia.errors import ColumnContractError, DataError
from movia.evaluation.columns import ITEM_ID, USER_ID


def require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise :class:`ColumnContractError` naming every missing column of ``frame``.

    Args:
        frame: The frame to check.
        columns: Columns the next step reads.
        name: What the frame is ("truth", "interactions" ...); it leads the message.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ColumnContractError(
            f"expected a pandas DataFrame, got {type(frame).__name__}", path=name
        )
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ColumnContractError(
            f"missing column(s) {missing}; found {list(frame.columns)}",
            path=name,
            field=missing[0],
        )


def require_finite(frame: pd.DataFrame, column: str, name: str) -> None:
    """Raise :class:`DataError` at the first NaN or infinite value of a numeric column.

    A NaN score sorts arbitrarily and a NaN rating poisons every mean, so neither may pass.
    """
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{int(bad.sum())} value(s) are NaN, infinite or not numeric "
            f"(first: {frame[column].iloc[first]!r})",
            path=name,
            row=_label(frame, first),
            field=column,
        )


def require_unique_pairs(
    frame: pd.DataFrame, name: str, columns: tuple[str, str] = (USER_ID, ITEM_ID)
) -> None:
    """Raise :class:`DataError` at the first repeated (user, item) pair.

    A user who rated a film twice would count twice as relevant and twice as a hit; the caller
    decides which rating wins (for example the latest), never a metric.
    """
    duplicated = frame.duplicated(list(columns), keep="first").to_numpy()
    if duplicated.any():
        first = int(np.flatnonzero(duplicated)[0])
        pair = tuple(frame[list(columns)].iloc[first])
        raise DataError(
            f"{int(duplicated.sum())} duplicate ({', '.join(columns)}) pair(s), "
            f"first {pair}; keep one row per pair (e.g. the latest rating)",
            path=name,
            row=_label(frame, first),
            field=columns[1],
        )


def _label(frame: pd.DataFrame, position: int) -> int | str:
    label = frame.index[position]
    return int(label) if isinstance(label, (int, np.integer)) else str(label)
