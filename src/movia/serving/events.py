"""An embedded event store (SQLite in WAL mode) for impressions and feedback, and A/B analysis.

Every recommendation the web API shows is logged as impressions (one row per movie and rank)
under the serving ``variant`` (a name per deployed model or experiment arm); likes, dislikes and
clicks are logged against the request that showed them. :func:`ab_summary` and
:func:`compare_variants` turn the log into per-variant rates and a two-proportion z-test, so two
models served side by side can be compared on what people did rather than on offline metrics.

SQLite in WAL mode lets several server processes append while an analyst reads, with no server
to run; ``synchronous=NORMAL`` loses at most the last transactions on power loss, which is
acceptable for analytics events.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from movia.serving.request_errors import InvalidFieldsError

ACTIONS = ("click", "like", "dislike")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS impressions (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    request_id TEXT NOT NULL,
    session_id TEXT,
    variant TEXT NOT NULL,
    model_version TEXT NOT NULL,
    mode TEXT NOT NULL,
    movie_id INTEGER NOT NULL,
    rank INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS impressions_by_request ON impressions (request_id, movie_id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    request_id TEXT NOT NULL,
    session_id TEXT,
    variant TEXT NOT NULL,
    movie_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('click', 'like', 'dislike'))
);
"""


class EventStore:
    """Append-only impressions and feedback in one SQLite file.

    One connection guarded by a lock: FastAPI runs handlers on a thread pool, and a single
    writer per process is what SQLite wants anyway; other processes share the file through WAL.

    Args:
        path: The database file (created with its folder); ``":memory:"`` for a throw-away store.
    """

    def __init__(
        self, path: str | Path, flush_rows: int = 500, flush_seconds: float = 1.0
    ) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.flush_rows = flush_rows
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._pending: list[tuple[object, ...]] = []
        self._oldest_pending = 0.0
        self._connection = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=5.0
        )
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.executescript(_SCHEMA)

    def _flush_locked(self) -> None:
        if not self._pending:
            return
        self._connection.execute("BEGIN")
        self._connection.executemany(
            "INSERT INTO impressions (ts, request_id, session_id, variant, model_version,"
            " mode, movie_id, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self._pending,
        )
        self._connection.execute("COMMIT")
        self._pending = []

    def flush(self) -> None:
        """Write buffered impressions now (reads, feedback and ``close`` do it first)."""
        with self._lock:
            self._flush_locked()

    def record_impressions(
        self,
        request_id: str,
        movie_ids: Sequence[int],
        *,
        variant: str,
        model_version: str,
        mode: str,
        session_id: str | None = None,
    ) -> None:
        """Log that ``movie_ids`` were shown, in this order, for one request.

        Rows are buffered and written in one transaction once ``flush_rows`` are pending or the
        oldest is ``flush_seconds`` old: a commit per request cost a third of the request's
        time. A crash loses at most that buffer, which analytics can afford.
        """
        now = time.time()
        rows = [
            (now, request_id, session_id, variant, model_version, mode, movie_id, rank)
            for rank, movie_id in enumerate(movie_ids, start=1)
        ]
        with self._lock:
            if not self._pending:
                self._oldest_pending = now
            self._pending.extend(rows)
            if (
                len(self._pending) >= self.flush_rows
                or now - self._oldest_pending >= self.flush_seconds
            ):
                self._flush_locked()

    def record_feedback(
        self,
        request_id: str,
        movie_id: int,
        action: str,
        session_id: str | None = None,
    ) -> int:
        """Log a reaction to a movie a request showed; returns the event id.

        Raises:
            InvalidFieldsError: The request never showed that movie (or never existed), so the
                event could not be attributed to a variant.
        """
        with self._lock:
            self._flush_locked()
            shown = self._connection.execute(
                "SELECT variant FROM impressions WHERE request_id = ? AND movie_id = ? LIMIT 1",
                (request_id, movie_id),
            ).fetchone()
            if shown is None:
                raise InvalidFieldsError(
                    [
                        (
                            "movie_id",
                            f"movie {movie_id} was not recommended by request {request_id}; "
                            "send the request_id and movie_id of a shown recommendation",
                        )
                    ]
                )
            cursor = self._connection.execute(
                "INSERT INTO feedback (ts, request_id, session_id, variant, movie_id, action)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), request_id, session_id, shown[0], movie_id, action),
            )
            return int(cursor.lastrowid or 0)

    def query(
        self, sql: str, parameters: Sequence[object] = ()
    ) -> list[tuple[object, ...]]:
        """Run a read query (analysis and tests), after writing buffered impressions."""
        with self._lock:
            self._flush_locked()
            return self._connection.execute(sql, parameters).fetchall()

    def close(self) -> None:
        """Write what is buffered and close (the WAL is checkpointed into the main file)."""
        with self._lock:
            self._flush_locked()
            self._connection.close()


@dataclass(frozen=True)
class VariantStats:
    """Counts and per-impression rates of one variant."""

    variant: str
    requests: int
    impressions: int
    clicks: int
    likes: int
    dislikes: int

    def rate(self, action: str) -> float:
        """Share of impressions that got ``action`` (0 without impressions)."""
        count = {"click": self.clicks, "like": self.likes, "dislike": self.dislikes}[
            action
        ]
        return count / self.impressions if self.impressions else 0.0

    def as_dict(self) -> dict[str, object]:
        """Counts plus rates, JSON-ready."""
        return {
            **asdict(self),
            **{f"{action}_rate": self.rate(action) for action in ACTIONS},
        }


def ab_summary(store: EventStore) -> list[VariantStats]:
    """Per-variant counts; an action counts once per shown (request, movie), not per tap."""
    shown = store.query(
        "SELECT variant, COUNT(DISTINCT request_id), COUNT(*) FROM impressions GROUP BY variant"
    )
    acted = store.query(
        "SELECT variant, action, COUNT(*) FROM (SELECT DISTINCT variant, request_id, movie_id,"
        " action FROM feedback) GROUP BY variant, action"
    )
    actions: dict[tuple[str, str], int] = {
        (str(variant), str(action)): int(count) for variant, action, count in acted
    }
    return [
        VariantStats(
            variant=str(variant),
            requests=int(requests),
            impressions=int(impressions),
            clicks=actions.get((str(variant), "click"), 0),
            likes=actions.get((str(variant), "like"), 0),
            dislikes=actions.get((str(variant), "dislike"), 0),
        )
        for variant, requests, impressions in sorted(shown)
    ]


def compare_variants(
    a: VariantStats, b: VariantStats, action: str = "like"
) -> dict[str, float]:
    """Two-proportion z-test of ``action`` per impression, variant ``a`` against ``b``.

    Impressions of one request are not independent (the same person saw them), so treat the
    p-value as optimistic; it is a screening figure, not a launch decision.

    Returns:
        ``rate_a``, ``rate_b``, ``difference`` (a - b), ``z`` and the two-sided ``p_value``.
    """
    n_a, n_b = a.impressions, b.impressions
    rate_a, rate_b = a.rate(action), b.rate(action)
    pooled = (rate_a * n_a + rate_b * n_b) / (n_a + n_b) if n_a + n_b else 0.0
    spread = (
        math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b)) if n_a and n_b else 0
    )
    z = (rate_a - rate_b) / spread if spread else 0.0
    return {
        "rate_a": rate_a,
        "rate_b": rate_b,
        "difference": rate_a - rate_b,
        "z": z,
        "p_value": math.erfc(abs(z) / math.sqrt(2)),
    }
