"""Per-item error handling for batch text processing: report the id, keep going, up to a limit.

One review that trips a tokenizer must not cost a 5-minute run, but a bug that breaks every
review must not hide behind a run that "succeeds" with empty outputs either. So batch steps
catch errors per item, record the item's id and the error, and stop with a
:class:`~movia.errors.DataError` only when the share of failures passes a configured limit.
Errors that are ours (:class:`~movia.errors.MoviaError`: missing resources, bad configuration)
are never swallowed: they would fail every item alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from movia.errors import DataError, MoviaError

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ItemFailure:
    """An item a batch step could not process, and why."""

    item_id: str
    error: str


def run_each(
    ids: Iterable[object],
    items: Iterable[T],
    func: Callable[[T], R],
    on_error: Callable[[], R],
) -> tuple[list[R], list[ItemFailure]]:
    """Apply ``func`` to each item; a failing item gets ``on_error()`` and a failure record.

    Returns:
        The results in input order, and the failures (empty when all went well).
    """
    results: list[R] = []
    failures: list[ItemFailure] = []
    for item_id, item in zip(ids, items, strict=True):
        try:
            results.append(func(item))
        except MoviaError:
            raise
        except Exception as error:  # reported with the item's id, never dropped
            failures.append(
                ItemFailure(str(item_id), f"{type(error).__name__}: {error}")
            )
            results.append(on_error())
    return results, failures


def check_failure_rate(
    failures: list[ItemFailure], total: int, max_rate: float, what: str
) -> None:
    """Log every failure; raise if more than ``max_rate`` of ``total`` items failed.

    Raises:
        DataError: Too many failures; names the first failing ids and their errors.
    """
    for failure in failures:
        logger.warning(
            "%s: could not process %s: %s", what, failure.item_id, failure.error
        )
    if total and len(failures) / total > max_rate:
        first = "; ".join(f"{f.item_id}: {f.error}" for f in failures[:3])
        raise DataError(
            f"{len(failures)} of {total} items failed (limit {max_rate:.1%}); first: {first}",
            path=what,
        )
