"""What accuracy misses: catalogue coverage, novelty, intra-list diversity, popularity bias.

A recommender can top nDCG by always showing the same blockbusters; these metrics say whether it
does. All take the ``recommendations`` frame of the ranking metrics (``user_id, item_id, score``)
and cut each list at ``k`` the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from movia.errors import DataError
from movia.evaluation.columns import DEFAULT_K, ITEM_ID, USER_ID
from movia.evaluation.contract import require_columns
from movia.evaluation.ranking import check_k, top_k


def _lists(recommendations: pd.DataFrame, k: int) -> pd.DataFrame:
    require_columns(recommendations, [USER_ID, ITEM_ID], "recommendations")
    return top_k(recommendations, check_k(k))


def catalogue_coverage(
    recommendations: pd.DataFrame, catalogue_size: int, k: int = DEFAULT_K
) -> float:
    """Share of the catalogue that appears in at least one top-k list."""
    if catalogue_size < 1:
        raise DataError("catalogue_size must be at least 1", field="catalogue_size")
    return float(_lists(recommendations, k)[ITEM_ID].nunique() / catalogue_size)


def item_popularity(train: pd.DataFrame) -> pd.Series:
    """Share of training users who interacted with each item (item id → share in (0, 1])."""
    require_columns(train, [USER_ID, ITEM_ID], "train")
    return train.groupby(ITEM_ID)[USER_ID].nunique() / train[USER_ID].nunique()


def novelty(
    recommendations: pd.DataFrame, train: pd.DataFrame, k: int = DEFAULT_K
) -> float:
    """Mean self-information ``-log2 p(i)`` of recommended items, in bits (higher = less obvious).

    ``p(i)`` is the share of training users who saw item ``i``; an item nobody saw in training
    gets half a user's share (Laplace-style), so it is the most novel but still finite.
    """
    lists = _lists(recommendations, k)
    share = item_popularity(train)
    floor = 0.5 / train[USER_ID].nunique()
    p = lists[ITEM_ID].map(share).fillna(floor).to_numpy(dtype=float)
    return float(np.mean(-np.log2(p))) if p.size else 0.0


def average_popularity(
    recommendations: pd.DataFrame, train: pd.DataFrame, k: int = DEFAULT_K
) -> float:
    """Mean training popularity (share of users) of recommended items: the popularity bias."""
    lists = _lists(recommendations, k)
    p = lists[ITEM_ID].map(item_popularity(train)).fillna(0.0).to_numpy(dtype=float)
    return float(p.mean()) if p.size else 0.0


def intra_list_diversity(
    recommendations: pd.DataFrame,
    item_vectors: Mapping[object, np.ndarray] | pd.Series,
    k: int = DEFAULT_K,
) -> float:
    """Mean pairwise cosine distance ``1 - cos`` inside each top-k list, averaged over users.

    Args:
        recommendations: Ranked lists.
        item_vectors: Item id → feature vector (genre multi-hot, an embedding ...). Items
            without a vector are left out of their list's pairs; a list with fewer than two
            vectors has no pairs and is skipped.
    """
    lists = _lists(recommendations, k)
    vectors = dict(item_vectors)
    values = []
    for _, items in lists.groupby(USER_ID, sort=False)[ITEM_ID]:
        rows = [vectors[item] for item in items if item in vectors]
        if len(rows) < 2:
            continue
        matrix = np.asarray(rows, dtype=float)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
        cosine = unit @ unit.T
        n = len(rows)
        values.append(1.0 - (cosine.sum() - np.trace(cosine)) / (n * (n - 1)))
    return float(np.mean(values)) if values else 0.0
