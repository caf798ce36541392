"""Recommenders sharing one scikit-learn-style interface, plus cold start and serving bundle.

``fit(interactions, items=None)``, ``recommend(users, k, exclude_seen)`` and ``score(users,
items)`` for every model in :data:`RECOMMENDERS`; :func:`make_recommender` builds one from its
name and parameters (as the pipeline's parameters spell them). Importing this package is cheap:
torch and sentence-transformers load only when text is embedded.
"""

from __future__ import annotations

from typing import Any

from movia.errors import ConfigError
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.bayesian_mf import BayesianMFRecommender
from movia.models.recommenders.bundle import RecommenderBundle
from movia.models.recommenders.cold_start import ColdStartRecommender
from movia.models.recommenders.content import ContentRecommender
from movia.models.recommenders.ease import EASERecommender
from movia.models.recommenders.hybrid import HybridRecommender
from movia.models.recommenders.item_knn import ItemKNNRecommender
from movia.models.recommenders.mf import ALSRecommender
from movia.models.recommenders.popularity import PopularityRecommender

RECOMMENDERS: dict[str, type[BaseRecommender]] = {
    "popularity": PopularityRecommender,
    "item_knn": ItemKNNRecommender,
    "ease": EASERecommender,
    "als": ALSRecommender,
    "bpmf": BayesianMFRecommender,
    "content": ContentRecommender,
    "hybrid": HybridRecommender,
}
"""Model kind (as written in parameters) → class."""


def make_recommender(kind: str, **params: Any) -> BaseRecommender:
    """Build an unfitted recommender from its kind and keyword parameters."""
    if kind not in RECOMMENDERS:
        raise ConfigError("kind", kind, sorted(RECOMMENDERS))
    return RECOMMENDERS[kind](**params)


__all__ = [
    "RECOMMENDERS",
    "ALSRecommender",
    "BaseRecommender",
    "BayesianMFRecommender",
    "ColdStartRecommender",
    "ContentRecommender",
    "EASERecommender",
    "HybridRecommender",
    "ItemKNNRecommender",
    "PopularityRecommender",
    "RecommenderBundle",
    "make_recommender",
]
