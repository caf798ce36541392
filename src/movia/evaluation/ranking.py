"""Top-k ranking metrics with Microsoft Recommenders' definitions, computed on one hit matrix.

Every metric takes the same pair: ``truth`` (``user_id, item_id``: every row is a relevant item)
and ``recommendations`` (``user_id, item_id, score``; a higher score ranks first, ties keep the
given order). Only users present in both frames count, as in Microsoft Recommenders'
``merge_ranking_true_pred``; a user with no hit counts as 0. Definitions, for a user with ``R``
relevant items and hits at ranks ``r_1 < r_2 < ...`` within the top ``k``:

- precision@k = hits / k (a short list is penalised, as in Spark and Microsoft);
- recall@k = hits / R;
- nDCG@k = sum 1/log2(1 + r_j) / sum_{i <= min(R, k)} 1/log2(1 + i) (binary gains);
- MAP (Microsoft's ``map``) = sum_j (j / r_j) / R; MAP@k divides by ``min(R, k)`` instead;
- MRR = 1 / r_1; hit rate@k = 1 if any hit.

The per-user values are available (``per_user=True``) for significance tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from movia.errors import ConfigError
from movia.evaluation.columns import DEFAULT_K, ITEM_ID, SCORE, USER_ID
from movia.evaluation.contract import (
    require_columns,
    require_finite,
    require_unique_pairs,
)


@dataclass(frozen=True)
class RankingHits:
    """Which of each user's top-k recommendations are relevant.

    Attributes:
        users: User ids, one per row of ``hits``.
        hits: Boolean matrix (users x k); column j is rank j + 1.
        n_relevant: Relevant items per user (at least 1).
        n_recommended: Length of each user's list, at most k.
        k: The cut-off.
    """

    users: np.ndarray
    hits: np.ndarray
    n_relevant: np.ndarray
    n_recommended: np.ndarray
    k: int


def check_k(k: object) -> int:
    """A cut-off must be a positive integer; ``ConfigError`` otherwise."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ConfigError("k", k, ["a positive integer"])
    return int(k)


def top_k(recommendations: pd.DataFrame, k: int) -> pd.DataFrame:
    """Each user's ``k`` best-scored rows with a 1-based ``rank``; ties keep the given order."""
    ranked = recommendations.sort_values(
        [USER_ID, SCORE], ascending=[True, False], kind="stable"
    )
    rank = ranked.groupby(USER_ID, sort=False).cumcount() + 1
    return ranked.assign(rank=rank.to_numpy())[rank.to_numpy() <= k]


def ranking_hits(
    truth: pd.DataFrame, recommendations: pd.DataFrame, k: int = DEFAULT_K
) -> RankingHits:
    """Validate both frames and build the hit matrix every ranking metric reads.

    Raises:
        ColumnContractError: A frame lacks contract columns.
        DataError: NaN scores, or a repeated (user, item) pair in either frame.
        ConfigError: ``k`` is not a positive integer.
    """
    k = check_k(k)
    require_columns(truth, [USER_ID, ITEM_ID], "truth")
    require_columns(recommendations, [USER_ID, ITEM_ID, SCORE], "recommendations")
    require_finite(recommendations, SCORE, "recommendations")
    require_unique_pairs(truth, "truth")
    require_unique_pairs(recommendations, "recommendations")
    users = np.intersect1d(truth[USER_ID].unique(), recommendations[USER_ID].unique())
    top = top_k(recommendations[recommendations[USER_ID].isin(users)], k)
    relevant = truth[truth[USER_ID].isin(users)]
    row = pd.Index(users).get_indexer(top[USER_ID])
    is_hit = (
        pd.MultiIndex.from_frame(top[[USER_ID, ITEM_ID]])
        .isin(pd.MultiIndex.from_frame(relevant[[USER_ID, ITEM_ID]]))
        .astype(bool)
    )
    hits = np.zeros((len(users), k), dtype=bool)
    hits[row, top["rank"].to_numpy() - 1] = is_hit
    n_relevant = relevant.groupby(USER_ID).size().reindex(users).to_numpy()
    n_recommended = np.bincount(row, minlength=len(users))
    return RankingHits(users, hits, n_relevant, n_recommended, k)


def _discounts(k: int) -> np.ndarray:
    return 1.0 / np.log2(np.arange(2, k + 2))


def precision_values(h: RankingHits) -> np.ndarray:
    return h.hits.sum(axis=1) / h.k


def recall_values(h: RankingHits) -> np.ndarray:
    return h.hits.sum(axis=1) / h.n_relevant


def ndcg_values(h: RankingHits) -> np.ndarray:
    discounts = _discounts(h.k)
    ideal = np.cumsum(discounts)[np.minimum(h.n_relevant, h.k) - 1]
    return (h.hits * discounts).sum(axis=1) / ideal


def _precision_at_hits(h: RankingHits) -> np.ndarray:
    ranks = np.arange(1, h.k + 1)
    return np.where(h.hits, np.cumsum(h.hits, axis=1) / ranks, 0.0).sum(axis=1)


def map_values(h: RankingHits) -> np.ndarray:
    """Microsoft's ``map``: precision at each hit, summed, over the number of relevant items."""
    return _precision_at_hits(h) / h.n_relevant


def map_at_k_values(h: RankingHits) -> np.ndarray:
    return _precision_at_hits(h) / np.minimum(h.n_relevant, h.k)


def mrr_values(h: RankingHits) -> np.ndarray:
    first = np.argmax(h.hits, axis=1)
    return np.where(h.hits.any(axis=1), 1.0 / (first + 1), 0.0)


def hit_rate_values(h: RankingHits) -> np.ndarray:
    return h.hits.any(axis=1).astype(float)


PER_USER: dict[str, Callable[[RankingHits], np.ndarray]] = {
    "ndcg@k": ndcg_values,
    "map": map_values,
    "map@k": map_at_k_values,
    "precision@k": precision_values,
    "recall@k": recall_values,
    "mrr": mrr_values,
    "hit_rate@k": hit_rate_values,
}
"""Metric name → per-user function; ``@k`` is replaced by the cut-off in reports."""


def _aggregate(
    values_of: Callable[[RankingHits], np.ndarray],
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int,
    per_user: bool,
) -> float | pd.Series:
    hits = ranking_hits(truth, recommendations, k)
    values = values_of(hits)
    if per_user:
        return pd.Series(values, index=pd.Index(hits.users, name=USER_ID))
    return float(values.mean()) if values.size else 0.0


def ndcg_at_k(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    per_user: bool = False,
) -> float | pd.Series:
    """nDCG@k with binary gains, averaged over users in both frames (``per_user`` for each)."""
    return _aggregate(ndcg_values, truth, recommendations, k, per_user)


def map_score(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    per_user: bool = False,
) -> float | pd.Series:
    """Microsoft's MAP: precision at the top-k hits over the user's number of relevant items."""
    return _aggregate(map_values, truth, recommendations, k, per_user)


def map_at_k(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    per_user: bool = False,
) -> float | pd.Series:
    """MAP@k (Spark): like :func:`map_score` but divided by ``min(relevant, k)``."""
    return _aggregate(map_at_k_values, truth, recommendations, k, per_user)


def precision_at_k(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    per_user: bool = False,
) -> float | pd.Series:
    """Hits in the top k divided by k."""
    return _aggregate(precision_values, truth, recommendations, k, per_user)


def recall_at_k(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    per_user: bool = False,
) -> float | pd.Series:
    """Hits in the top k divided by the user's number of relevant items."""
    return _aggregate(recall_values, truth, recommendations, k, per_user)


def mrr(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    per_user: bool = False,
) -> float | pd.Series:
    """Reciprocal rank of the first hit within the top k (0 without a hit)."""
    return _aggregate(mrr_values, truth, recommendations, k, per_user)


def hit_rate_at_k(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    per_user: bool = False,
) -> float | pd.Series:
    """Share of users with at least one hit in the top k."""
    return _aggregate(hit_rate_values, truth, recommendations, k, per_user)
