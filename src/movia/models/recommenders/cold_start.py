"""Cold start: recommendations from stated preferences alone, in a few milliseconds.

A visitor with no history says what they like: titles they liked or disliked, genres, a
sentence ("a funny space adventure" / "una comedia de espías"). Each signal becomes a score per
film, standardised across films, and the scores are blended with fixed weights:

- ``cf``: item-item collaborative filtering from a fitted EASE model, kept as each film's
  ``n_neighbors`` strongest weights (liked films add their neighbours, disliked ones subtract);
- ``content``: cosine to the mean MiniLM embedding of the liked films (minus half the disliked);
- ``text``: cosine between the request's MiniLM embedding and each film's;
- ``words``: cosine between the request's mean word vector and each film's Word2Vec vector;
- ``genre``: share of the requested genres a film has;
- ``popularity`` and ``sentiment``: priors that break ties toward films many people watched
  and reviewers liked.

A signal the visitor did not give is all zeros and drops out. Everything is precomputed in
``fit``; a request costs sparse and dense products over the catalogue (well under 10 ms) plus,
with text, one MiniLM forward pass.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Self

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from movia.errors import ConfigError, UnknownIdError
from movia.evaluation.columns import ITEM_ID, RANK, SCORE
from movia.evaluation.ranking import check_k
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.content import embedding_matrix
from movia.models.recommenders.ease import EASERecommender
from movia.models.recommenders.hybrid import sentiment_vector
from movia.models.recommenders.item_features import as_list
from movia.models.recommenders.text_query import EncodedQuery

logger = logging.getLogger(__name__)

DEFAULT_WEIGHTS = {
    "cf": 1.0,
    "content": 0.5,
    "text": 1.0,
    "words": 0.5,
    "genre": 1.0,
    "popularity": 0.3,
    "sentiment": 0.1,
}
SIGNALS = tuple(DEFAULT_WEIGHTS)


def item_neighbors(model: BaseRecommender, n_neighbors: int) -> sp.csr_matrix:
    """Each item's ``n_neighbors`` strongest outgoing weights, over the full catalogue.

    Row ``i`` holds how much liking ``i`` raises every other item: EASE's ``B[i, :]`` or
    item-kNN's similarity row. Keeping the top weights per row makes a request cost
    ``liked x n_neighbors`` instead of a dense product.
    """
    if hasattr(model, "weights_"):
        dense = np.asarray(model.weights_, dtype=np.float32)
    elif hasattr(model, "similarity_"):
        dense = model.similarity_.toarray().astype(np.float32)
    else:
        raise ConfigError(
            "cf", type(model).__name__, ["EASERecommender", "ItemKNNRecommender"]
        )
    keep = min(n_neighbors, max(dense.shape[1] - 1, 1))
    top = np.argpartition(-dense, keep - 1, axis=1)[:, :keep]
    values = np.take_along_axis(dense, top, axis=1)
    columns = model.columns_
    rows = np.repeat(columns, keep)
    return sp.csr_matrix(
        (values.ravel(), (rows, columns[top.ravel()])),
        shape=(model.n_items, model.n_items),
    )


def standardise(vector: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """z-scores over ``mask`` (all items by default); a constant signal becomes all zeros."""
    mask = np.ones(len(vector), dtype=bool) if mask is None else mask
    out = np.zeros(len(vector))
    if not mask.any():
        return out
    values = vector[mask]
    std = values.std()
    if std > 0:
        out[mask] = (values - values.mean()) / std
    return out


class ColdStartRecommender(BaseEstimator):
    """Preference-based scorer for visitors without history.

    Args:
        cf: Unfitted item-item model (EASE by default) learned from all interactions.
        n_neighbors: Neighbours kept per film for the ``cf`` signal.
        weights: Signal → weight (see :data:`DEFAULT_WEIGHTS`; missing names use defaults).
        embedding_column: ``items`` column with MiniLM vectors (optional).
        word_embedding_column: ``items`` column with Word2Vec vectors (optional).
        sentiment_column: ``items`` column with sentiment scores (optional).
    """

    def __init__(
        self,
        cf: BaseRecommender | None = None,
        n_neighbors: int = 50,
        weights: Mapping[str, float] | None = None,
        embedding_column: str = "embedding",
        word_embedding_column: str = "word_vector",
        sentiment_column: str = "sentiment",
    ) -> None:
        self.cf = cf
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.embedding_column = embedding_column
        self.word_embedding_column = word_embedding_column
        self.sentiment_column = sentiment_column

    def fit(self, interactions: pd.DataFrame, items: pd.DataFrame) -> Self:
        """Fit the CF model and precompute every per-film signal."""
        unknown = sorted(set(self.weights or {}) - set(SIGNALS))
        if unknown:
            raise ConfigError("weights", unknown, SIGNALS)
        cf = clone(self.cf if self.cf is not None else EASERecommender())
        cf.fit(interactions, items)
        self.item_ids_ = cf.item_ids_
        self.item_index_ = cf.item_index_
        self.neighbors_ = item_neighbors(cf, self.n_neighbors)
        self.cf_support_ = cf.support_.copy()
        self.embeddings_, self.embedding_mask_ = self._optional_embeddings(
            items, self.embedding_column
        )
        self.word_embeddings_, self.word_mask_ = self._optional_embeddings(
            items, self.word_embedding_column
        )
        genres = pd.Series(
            [as_list(g) for g in items.drop_duplicates(ITEM_ID)["genres"]]
            if "genres" in items.columns
            else [[] for _ in range(items[ITEM_ID].nunique())],
            index=items.drop_duplicates(ITEM_ID)[ITEM_ID].to_numpy(),
        )
        self.genre_names_ = sorted({g for row in genres for g in row})
        self.genres_ = self._genre_matrix(genres)
        self.popularity_ = standardise(np.log1p(cf.item_popularity_))
        self.sentiment_ = sentiment_vector(items, self.item_ids_, self.sentiment_column)
        self.weights_ = {**DEFAULT_WEIGHTS, **dict(self.weights or {})}
        return self

    def _optional_embeddings(
        self, items: pd.DataFrame, column: str
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        if column not in items.columns or items[column].isna().all():
            return None, None
        return embedding_matrix(items, self.item_ids_, column)

    def _genre_matrix(self, genres: pd.Series) -> sp.csr_matrix:
        column = {g: j for j, g in enumerate(self.genre_names_)}
        rows, cols = [], []
        for row, names in zip(
            self.item_index_.get_indexer(genres.index), genres, strict=True
        ):
            if row < 0:
                continue
            rows += [row] * len(names)
            cols += [column[g] for g in names]
        return sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(self.item_ids_), len(column))
        )

    def item_rows(self, item_ids: Iterable[object]) -> np.ndarray:
        check_is_fitted(self, "item_ids_")
        ids = np.asarray(list(item_ids))
        if ids.size == 0:
            return np.zeros(0, dtype=int)
        rows = self.item_index_.get_indexer(ids)
        if (rows < 0).any():
            raise UnknownIdError("item", ids[rows < 0])
        return rows

    def signals(
        self,
        liked: Iterable[object] = (),
        disliked: Iterable[object] = (),
        genres: Iterable[str] = (),
        query: EncodedQuery | None = None,
    ) -> dict[str, np.ndarray]:
        """Standardised score of every film for each signal the visitor gave."""
        liked_rows, disliked_rows = self.item_rows(liked), self.item_rows(disliked)
        genres = list(genres)
        unknown = sorted(set(genres) - set(self.genre_names_))
        if unknown:
            raise UnknownIdError("genre", unknown, self.genre_names_)
        # genres read from free text are a guess: one this catalogue lacks is not the visitor's
        # mistake, so it is dropped instead of failing the request
        if query is not None:
            genres += [g for g in query.genres if g in self.genre_names_]
        n = len(self.item_ids_)
        out: dict[str, np.ndarray] = {}
        if liked_rows.size or disliked_rows.size:
            x = np.zeros(n)
            x[liked_rows] = 1.0
            x[disliked_rows] = -1.0
            out["cf"] = standardise(self.neighbors_.T @ x, self.cf_support_)
            if self.embeddings_ is not None:
                profile = np.zeros(self.embeddings_.shape[1], dtype=np.float32)
                if liked_rows.size:
                    profile += self.embeddings_[liked_rows].mean(axis=0)
                if disliked_rows.size:
                    profile -= 0.5 * self.embeddings_[disliked_rows].mean(axis=0)
                out["content"] = standardise(
                    self.embeddings_ @ profile, self.embedding_mask_
                )
        if (
            query is not None
            and query.sentence is not None
            and self.embeddings_ is not None
        ):
            out["text"] = standardise(
                self.embeddings_ @ query.sentence, self.embedding_mask_
            )
        if (
            query is not None
            and query.words is not None
            and self.word_embeddings_ is not None
            and query.words.shape[0] == self.word_embeddings_.shape[1]
        ):
            out["words"] = standardise(
                self.word_embeddings_ @ query.words, self.word_mask_
            )
        if genres:
            wanted = np.zeros(len(self.genre_names_))
            wanted[[self.genre_names_.index(g) for g in set(genres)]] = 1.0
            out["genre"] = standardise(self.genres_ @ wanted / wanted.sum())
        if out:
            out["popularity"] = self.popularity_
            out["sentiment"] = self.sentiment_
        return out

    def recommend(
        self,
        liked: Iterable[object] = (),
        disliked: Iterable[object] = (),
        genres: Iterable[str] = (),
        query: EncodedQuery | None = None,
        k: int = 10,
        weights: Mapping[str, float] | None = None,
    ) -> pd.DataFrame:
        """Top-``k`` films for stated preferences, excluding the films named.

        With no preference at all, the most popular films come back (logged at WARNING).

        Returns:
            ``item_id, score, rank`` plus one column per signal used (its weighted share of
            the score), so explanations can say which signal chose a film.
        """
        check_is_fitted(self, "item_ids_")
        k = min(check_k(k), len(self.item_ids_))
        liked, disliked = list(liked), list(disliked)
        signals = self.signals(liked, disliked, genres, query)
        if not signals:
            logger.warning(
                "no preferences given: answering with the most popular films"
            )
            signals = {"popularity": self.popularity_}
        weights = {**self.weights_, **dict(weights or {})}
        parts = {name: weights[name] * values for name, values in signals.items()}
        total = np.sum(list(parts.values()), axis=0)
        total[self.item_rows(liked + disliked)] = -np.inf
        top = np.argpartition(-total, k - 1)[:k]
        top = top[np.argsort(-total[top], kind="stable")]
        top = top[np.isfinite(total[top])]
        frame = pd.DataFrame(
            {
                ITEM_ID: self.item_ids_[top],
                SCORE: total[top],
                RANK: np.arange(1, len(top) + 1),
            }
        )
        for name, values in parts.items():
            frame[name] = values[top]
        return frame
