"""Soft-voting ensemble: a weighted mean of the members' P(pos).

Linear n-gram models and fine-tuned encoders make different mistakes (the first misses
negation and irony, the second misses what truncation cut off), so averaging their
probabilities is the cheapest way past either alone. The members are usually trained by other
pipeline nodes, hence ``prefit``; :meth:`combine` lets evaluation reuse predictions it has already
paid for instead of running a transformer over 25k reviews twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from movia.errors import ConfigError
from movia.models.sentiment.inputs import CLASSES, prepare_labels, prepare_texts


class SoftVotingEnsemble(ClassifierMixin, BaseEstimator):
    """Weighted mean of the positive-class probabilities of several sentiment models.

    Args:
        members: Name → estimator with ``predict_proba(texts)`` in ``["neg", "pos"]`` order.
        weights: Name → weight (normalised to sum 1); None weighs members equally.
        prefit: Members are already fitted; ``fit`` only checks them instead of refitting.
    """

    def __init__(
        self,
        members: Mapping[str, object],
        weights: Mapping[str, float] | None = None,
        prefit: bool = True,
    ) -> None:
        self.members = members
        self.weights = weights
        self.prefit = prefit

    def _normalised_weights(self) -> dict[str, float]:
        names = list(self.members)
        weights = dict(self.weights) if self.weights else dict.fromkeys(names, 1.0)
        unknown = sorted(set(weights) - set(names))
        if unknown or not names:
            raise ConfigError("ensemble weights", unknown or weights, names)
        total = sum(weights.get(name, 0.0) for name in names)
        if total <= 0:
            raise ConfigError("ensemble weights", weights, ["positive weights"])
        return {name: weights.get(name, 0.0) / total for name in names}

    def fit(
        self,
        texts: Iterable[object] | None = None,
        labels: Iterable[object] | None = None,
    ) -> SoftVotingEnsemble:
        """Fit clones of the members on ``texts``/``labels``, or adopt them when ``prefit``."""
        weights = self._normalised_weights()
        if self.prefit:
            for member in self.members.values():
                check_is_fitted(member)
            self.members_ = dict(self.members)
        else:
            docs = prepare_texts(texts or [])
            y = prepare_labels(labels or [], len(docs))
            self.members_ = {
                name: clone(member).fit(docs, y)
                for name, member in self.members.items()
            }
        self.weights_ = weights
        self.classes_ = CLASSES.copy()
        return self

    def combine(self, member_prob_pos: Mapping[str, np.ndarray]) -> np.ndarray:
        """P(pos) of the ensemble from each member's P(pos) on the same texts."""
        check_is_fitted(self, "weights_")
        missing = sorted(set(self.weights_) - set(member_prob_pos))
        if missing:
            raise ConfigError("member predictions", missing, sorted(member_prob_pos))
        return sum(
            weight * np.asarray(member_prob_pos[name], dtype=np.float64)
            for name, weight in self.weights_.items()
        )

    def predict_proba(self, texts: Iterable[object]) -> np.ndarray:
        """``(n, 2)`` probabilities in ``classes_`` order."""
        check_is_fitted(self, "members_")
        docs = prepare_texts(texts)
        prob_pos = self.combine(
            {name: m.predict_proba(docs)[:, 1] for name, m in self.members_.items()}
        )
        return np.column_stack([1.0 - prob_pos, prob_pos])

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """``"neg"``/``"pos"`` for each text (positive when P(pos) ≥ 0.5)."""
        return self.classes_[(self.predict_proba(texts)[:, 1] >= 0.5).astype(int)]
