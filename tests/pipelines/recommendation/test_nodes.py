"""Recommendation nodes called directly, failure cases included."""

from __future__ import annotations

import pandas as pd
import pytest

from movia.errors import ColumnContractError
from movia.evaluation.columns import ITEM_ID, USER_ID
from movia.pipelines.recommendation.nodes import (
    build_item_table,
    prepare_interactions,
    report_recommendation_metrics,
    split_interactions,
)


def test_prepare_interactions_renames_once_and_limits_items(ratings, movies) -> None:
    interactions, catalogue = prepare_interactions(
        ratings, movies, {"max_items": 5, "catalogue": "rated"}
    )
    assert interactions.columns.tolist() == [USER_ID, ITEM_ID, "rating", "timestamp"]
    top5 = ratings["movie_id"].value_counts().index[:5]
    assert set(interactions[ITEM_ID]) == set(top5)
    assert set(catalogue["movie_id"]) == set(top5)
    everything, full = prepare_interactions(ratings, movies, {"max_items": None})
    assert len(everything) == len(ratings) and len(full) == len(movies)
    with pytest.raises(ColumnContractError, match="movie_id"):
        prepare_interactions(ratings.drop(columns="movie_id"), movies, {})


def test_split_keeps_cold_users_out_of_training(ratings, movies) -> None:
    interactions, _ = prepare_interactions(ratings, movies, {})
    split = {
        "test_per_user": 3,
        "min_train": 5,
        "random_state": 0,
        "cold_start": {"fraction": 0.1, "n_revealed": 5, "min_test": 5},
    }
    train, test, revealed, hidden = split_interactions(interactions, split)
    cold = set(revealed[USER_ID])
    assert len(cold) == 6 and cold == set(hidden[USER_ID])
    assert cold.isdisjoint(set(train[USER_ID]) | set(test[USER_ID]))
    assert (test.groupby(USER_ID).size() == 3).all()
    assert len(train) + len(test) + len(revealed) + len(hidden) == len(interactions)


def test_item_table_joins_sentiment(movies, tags, reviews, movie_sentiment) -> None:
    texts, table = build_item_table(
        movies, tags, reviews, movie_sentiment,
        {"review_snippets": 1, "snippet_chars": 50, "max_tags": 3},
    )  # fmt: skip
    assert len(texts) == len(table) == len(movies)
    assert table.set_index(ITEM_ID).loc[4, "sentiment"] == pytest.approx(0.78)
    assert pd.isna(table.set_index(ITEM_ID).loc[7, "sentiment"])
    text_4 = texts.set_index(ITEM_ID).loc[4, "text"]
    assert "Tags: space." in text_4 and "Reviews: Great space opera." in text_4


def test_report_gains_and_mlflow_keys() -> None:
    ranking = pd.DataFrame(
        {
            "model": ["ease", "als", "item_knn", "hybrid", "hybrid_without_sentiment"],
            "metric": ["ndcg@10"] * 5,
            "value": [0.30, 0.28, 0.25, 0.33, 0.32],
        }
    )
    cold = pd.DataFrame(
        {"model": ["cold_start"], "metric": ["ndcg@10"], "value": [0.2]}
    )
    table, summary, mlflow_metrics = report_recommendation_metrics(
        ranking, cold, {"best_pure_cf": "ease"}, {"hybrid": {}}, {"k": 10}
    )
    assert len(table) == 6
    assert summary["hybrid_gain_over_best_pure_cf"] == pytest.approx(0.03)
    assert summary["sentiment_gain"] == pytest.approx(0.01)
    assert summary["cold_start"] == {"cold_start/ndcg@10": 0.2}
    assert mlflow_metrics["hybrid.ndcg_at_10"] == {"value": 0.33, "step": 0}
