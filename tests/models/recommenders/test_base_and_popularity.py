"""The shared API (via the popularity model): ids, seen items, unknown users, bad k and input."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from movia.errors import ColumnContractError, ConfigError, DataError, UnknownIdError
from movia.evaluation.columns import ITEM_ID, RANK, RATING, SCORE, USER_ID
from movia.models.recommenders import PopularityRecommender, make_recommender


def test_popularity_ranks_by_count_and_masks_seen(two_clusters) -> None:
    model = PopularityRecommender().fit(two_clusters)
    # counts: item 7 → 8; items 1, 2, 4, 5 → 4; items 3, 6 → 3.
    assert model.counts_.tolist() == [4, 4, 3, 4, 4, 3, 8]
    recs = model.recommend([1], k=3)
    assert recs.columns.tolist() == [USER_ID, ITEM_ID, SCORE, RANK]
    # user 1 saw 1, 2 and 7: the most popular unseen are 4 and 5 (ties keep id order), then 3.
    assert recs[ITEM_ID].tolist() == [4, 5, 3]
    assert recs[RANK].tolist() == [1, 2, 3]
    with_seen = model.recommend([1], k=2, exclude_seen=False)
    assert with_seen[ITEM_ID].tolist() == [7, 1]


def test_min_rating_counts_only_liked(two_clusters) -> None:
    model = PopularityRecommender(min_rating=4.0).fit(two_clusters)
    assert model.counts_.tolist() == [4, 4, 3, 4, 4, 3, 0]


def test_users_keep_request_order_and_duplicates_collapse(two_clusters) -> None:
    recs = PopularityRecommender().fit(two_clusters).recommend([5, 1, 5], k=1)
    assert recs[USER_ID].tolist() == [5, 1]


def test_unknown_user_gets_popular_items_with_a_warning(two_clusters, caplog) -> None:
    model = PopularityRecommender().fit(two_clusters)
    with caplog.at_level(logging.WARNING):
        recs = model.recommend([99], k=2)
    assert recs[ITEM_ID].tolist() == [7, 1]
    assert recs[SCORE].tolist() == [1.0, 0.5]
    assert "unknown user" in caplog.text
    with pytest.raises(UnknownIdError, match="99"):
        model.recommend([99], on_unknown="raise")
    with pytest.raises(ConfigError, match="on_unknown"):
        model.recommend([1], on_unknown="ignore")


def test_bad_k_is_a_config_error_and_huge_k_is_capped(two_clusters) -> None:
    model = PopularityRecommender().fit(two_clusters)
    for k in (0, -3, 2.5, True):
        with pytest.raises(ConfigError, match="k="):
            model.recommend([1], k=k)
    recs = model.recommend([1], k=10**9)
    # 7 items, 3 seen: every unseen item once.
    assert sorted(recs[ITEM_ID]) == [3, 4, 5, 6]


def test_score_matrix_and_unknown_ids(two_clusters) -> None:
    model = PopularityRecommender().fit(two_clusters)
    assert model.score([1, 5], [7, 3]).tolist() == [[8, 3], [8, 3]]
    with pytest.raises(UnknownIdError, match="item id"):
        model.score([1], [42])
    with pytest.raises(UnknownIdError, match="user id"):
        model.score([42])


def test_bad_interactions_fail_at_fit(two_clusters) -> None:
    with pytest.raises(ColumnContractError, match="item_id"):
        PopularityRecommender().fit(two_clusters.drop(columns=ITEM_ID))
    nan = two_clusters.assign(
        rating=two_clusters[RATING].where(two_clusters.index != 4)
    )
    with pytest.raises(DataError, match="interactions:4:rating"):
        PopularityRecommender().fit(nan)
    twice = pd.concat([two_clusters, two_clusters.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match="duplicate"):
        PopularityRecommender().fit(twice)
    with pytest.raises(DataError, match="no interactions"):
        PopularityRecommender().fit(two_clusters.iloc[:0])


def test_items_frame_extends_the_catalogue(two_clusters, catalogue) -> None:
    model = PopularityRecommender().fit(two_clusters, catalogue)
    assert model.item_ids_.tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert model.item_popularity_[-1] == 0


def test_registry_and_clone(two_clusters) -> None:
    model = make_recommender("ease", l2=10.0)
    assert clone(model).get_params()["l2"] == 10.0
    with pytest.raises(ConfigError, match="kind"):
        make_recommender("svd")


def test_nan_scores_are_reported(two_clusters) -> None:
    class Broken(PopularityRecommender):
        def _scores(self, rows: np.ndarray) -> np.ndarray:
            return np.full((len(rows), self.n_items), np.nan)

    with pytest.raises(DataError, match="NaN score"):
        Broken().fit(two_clusters).recommend([1])
