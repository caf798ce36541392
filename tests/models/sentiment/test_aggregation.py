"""Per-movie aggregation: Bayesian smoothing and credible intervals worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from movia.errors import ColumnContractError, DataError
from movia.models.sentiment import aggregate_movie_sentiment
from movia.models.sentiment.aggregation import MOVIE_SENTIMENT_COLUMNS


def _reviews(rows: list[tuple[object, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "movie_id": pd.array([m for m, _ in rows], dtype="Int64"),
            "prob_pos": [p for _, p in rows],
        }
    )


def test_smoothing_by_hand() -> None:
    reviews = _reviews([(1, 0.9), (1, 0.7), (2, 0.2), (None, 1.0)])
    movies = aggregate_movie_sentiment(reviews, prior_strength=2.0)
    assert list(movies.columns) == MOVIE_SENTIMENT_COLUMNS
    assert movies["movie_id"].tolist() == [1, 2]  # the unlinked review is dropped
    assert movies["n_reviews"].tolist() == [2, 1]
    assert movies["mean_prob_pos"].tolist() == pytest.approx([0.8, 0.2])
    # μ = mean of linked reviews = (0.9 + 0.7 + 0.2) / 3 = 0.6
    # movie 1: (2·0.6 + 1.6) / (2 + 2) = 0.7; movie 2: (1.2 + 0.2) / 3 = 0.4667
    assert movies["smoothed_score"].tolist() == pytest.approx([0.7, 1.4 / 3])


def test_interval_is_the_beta_posterior_by_hand() -> None:
    # one review with p = 1, μ = 0.5, m = 2 → Beta(α = 1 + 1, β = 1 + 0) = Beta(2, 1),
    # whose CDF is x², so the 90 % equal-tailed interval is [√0.05, √0.95]
    movies = aggregate_movie_sentiment(
        _reviews([(7, 1.0)]), prior_strength=2.0, credible_level=0.9, global_mean=0.5
    )
    row = movies.iloc[0]
    assert row["smoothed_score"] == pytest.approx(2 / 3)
    assert row["ci_low"] == pytest.approx(math.sqrt(0.05))
    assert row["ci_high"] == pytest.approx(math.sqrt(0.95))


def test_interval_shrinks_with_more_reviews() -> None:
    few = _reviews([(1, 0.8)] * 4)
    many = _reviews([(1, 0.8)] * 400)
    narrow = aggregate_movie_sentiment(many, global_mean=0.5).iloc[0]
    wide = aggregate_movie_sentiment(few, global_mean=0.5).iloc[0]
    assert narrow["ci_high"] - narrow["ci_low"] < (wide["ci_high"] - wide["ci_low"]) / 5
    assert narrow["ci_low"] < narrow["smoothed_score"] < narrow["ci_high"]
    # many reviews: the prior hardly matters; few: pulled halfway-ish toward μ
    assert narrow["smoothed_score"] == pytest.approx((5 + 320) / 410)
    assert wide["smoothed_score"] == pytest.approx((5 + 3.2) / 14)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ColumnContractError, match="prob_pos"):
        aggregate_movie_sentiment(pd.DataFrame({"movie_id": [1]}))
    with pytest.raises(DataError, match="not a probability"):
        aggregate_movie_sentiment(_reviews([(1, 1.5)]))
    with pytest.raises(DataError, match="prior_strength"):
        aggregate_movie_sentiment(_reviews([(1, 0.5)]), prior_strength=0)


def test_no_linked_review_gives_an_empty_table() -> None:
    movies = aggregate_movie_sentiment(_reviews([(None, 0.5)]))
    assert movies.empty
    assert list(movies.columns) == MOVIE_SENTIMENT_COLUMNS
