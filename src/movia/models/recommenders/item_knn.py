"""Item-based k-nearest neighbours (Sarwar et al. 2001; Deshpande & Karypis 2004).

A user's score for an item is the sum of its similarities to the items the user has seen.
Similarity is shrunk cosine, ``x_i·x_j / (|x_i||x_j| + shrink)``, so a pair that co-occurs for
two users does not look as similar as one that co-occurs for two hundred; only each item's
``n_neighbors`` strongest neighbours are kept, which both denoises and keeps the matrix sparse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from movia.errors import ConfigError
from movia.models.recommenders.base import BaseRecommender


class ItemKNNRecommender(BaseRecommender):
    """Item-kNN with shrunk cosine similarity.

    Args:
        n_neighbors: Neighbours kept per item.
        shrink: Added to the cosine denominator (0 = plain cosine).
        weighting: ``"binary"`` (seen or not) or ``"rating"`` (explicit ratings as weights).
        min_item_interactions: Items with fewer training interactions are not scored.
    """

    def __init__(
        self,
        n_neighbors: int = 100,
        shrink: float = 10.0,
        weighting: str = "binary",
        min_item_interactions: int = 1,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.shrink = shrink
        self.weighting = weighting
        self.min_item_interactions = min_item_interactions

    def _matrix(self, rows: np.ndarray | None = None) -> sp.csr_matrix:
        block = self.ratings_ if rows is None else self.ratings_[rows]
        block = block[:, self.columns_]
        if self.weighting == "binary":
            block = block.copy()
            block.data = np.ones_like(block.data)
        return block.tocsr()

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        if self.weighting not in ("binary", "rating"):
            raise ConfigError("weighting", self.weighting, ["binary", "rating"])
        if self.n_neighbors < 1:
            raise ConfigError("n_neighbors", self.n_neighbors, ["an integer >= 1"])
        columns = self.supported_items(self.min_item_interactions)
        self.columns_ = columns
        matrix = self._matrix()
        gram = (matrix.T @ matrix).toarray()
        norms = np.sqrt(np.diag(gram))
        similarity = gram / (np.outer(norms, norms) + self.shrink + 1e-12)
        np.fill_diagonal(similarity, 0.0)
        keep = min(self.n_neighbors, max(similarity.shape[0] - 1, 1))
        # Keep exactly each item's strongest neighbours (per column: "items like j"); a
        # stable sort breaks ties by catalogue order, so the model is deterministic.
        strongest = np.argsort(-similarity, axis=0, kind="stable")[:keep]
        kept = np.zeros_like(similarity)
        columns_grid = np.broadcast_to(np.arange(similarity.shape[1]), strongest.shape)
        kept[strongest, columns_grid] = similarity[strongest, columns_grid]
        similarity = np.maximum(kept, 0.0)
        self.similarity_ = sp.csr_matrix(similarity.astype(np.float32))
        self.support_ = np.zeros(self.n_items, dtype=bool)
        self.support_[columns] = True

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        scores = np.zeros((len(rows), self.n_items))
        scores[:, self.columns_] = (self._matrix(rows) @ self.similarity_).toarray()
        return scores
