"""Content-based recommender: a user's taste as a weighted mean of the films they liked.

Each item carries an embedding (MiniLM sentence embedding of overview + tags + review snippets,
or the NLP pipeline's mean Word2Vec vector). A user's profile is the mean of their films'
unit-length embeddings weighted by how much more than usual they liked each one (rating minus
the user's mean), so a film rated below the user's habit pushes the profile away from itself.
Scores are cosine similarities, which also rank films nobody has rated yet: the cold-item case
collaborative filtering cannot handle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from movia.errors import ColumnContractError, ConfigError
from movia.evaluation.columns import ITEM_ID
from movia.models.recommenders.base import BaseRecommender


def embedding_matrix(
    items: pd.DataFrame, item_ids: np.ndarray, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length embeddings in ``item_ids`` order, and a mask of items that have one.

    Items missing from ``items`` or with an empty/NA vector get a zero row (mask False).
    """
    if column not in items.columns:
        raise ColumnContractError(
            f"items lack the embedding column {column!r}", path="items", field=column
        )
    vectors = items[[ITEM_ID, column]].drop_duplicates(ITEM_ID)
    present = vectors[column].map(
        lambda v: v is not None and not (isinstance(v, float)) and len(v) > 0
    )
    vectors = vectors[present.to_numpy(dtype=bool)]
    if vectors.empty:
        raise ColumnContractError(
            f"no item has a {column!r} vector", path="items", field=column
        )
    stacked = np.vstack([np.asarray(v, dtype=np.float32) for v in vectors[column]])
    norms = np.linalg.norm(stacked, axis=1, keepdims=True)
    stacked = np.divide(stacked, norms, out=np.zeros_like(stacked), where=norms > 0)
    matrix = np.zeros((len(item_ids), stacked.shape[1]), dtype=np.float32)
    rows = pd.Index(item_ids).get_indexer(vectors[ITEM_ID])
    keep = rows >= 0
    matrix[rows[keep]] = stacked[keep]
    mask = np.zeros(len(item_ids), dtype=bool)
    mask[rows[keep]] = np.linalg.norm(stacked[keep], axis=1) > 0
    return matrix, mask


def preference_weights(ratings: sp.csr_matrix, weighting: str) -> sp.csr_matrix:
    """Per-interaction weight of a film in its user's profile.

    ``"centered"``: rating minus the user's mean rating (liked above habit > 0 > disliked);
    a user who gives every film the same rating gets equal positive weights instead of zeros.
    ``"uniform"``: every interaction counts 1 (implicit feedback).
    """
    weights = ratings.tocsr(copy=True).astype(float)
    if weighting == "uniform":
        weights.data = np.ones_like(weights.data)
        return weights
    if weighting != "centered":
        raise ConfigError("weighting", weighting, ["centered", "uniform"])
    counts = np.diff(weights.indptr)
    sums = np.asarray(weights.sum(axis=1)).ravel()
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    centred = weights.data - np.repeat(means, counts)
    # A user who gave every film the same rating has all-zero weights: count each film once.
    spread = np.zeros(len(counts))
    has = counts > 0
    spread[has] = np.maximum.reduceat(np.abs(centred), weights.indptr[:-1][has])
    flat_rows = np.repeat((spread == 0) & has, counts)
    weights.data = np.where(flat_rows, 1.0, centred)
    return weights


class ContentRecommender(BaseRecommender):
    """Cosine similarity between a user's profile and each film's embedding.

    Args:
        embedding_column: Column of ``items`` holding each film's vector.
        weighting: ``"centered"`` (rating minus user mean) or ``"uniform"``.
    """

    def __init__(
        self, embedding_column: str = "embedding", weighting: str = "centered"
    ) -> None:
        self.embedding_column = embedding_column
        self.weighting = weighting

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        if items is None:
            raise ColumnContractError(
                "ContentRecommender needs items with embeddings",
                path="items",
                field=self.embedding_column,
            )
        self.embeddings_, self.support_ = embedding_matrix(
            items, self.item_ids_, self.embedding_column
        )
        weights = preference_weights(ratings, self.weighting)
        profiles = np.asarray(weights @ self.embeddings_)
        norms = np.linalg.norm(profiles, axis=1, keepdims=True)
        self.profiles_ = np.divide(
            profiles, norms, out=np.zeros_like(profiles), where=norms > 0
        ).astype(np.float32)

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        return self.profiles_[rows] @ self.embeddings_.T
