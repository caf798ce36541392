"""Sentiment nodes called directly on a tiny bilingual table, failure cases included.

Tests that train the four models (a tiny random BERT among them) are marked ``slow``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movia.errors import ConfigError
from movia.pipelines.sentiment.nodes import (
    REVIEW_SENTIMENT_COLUMNS,
    aggregate_sentiment_by_movie,
    predict_sentiment_test_sets,
    score_reviews,
    split_sentiment_reviews,
    train_sentiment_model,
)


@pytest.fixture
def split(reviews_small, sentiment_params):
    return split_sentiment_reviews(reviews_small, sentiment_params["split"])


@pytest.fixture
def models(split, sentiment_params) -> dict:
    train_en, _, train_es, _ = split
    return {
        "baseline": train_sentiment_model(train_en, sentiment_params["baseline"]),
        "tfidf_lr": train_sentiment_model(train_en, sentiment_params["tfidf_lr"]),
        "transformer": train_sentiment_model(train_en, sentiment_params["transformer"]),
        "model_es": train_sentiment_model(train_es, sentiment_params["spanish"]),
    }


def test_split_sizes_and_no_leakage(split) -> None:
    train_en, test_en, train_es, test_es = split
    assert (len(train_en), len(test_en)) == (120, 60)
    # 36 translations of train reviews + 34 of test reviews; 2 of both splits are dropped;
    # 8 SFU reviews (4 pos, 4 neg) with 30 % held out per label → 1 each
    assert set(train_es["origin_split"].dropna()) == {"train"}
    assert set(test_es["origin_split"].dropna()) == {"test"}
    assert (len(train_es), len(test_es)) == (36 + 6, 34 + 2)


@pytest.mark.slow
def test_max_train_reviews_takes_a_balanced_sample(split, sentiment_params) -> None:
    block = sentiment_params["baseline"] | {"max_train_reviews": 20}
    model = train_sentiment_model(split[0], block)
    assert model.n_train_ == 20


@pytest.mark.slow
def test_predictions_and_ensemble(split, models, sentiment_params) -> None:
    _, test_en, _, test_es = split
    evaluation = sentiment_params["evaluation"] | {
        "ensembles": {"ensemble": {"baseline": 0.5, "transformer": 0.5}}
    }
    predictions, stats = predict_sentiment_test_sets(
        test_en, test_es, *models.values(), evaluation
    )
    counts = predictions.groupby(["test_set", "model"]).size().to_dict()
    # the transformer and hence the ensemble are scored on 48 of the 60 test reviews
    assert counts == {
        ("imdb_test", "baseline"): 60,
        ("imdb_test", "tfidf_lr"): 60,
        ("imdb_test", "transformer"): 48,
        ("imdb_test", "ensemble"): 48,
        ("es_test", "model_es"): 36,
    }
    wide = predictions.pivot_table(
        index="review_id", columns="model", values="prob_pos"
    ).dropna()
    np.testing.assert_allclose(
        wide["ensemble"], (wide["baseline"] + wide["transformer"]) / 2
    )
    assert stats["throughput"]["imdb_test"]["baseline"]["reviews"] == 60
    assert stats["training"]["baseline"]["train_reviews"] == 120


@pytest.mark.slow
def test_unknown_ensemble_member_is_a_config_error(
    split, models, sentiment_params
) -> None:
    _, test_en, _, test_es = split
    evaluation = sentiment_params["evaluation"] | {"ensembles": {"e": {"svm": 1.0}}}
    with pytest.raises(ConfigError, match="svm"):
        predict_sentiment_test_sets(test_en, test_es, *models.values(), evaluation)


@pytest.mark.slow
def test_score_reviews_routes_by_language(
    reviews_small, models, sentiment_params
) -> None:
    odd = pd.DataFrame(
        {
            "review_id": ["x1", "x2"],
            "movie_id": pd.array([1, pd.NA], dtype="Int64"),
            "lang": [None, "fr"],
            "text": ["una película excelente y muy divertida", ""],
        }
    )
    reviews = pd.concat([reviews_small, odd], ignore_index=True)
    scored = score_reviews(reviews, *models.values(), sentiment_params["scoring"])
    assert list(scored.columns) == REVIEW_SENTIMENT_COLUMNS
    assert len(scored) == len(reviews)
    by_id = scored.set_index("review_id")
    # missing language detected as Spanish; empty text in an unknown language → fallback en
    assert by_id.loc["x1", ["lang", "model"]].tolist() == ["es", "model_es"]
    assert by_id.loc["x2", ["lang", "model"]].tolist() == ["en", "baseline_en"]
    assert set(scored["model"]) == {"baseline_en", "model_es"}
    assert ((scored["prob_pos"] >= 0.5) == (scored["label_pred"] == "pos")).all()
    labelled = scored.merge(reviews_small[["review_id", "label"]], on="review_id")
    labelled = labelled[labelled["label"].notna()]
    assert (labelled["label_pred"] == labelled["label"]).mean() > 0.9


@pytest.mark.slow
def test_score_reviews_with_an_unknown_model_lists_the_choices(
    reviews_small, models, sentiment_params
) -> None:
    scoring = sentiment_params["scoring"] | {"model_en": "gpt"}
    with pytest.raises(ConfigError, match="tfidf_lr"):
        score_reviews(reviews_small, *models.values(), scoring)


def test_aggregation_node_uses_its_parameters() -> None:
    review_sentiment = pd.DataFrame(
        {"movie_id": pd.array([1, 1, 2], dtype="Int64"), "prob_pos": [1.0, 0.0, 1.0]}
    )
    movies = aggregate_sentiment_by_movie(
        review_sentiment, {"prior_strength": 3.0, "credible_level": 0.5}
    )
    # μ = 2/3; movie 1: (3·2/3 + 1) / (3 + 2) = 0.6; movie 2: (2 + 1) / 4 = 0.75
    assert movies["smoothed_score"].tolist() == pytest.approx([0.6, 0.75])
