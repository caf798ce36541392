"""Conditions a review is written for: sentiment slots, genre multi-hots, sample counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movia.errors import ConfigError, UnknownIdError
from movia.models.generation.conditioning import (
    MAX_SAMPLES,
    check_sample_count,
    genre_list,
    genre_vocabulary,
    multi_hot_genres,
    sentiment_ids,
)


def test_sentiment_ids_map_labels_and_missing_values() -> None:
    ids = sentiment_ids(["neg", "pos", None, pd.NA, np.nan], allow_unknown=True)
    assert ids.tolist() == [0, 1, 2, 2, 2]
    with pytest.raises(
        ConfigError, match="sentiment=None is not valid; choose one of: neg, pos"
    ):
        sentiment_ids(["pos", None], allow_unknown=False)
    with pytest.raises(ConfigError, match="sentiment='positive'"):
        sentiment_ids(["positive"], allow_unknown=True)


def test_genre_lists_and_vocabulary() -> None:
    rows = [np.array(["Drama", "Comedy"]), None, float("nan"), ["Action"], []]
    assert [genre_list(r) for r in rows] == [
        ["Drama", "Comedy"],
        [],
        [],
        ["Action"],
        [],
    ]
    assert genre_vocabulary(rows) == ["Action", "Comedy", "Drama"]


def test_multi_hot_genres() -> None:
    vocabulary = ["Action", "Comedy", "Drama"]
    matrix = multi_hot_genres([["Drama", "Action"], [], None], vocabulary, 3)
    assert matrix.tolist() == [[1, 0, 1], [0, 0, 0], [0, 0, 0]]
    assert multi_hot_genres(None, vocabulary, 2).tolist() == [[0, 0, 0], [0, 0, 0]]


def test_unknown_genre_names_a_close_match() -> None:
    with pytest.raises(
        UnknownIdError, match="unknown genre id.*Sci-fi.*did you mean: Sci-Fi"
    ):
        multi_hot_genres([["Sci-fi"]], ["Drama", "Sci-Fi"], 1)
    with pytest.raises(ConfigError, match="len\\(genres\\)=2"):
        multi_hot_genres([[], []], ["Drama"], 3)


@pytest.mark.parametrize("bad", [0, -1, MAX_SAMPLES + 1, 2.5, True, "10"])
def test_sample_counts_outside_the_range_fail(bad: object) -> None:
    with pytest.raises(ConfigError, match=f"an integer in 1..{MAX_SAMPLES}"):
        check_sample_count(bad)  # type: ignore[arg-type]


def test_sample_count_inside_the_range() -> None:
    assert check_sample_count(1) == 1
    assert check_sample_count(MAX_SAMPLES) == MAX_SAMPLES
