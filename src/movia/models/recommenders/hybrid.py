"""Hybrid recommender: a weighted blend of standardised component scores plus movie sentiment.

Components (EASE, ALS, content ...) score on different scales (EASE's are near 0-1, ALS's are
dot products, content's are cosines), so each user's scores from each component are
standardised over the items that component can score (z-scores) before blending; an item a
component cannot score (a film nobody rated, for CF) contributes 0, the component's average, so
content alone can still lift it. Movie sentiment (the sentiment pipeline's ``smoothed_score``,
standardised across films, 0 for films without reviews) is added with its own weight: the same
for every user, a nudge toward films reviewers liked. Weights are chosen on a validation split
(:mod:`movia.models.recommenders.tuning`), never on the test split.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone

from movia.errors import ConfigError, DataError
from movia.evaluation.columns import ITEM_ID
from movia.models.recommenders.base import BaseRecommender


def standardise_rows(scores: np.ndarray, support: np.ndarray) -> np.ndarray:
    """Per-row z-scores over the supported columns; unsupported columns become 0."""
    out = np.zeros_like(scores, dtype=float)
    block = scores[:, support]
    mean = block.mean(axis=1, keepdims=True)
    std = block.std(axis=1, keepdims=True)
    out[:, support] = np.divide(
        block - mean, std, out=np.zeros_like(block), where=std > 0
    )
    return out


def sentiment_vector(
    items: pd.DataFrame | None, item_ids: np.ndarray, column: str
) -> np.ndarray:
    """Standardised sentiment per item in ``item_ids`` order; 0 where a film has none."""
    vector = np.zeros(len(item_ids))
    if items is None or column not in items.columns:
        return vector
    values = items[[ITEM_ID, column]].drop_duplicates(ITEM_ID).dropna()
    if len(values) < 2:
        return vector
    raw = values[column].to_numpy(dtype=float)
    std = raw.std()
    if std == 0:
        return vector
    rows = pd.Index(item_ids).get_indexer(values[ITEM_ID])
    keep = rows >= 0
    vector[rows[keep]] = (raw[keep] - raw.mean()) / std
    return vector


class HybridRecommender(BaseRecommender):
    """Blend of fitted components and a sentiment prior.

    Args:
        components: Name → unfitted recommender (cloned and fitted on the same data).
        weights: Name → blend weight (a missing name weighs 0).
        sentiment_weight: Weight of standardised movie sentiment.
        sentiment_column: Column of ``items`` with each film's sentiment score.
    """

    def __init__(
        self,
        components: Mapping[str, BaseRecommender] | None = None,
        weights: Mapping[str, float] | None = None,
        sentiment_weight: float = 0.0,
        sentiment_column: str = "sentiment",
    ) -> None:
        self.components = components
        self.weights = weights
        self.sentiment_weight = sentiment_weight
        self.sentiment_column = sentiment_column

    def fit(
        self, interactions: pd.DataFrame, items: pd.DataFrame | None = None
    ) -> Self:
        """Index the data, then clone and fit every component on the same frames."""
        if not self.components:
            raise ConfigError("components", self.components, ["a non-empty mapping"])
        super().fit(interactions, items)
        fitted = {}
        for name, component in self.components.items():
            model = clone(component).fit(interactions, items)
            if not np.array_equal(model.item_ids_, self.item_ids_):
                raise DataError(f"component {name!r} indexed a different catalogue")
            fitted[name] = model
        self.components_ = fitted
        self.support_ = np.logical_or.reduce([m.support_ for m in fitted.values()])
        return self

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        self.sentiment_ = sentiment_vector(items, self.item_ids_, self.sentiment_column)

    def component_scores(
        self, rows: np.ndarray, names: list[str] | None = None
    ) -> dict[str, np.ndarray]:
        """Standardised scores of the named components (all by default) for the user rows."""
        names = list(self.components_) if names is None else names
        return {
            name: standardise_rows(
                self.components_[name]._checked_scores(rows),
                self.components_[name].support_,
            )
            for name in names
        }

    def blend(
        self,
        scores: Mapping[str, np.ndarray],
        weights: Mapping[str, float] | None = None,
        sentiment_weight: float | None = None,
    ) -> np.ndarray:
        """Weighted sum of standardised component scores plus the sentiment prior."""
        weights = dict(self.weights or {}) if weights is None else dict(weights)
        unknown = sorted(set(weights) - set(self.components_))
        if unknown:
            raise ConfigError("weights", unknown, sorted(self.components_))
        first = next(iter(scores.values()))
        total = np.zeros_like(first)
        for name, block in scores.items():
            total += weights.get(name, 0.0) * block
        sentiment_weight = (
            self.sentiment_weight if sentiment_weight is None else sentiment_weight
        )
        return total + sentiment_weight * self.sentiment_[None, :]

    def _zeros(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """No active component (sentiment only): a zero block to add the prior to."""
        return {"_none": np.zeros((len(rows), self.n_items))}

    def active_support(self, weights: Mapping[str, float] | None = None) -> np.ndarray:
        """Items some component with a non-zero weight can score.

        A film only a zero-weight component knows would otherwise enter the ranking with a
        neutral 0 and could outrank films the active components dislike.
        """
        weights = dict(self.weights or {}) if weights is None else dict(weights)
        active = [
            m.support_ for n, m in self.components_.items() if weights.get(n, 0.0)
        ]
        if not active:
            return np.ones(self.n_items, dtype=bool)
        return np.logical_or.reduce(active)

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        weights = dict(self.weights or {})
        active = [name for name in self.components_ if weights.get(name, 0.0)]
        blended = self.blend(self.component_scores(rows, active) or self._zeros(rows))
        blended[:, ~self.active_support()] = -np.inf
        return blended
