"""Most-popular baseline: the floor every personalised model must beat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from movia.models.recommenders.base import BaseRecommender


class PopularityRecommender(BaseRecommender):
    """Rank items by how many users interacted with them (the same list for everyone).

    Args:
        min_rating: Count only ratings at or above this value (``None`` counts every
            interaction: on MovieLens a low rating still means the user chose to watch).
    """

    def __init__(self, min_rating: float | None = None) -> None:
        self.min_rating = min_rating

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        counted = ratings.copy()
        if self.min_rating is not None:
            counted.data = (counted.data >= self.min_rating).astype(float)
        else:
            counted.data = np.ones_like(counted.data)
        self.counts_ = np.asarray(counted.sum(axis=0)).ravel()

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        return np.tile(self.counts_, (len(rows), 1))
