"""Content profiles, hybrid blending and validation-split tuning."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from movia.errors import ColumnContractError, ConfigError
from movia.evaluation.columns import ITEM_ID, RATING, USER_ID
from movia.models.recommenders import (
    ContentRecommender,
    EASERecommender,
    HybridRecommender,
    PopularityRecommender,
)
from movia.models.recommenders.content import preference_weights
from movia.models.recommenders.hybrid import sentiment_vector, standardise_rows
from movia.models.recommenders.tuning import grid_search, tune_blend


def test_preference_weights_by_hand() -> None:
    ratings = sp.csr_matrix(np.array([[5.0, 3.0, 0.0], [4.0, 4.0, 4.0]]))
    centred = preference_weights(ratings, "centered").toarray()
    # user 0: mean 4 → +1, -1; user 1: all equal → uniform 1s.
    assert centred.tolist() == [[1.0, -1.0, 0.0], [1.0, 1.0, 1.0]]
    assert preference_weights(ratings, "uniform").toarray()[0].tolist() == [1, 1, 0]
    with pytest.raises(ConfigError):
        preference_weights(ratings, "tfidf")


def test_content_ranks_by_cosine_and_reaches_unrated_items(
    two_clusters, catalogue
) -> None:
    model = ContentRecommender().fit(two_clusters, catalogue)
    # user 1 likes 1 and 2 (5 stars) more than 7 (3 stars): the profile points to [1, 0]-ish;
    # item 8 ([0.95, 0.05]) was never rated and still comes first.
    recs = model.recommend([1], k=2)
    assert recs[ITEM_ID].tolist() == [8, 3]
    scores = model.score([1], [8])[0, 0]
    profile = model.profiles_[0]
    assert scores == pytest.approx(
        profile @ (np.array([0.95, 0.05]) / np.hypot(0.95, 0.05))
    )


def test_content_needs_embeddings(two_clusters, catalogue) -> None:
    with pytest.raises(ColumnContractError, match="embedding"):
        ContentRecommender().fit(two_clusters)
    with pytest.raises(ColumnContractError, match="vectors"):
        ContentRecommender(embedding_column="vectors").fit(two_clusters, catalogue)


def test_standardise_rows_by_hand() -> None:
    scores = np.array([[1.0, 2.0, 3.0, 100.0]])
    out = standardise_rows(scores, np.array([True, True, True, False]))
    assert out[0, :3] == pytest.approx([-np.sqrt(1.5), 0.0, np.sqrt(1.5)])
    assert out[0, 3] == 0.0


def test_sentiment_vector_standardises_and_fills_zero(catalogue) -> None:
    vector = sentiment_vector(catalogue, np.array([1, 8, 6]), "sentiment")
    raw = catalogue["sentiment"].dropna().to_numpy(dtype=float)
    assert vector[0] == pytest.approx((0.8 - raw.mean()) / raw.std())
    assert vector[1] == 0.0


def test_hybrid_with_one_weight_equals_its_component(two_clusters, catalogue) -> None:
    components = {"ease": EASERecommender(l2=1.0), "content": ContentRecommender()}
    hybrid = HybridRecommender(components, weights={"ease": 1.0}).fit(
        two_clusters, catalogue
    )
    ease = EASERecommender(l2=1.0).fit(two_clusters, catalogue)
    assert (
        hybrid.recommend([1, 5], k=3)[ITEM_ID].tolist()
        == ease.recommend([1, 5], k=3)[ITEM_ID].tolist()
    )
    # content alone can reach the never-rated item 8, which EASE cannot.
    content_only = hybrid.set_params(weights={"content": 1.0})
    assert 8 in set(content_only.recommend([1], k=2)[ITEM_ID])


def test_hybrid_sentiment_weight_shifts_scores(two_clusters, catalogue) -> None:
    hybrid = HybridRecommender(
        {"pop": PopularityRecommender()}, weights={"pop": 0.0}, sentiment_weight=1.0
    ).fit(two_clusters, catalogue)
    # with no other signal, the best-reviewed unseen film wins: item 3 (0.9).
    assert hybrid.recommend([1], k=1)[ITEM_ID].tolist() == [3]
    with pytest.raises(ConfigError, match="weights"):
        hybrid.blend(hybrid.component_scores(np.array([0])), {"svd": 1.0})
    with pytest.raises(ConfigError, match="components"):
        HybridRecommender().fit(two_clusters)


def test_grid_search_picks_the_best_point(two_clusters, catalogue) -> None:
    train = two_clusters[~((two_clusters[USER_ID] == 2) & (two_clusters[ITEM_ID] == 3))]
    validation = pd.DataFrame({USER_ID: [2], ITEM_ID: [3], RATING: [5.0]})
    best, table = grid_search(
        EASERecommender(), {"l2": [1.0, 10.0]}, train, validation, catalogue, k=1
    )
    assert len(table) == 2 and best["l2"] in (1.0, 10.0)
    assert table["ndcg@k"].max() == 1.0


def test_tune_blend_finds_the_useful_component(two_clusters, catalogue) -> None:
    train = two_clusters[~((two_clusters[USER_ID] == 2) & (two_clusters[ITEM_ID] == 3))]
    validation = pd.DataFrame({USER_ID: [2], ITEM_ID: [3], RATING: [5.0]})
    hybrid = HybridRecommender(
        {"pop": PopularityRecommender(), "ease": EASERecommender(l2=1.0)}
    ).fit(train, catalogue)
    weights, sentiment, table = tune_blend(hybrid, validation, [0.0, 5.0], [0.0], k=1)
    # popularity alone recommends item 4 to user 2; EASE's weight must be the larger one.
    assert weights == {"pop": 1.0, "ease": 5.0} and sentiment == 0.0
    assert len(table) == 2


def test_fast_blend_metric_matches_evaluate_ranking() -> None:
    from movia.evaluation.metrics import evaluate_ranking
    from movia.models.recommenders.tuning import _ranking_value, _relevance_matrix

    rng = np.random.default_rng(3)
    users, items = np.arange(20), pd.Index(np.arange(50))
    scores = rng.normal(size=(20, 50))
    scores[:, :5] = -np.inf  # masked (seen) items never count
    truth = pd.DataFrame(
        [(u, i) for u in users for i in rng.choice(50, 6, replace=False)],
        columns=[USER_ID, ITEM_ID],
    )
    relevant = _relevance_matrix(truth, users, items)
    n_relevant = truth.groupby(USER_ID).size().reindex(users).to_numpy()
    top = np.argsort(-scores, axis=1)[:, :10]
    recs = pd.DataFrame(
        {
            USER_ID: np.repeat(users, 10),
            ITEM_ID: top.ravel(),
            "score": np.take_along_axis(scores, top, axis=1).ravel(),
        }
    )
    recs = recs[np.isfinite(recs["score"])]
    for metric in ("ndcg@k", "map", "recall@k"):
        expected = evaluate_ranking(truth, recs, 10, [metric])[
            metric.replace("@k", "@10")
        ]
        assert _ranking_value(
            scores, relevant, users, n_relevant, 10, metric
        ) == pytest.approx(expected)
