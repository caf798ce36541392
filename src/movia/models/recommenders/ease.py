"""EASE: a closed-form linear item-item autoencoder (Steck 2019), with optional side information.

Weights ``B`` minimise ``|X - XB|² + λ|B|²`` subject to ``diag(B) = 0`` (an item may not explain
itself); the solution is ``B = I - P·diag(1/diag(P))`` with ``P = (XᵀX + λI)⁻¹``. One matrix
inverse over the items replaces any training loop, so a fit on ML-100k takes about a second.

With ``side_weight > 0`` item tokens (genres, decade) join ``X`` as extra rows scaled by the
weight (CEASE, Jeunen et al. 2020): the Gram matrix becomes ``XᵀX + w²·TTᵀ``, so items sharing
tokens are pulled together even when few users saw both. On ML-100k (Microsoft protocol) this
lifts nDCG@10 from about 0.486 to 0.491.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from movia.errors import ConfigError
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.item_features import token_matrix


class EASERecommender(BaseRecommender):
    """Embarrassingly Shallow Autoencoder.

    Args:
        l2: Ridge penalty λ on the weights (larger = smoother, favours popular items).
        min_item_interactions: Items with fewer training interactions get no weights (their
            inverse would be dominated by λ); they are not scored.
        side_weight: Weight of genre and decade tokens from ``items`` (0 = plain EASE).
    """

    def __init__(
        self,
        l2: float = 400.0,
        min_item_interactions: int = 1,
        side_weight: float = 0.0,
    ) -> None:
        self.l2 = l2
        self.min_item_interactions = min_item_interactions
        self.side_weight = side_weight

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        if self.l2 <= 0:
            raise ConfigError("l2", self.l2, ["a positive float"])
        columns = self.supported_items(self.min_item_interactions)
        binary = ratings[:, columns].copy()
        binary.data = np.ones_like(binary.data)
        gram = (binary.T @ binary).toarray()
        if self.side_weight > 0 and items is not None:
            tokens, _ = token_matrix(items, self.item_ids_[columns])
            gram += self.side_weight**2 * (tokens @ tokens.T).toarray()
        gram[np.diag_indices_from(gram)] += self.l2
        inverse = np.linalg.inv(gram)
        weights = -inverse / np.diag(inverse)[None, :]
        np.fill_diagonal(weights, 0.0)
        self.columns_ = columns
        self.weights_ = weights.astype(np.float32)
        self.support_ = np.zeros(self.n_items, dtype=bool)
        self.support_[columns] = True

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        block = self.binary_rows(rows)[:, self.columns_]
        scores = np.zeros((len(rows), self.n_items))
        scores[:, self.columns_] = block @ self.weights_
        return scores
