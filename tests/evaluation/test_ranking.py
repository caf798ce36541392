"""Ranking metrics against hand-computed values and a brute-force reference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movia.errors import ColumnContractError, ConfigError, DataError
from movia.evaluation.columns import ITEM_ID, SCORE, USER_ID
from movia.evaluation.metrics import evaluate_ranking
from movia.evaluation.ranking import (
    hit_rate_at_k,
    map_at_k,
    map_score,
    mrr,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
)


@pytest.fixture
def truth() -> pd.DataFrame:
    # user 1: four relevant items; user 2: one; user 3 has no recommendations (ignored).
    return pd.DataFrame(
        {USER_ID: [1, 1, 1, 1, 2, 3], ITEM_ID: [10, 20, 30, 80, 40, 10]}
    )


@pytest.fixture
def recommendations() -> pd.DataFrame:
    # user 1 hits at ranks 1 and 3; user 2 at rank 3. Rows are shuffled on purpose:
    # ranks come from the scores, not the row order.
    return pd.DataFrame(
        {
            USER_ID: [1, 2, 1, 2, 1, 2, 9],
            ITEM_ID: [20, 40, 10, 60, 50, 70, 10],
            SCORE: [0.7, 0.1, 0.9, 0.9, 0.8, 0.5, 1.0],
        }
    )


def test_hand_computed_values(truth, recommendations) -> None:
    k = 3
    # user 1: DCG = 1 + 1/log2(4) = 1.5; IDCG over min(4, 3) = 3 items.
    ndcg_1 = 1.5 / (1 + 1 / math.log2(3) + 0.5)
    ndcg_2 = 0.5 / 1.0
    assert ndcg_at_k(truth, recommendations, k) == pytest.approx((ndcg_1 + ndcg_2) / 2)
    assert precision_at_k(truth, recommendations, k) == pytest.approx(
        (2 / 3 + 1 / 3) / 2
    )
    assert recall_at_k(truth, recommendations, k) == pytest.approx((2 / 4 + 1 / 1) / 2)
    # Microsoft's MAP: (1/1 + 2/3) / 4 for user 1, (1/3) / 1 for user 2.
    assert map_score(truth, recommendations, k) == pytest.approx(
        ((1 + 2 / 3) / 4 + 1 / 3) / 2
    )
    # MAP@k divides by min(relevant, k) = 3 for user 1.
    assert map_at_k(truth, recommendations, k) == pytest.approx(
        ((1 + 2 / 3) / 3 + 1 / 3) / 2
    )
    assert mrr(truth, recommendations, k) == pytest.approx((1 + 1 / 3) / 2)
    assert hit_rate_at_k(truth, recommendations, k) == 1.0


def test_cut_off_drops_later_ranks(truth, recommendations) -> None:
    assert precision_at_k(truth, recommendations, 1) == pytest.approx(0.5)
    assert hit_rate_at_k(truth, recommendations, 1) == pytest.approx(0.5)
    assert ndcg_at_k(truth, recommendations, 1) == pytest.approx(0.5)


def test_perfect_ranking_scores_one() -> None:
    truth = pd.DataFrame({USER_ID: [1, 1], ITEM_ID: [5, 6]})
    recs = pd.DataFrame(
        {USER_ID: [1, 1, 1], ITEM_ID: [5, 6, 7], SCORE: [3.0, 2.0, 1.0]}
    )
    assert ndcg_at_k(truth, recs, 10) == 1.0
    assert map_score(truth, recs, 10) == 1.0
    assert recall_at_k(truth, recs, 10) == 1.0
    # precision@10 with two relevant items can be at most 2/10.
    assert precision_at_k(truth, recs, 10) == pytest.approx(0.2)


def test_no_hit_scores_zero() -> None:
    truth = pd.DataFrame({USER_ID: [1], ITEM_ID: [5]})
    recs = pd.DataFrame({USER_ID: [1], ITEM_ID: [6], SCORE: [1.0]})
    report = evaluate_ranking(truth, recs, 5)
    assert report == {
        "ndcg@5": 0.0,
        "map": 0.0,
        "precision@5": 0.0,
        "recall@5": 0.0,
        "mrr": 0.0,
        "hit_rate@5": 0.0,
    }


def test_evaluate_ranking_matches_single_functions(truth, recommendations) -> None:
    report = evaluate_ranking(truth, recommendations, 3, ["ndcg@k", "map", "map@k"])
    assert report["ndcg@3"] == pytest.approx(ndcg_at_k(truth, recommendations, 3))
    assert report["map"] == pytest.approx(map_score(truth, recommendations, 3))
    assert report["map@3"] == pytest.approx(map_at_k(truth, recommendations, 3))
    per_user = evaluate_ranking(truth, recommendations, 3, ["recall@k"], per_user=True)
    assert per_user["recall@3"].to_dict() == {1: 0.5, 2: 1.0}


def _brute_force(truth: pd.DataFrame, recs: pd.DataFrame, k: int) -> dict[str, float]:
    """Direct transcription of the definitions, one user at a time."""
    values: dict[str, list[float]] = {"ndcg": [], "map": [], "p": [], "r": []}
    users = set(truth[USER_ID]) & set(recs[USER_ID])
    for user in users:
        relevant = set(truth.loc[truth[USER_ID] == user, ITEM_ID])
        mine = recs[recs[USER_ID] == user].sort_values(SCORE, ascending=False)
        ranked = list(mine[ITEM_ID])[:k]
        hits = [item in relevant for item in ranked]
        dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(hits) if hit)
        idcg = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
        seen, precisions = 0, 0.0
        for i, hit in enumerate(hits):
            if hit:
                seen += 1
                precisions += seen / (i + 1)
        values["ndcg"].append(dcg / idcg)
        values["map"].append(precisions / len(relevant))
        values["p"].append(sum(hits) / k)
        values["r"].append(sum(hits) / len(relevant))
    return {name: float(np.mean(v)) for name, v in values.items()}


def test_matches_brute_force_on_random_lists() -> None:
    rng = np.random.default_rng(0)
    truth_rows, rec_rows = [], []
    for user in range(30):
        relevant = rng.choice(50, size=rng.integers(1, 15), replace=False)
        truth_rows += [(user, item) for item in relevant]
        candidates = rng.choice(50, size=20, replace=False)
        rec_rows += [
            (user, item, score)
            for item, score in zip(candidates, rng.random(20), strict=True)
        ]
    truth = pd.DataFrame(truth_rows, columns=[USER_ID, ITEM_ID])
    recs = pd.DataFrame(rec_rows, columns=[USER_ID, ITEM_ID, SCORE])
    expected = _brute_force(truth, recs, 10)
    report = evaluate_ranking(
        truth, recs, 10, ["ndcg@k", "map", "precision@k", "recall@k"]
    )
    assert report["ndcg@10"] == pytest.approx(expected["ndcg"])
    assert report["map"] == pytest.approx(expected["map"])
    assert report["precision@10"] == pytest.approx(expected["p"])
    assert report["recall@10"] == pytest.approx(expected["r"])


def test_bad_inputs_raise_clear_errors(truth, recommendations) -> None:
    with pytest.raises(ConfigError, match="k=0"):
        ndcg_at_k(truth, recommendations, 0)
    with pytest.raises(ConfigError):
        ndcg_at_k(truth, recommendations, 2.5)
    with pytest.raises(ColumnContractError, match="score"):
        ndcg_at_k(truth, recommendations.drop(columns=SCORE))
    nan_scores = recommendations.assign(score=[0.7, np.nan, 0.9, 0.9, 0.8, 0.5, 1.0])
    with pytest.raises(DataError, match="recommendations:1:score"):
        ndcg_at_k(truth, nan_scores)
    duplicated = pd.concat([truth, truth.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match="duplicate"):
        ndcg_at_k(duplicated, recommendations)
    with pytest.raises(ConfigError, match="metrics"):
        evaluate_ranking(truth, recommendations, 3, ["auc"])
