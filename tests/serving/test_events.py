"""The SQLite event store and its A/B analysis, on counts worked out by hand."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest

from movia.serving.events import EventStore, VariantStats, ab_summary, compare_variants
from movia.serving.request_errors import InvalidFieldsError

REQUEST_A = "a" * 32
REQUEST_B = "b" * 32


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    events = EventStore(tmp_path / "events" / "serving.sqlite")
    yield events
    events.close()


def test_the_store_is_a_wal_sqlite_file(store: EventStore) -> None:
    assert store.query("PRAGMA journal_mode") == [("wal",)]
    assert Path(store.path).is_file()


def test_impressions_keep_rank_and_variant(store: EventStore) -> None:
    store.record_impressions(
        REQUEST_A, [10, 20, 30], variant="A", model_version="v1", mode="user"
    )
    rows = store.query(
        "SELECT movie_id, rank, variant, model_version, mode FROM impressions ORDER BY rank"
    )
    assert rows == [
        (10, 1, "A", "v1", "user"),
        (20, 2, "A", "v1", "user"),
        (30, 3, "A", "v1", "user"),
    ]


def test_feedback_is_attributed_to_the_variant_that_showed_the_movie(
    store: EventStore,
) -> None:
    store.record_impressions(
        REQUEST_B, [10], variant="B", model_version="v2", mode="preferences"
    )
    event_id = store.record_feedback(REQUEST_B, 10, "like", session_id="s1")
    assert event_id == 1
    assert store.query(
        "SELECT variant, movie_id, action, session_id FROM feedback"
    ) == [("B", 10, "like", "s1")]


def test_feedback_on_a_movie_never_shown_is_refused(store: EventStore) -> None:
    store.record_impressions(
        REQUEST_A, [10], variant="A", model_version="v1", mode="user"
    )
    with pytest.raises(InvalidFieldsError) as caught:
        store.record_feedback(REQUEST_A, 99, "click")
    assert "movie 99 was not recommended by request" in str(caught.value)
    assert store.query("SELECT COUNT(*) FROM feedback") == [(0,)]


def test_a_second_process_sees_flushed_events(store: EventStore) -> None:
    store.record_impressions(
        REQUEST_A, [1, 2], variant="A", model_version="v1", mode="user"
    )
    store.flush()
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT COUNT(*) FROM impressions").fetchone() == (2,)
    other.close()


def test_ab_summary_counts_each_action_once_per_shown_movie(store: EventStore) -> None:
    store.record_impressions(
        REQUEST_A, [1, 2, 3, 4], variant="A", model_version="v1", mode="user"
    )
    store.record_impressions(
        REQUEST_B, [1, 2], variant="B", model_version="v2", mode="user"
    )
    store.record_feedback(REQUEST_A, 1, "click")
    store.record_feedback(REQUEST_A, 1, "click")  # a double tap counts once
    store.record_feedback(REQUEST_A, 1, "like")
    store.record_feedback(REQUEST_A, 3, "dislike")
    store.record_feedback(REQUEST_B, 2, "like")
    summary = {stats.variant: stats for stats in ab_summary(store)}
    assert summary["A"] == VariantStats("A", 1, 4, clicks=1, likes=1, dislikes=1)
    assert summary["B"] == VariantStats("B", 1, 2, clicks=0, likes=1, dislikes=0)
    assert summary["A"].as_dict()["like_rate"] == 0.25
    assert summary["B"].rate("like") == 0.5


def test_two_proportion_z_test_by_hand() -> None:
    # 20/100 against 10/100: pooled p = 0.15, se = sqrt(0.15 * 0.85 * 0.02) = 0.0504975,
    # z = 0.1 / se = 1.98030, two-sided p = erfc(z / sqrt 2) = 0.04767.
    a = VariantStats("A", 10, 100, clicks=20, likes=0, dislikes=0)
    b = VariantStats("B", 10, 100, clicks=10, likes=0, dislikes=0)
    result = compare_variants(a, b, "click")
    assert result["difference"] == pytest.approx(0.1)
    assert result["z"] == pytest.approx(1.98030, abs=1e-5)
    assert result["p_value"] == pytest.approx(0.04767, abs=1e-5)


def test_no_impressions_gives_no_evidence() -> None:
    empty = VariantStats("A", 0, 0, 0, 0, 0)
    result = compare_variants(empty, empty)
    assert (result["z"], result["p_value"]) == (0.0, 1.0)
    assert math.isclose(result["rate_a"], 0.0)


def test_impressions_are_buffered_then_written_in_one_transaction(
    tmp_path: Path,
) -> None:
    events = EventStore(tmp_path / "buffered.sqlite", flush_rows=5, flush_seconds=3600)
    reader = sqlite3.connect(events.path)
    count = "SELECT COUNT(*) FROM impressions"
    events.record_impressions(
        REQUEST_A, [1, 2], variant="A", model_version="v", mode="user"
    )
    assert reader.execute(count).fetchone() == (0,)  # still buffered
    events.record_impressions(
        REQUEST_B, [1, 2, 3], variant="A", model_version="v", mode="user"
    )
    assert reader.execute(count).fetchone() == (5,)  # five rows pending: flushed
    events.record_impressions(
        REQUEST_A, [9], variant="A", model_version="v", mode="user"
    )
    events.close()  # close writes the rest
    assert reader.execute(count).fetchone() == (6,)
    reader.close()


def test_old_buffers_are_flushed_by_the_next_write(tmp_path: Path) -> None:
    events = EventStore(tmp_path / "aged.sqlite", flush_rows=1000, flush_seconds=0.0)
    events.record_impressions(
        REQUEST_A, [1], variant="A", model_version="v", mode="user"
    )
    reader = sqlite3.connect(events.path)
    assert reader.execute("SELECT COUNT(*) FROM impressions").fetchone() == (1,)
    reader.close()
    events.close()
