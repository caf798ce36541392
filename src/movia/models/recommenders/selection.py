"""Choose every model's hyper-parameters and the hybrid's blend on a validation split.

The pipeline's ``tune_recommenders`` node calls :func:`select_recommenders` with the training
split only; validation is carved from it with the same protocol as the test split (each user's
latest interactions), so what is chosen here transfers to the test split without ever seeing it.
The result is a plain dict (YAML/JSON-ready) that :func:`build_candidates` and
:func:`build_hybrid` turn back into estimators.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from movia.evaluation.splitters import leave_last_n_out
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.content import ContentRecommender
from movia.models.recommenders.ease import EASERecommender
from movia.models.recommenders.hybrid import HybridRecommender
from movia.models.recommenders.item_knn import ItemKNNRecommender
from movia.models.recommenders.mf import ALSRecommender
from movia.models.recommenders.popularity import PopularityRecommender
from movia.models.recommenders.tuning import grid_search, tune_blend

logger = logging.getLogger(__name__)

CONTENT_COLUMNS = {"content_minilm": "minilm", "content_word2vec": "word2vec"}
"""Content model name → column of ``items`` holding its vectors."""
TUNED = {"ease": EASERecommender, "als": ALSRecommender, "item_knn": ItemKNNRecommender}


def available_content(items: pd.DataFrame) -> list[str]:
    """Content models whose vectors exist for at least one film."""
    return [
        name
        for name, column in CONTENT_COLUMNS.items()
        if column in items.columns and items[column].notna().any()
    ]


def build_candidates(
    choices: Mapping[str, Any], items: pd.DataFrame, tensorboard_dir: str | None = None
) -> dict[str, BaseRecommender]:
    """Every single model, with its chosen parameters (content models only when vectors exist)."""
    models: dict[str, BaseRecommender] = {"popularity": PopularityRecommender()}
    for name, cls in TUNED.items():
        params = dict(choices.get(name, {}))
        if name == "als":
            params.setdefault("tensorboard_dir", tensorboard_dir)
        models[name] = cls(**params)
    for name in available_content(items):
        models[name] = ContentRecommender(embedding_column=CONTENT_COLUMNS[name])
    return models


def build_hybrid(
    choices: Mapping[str, Any],
    items: pd.DataFrame,
    with_sentiment: bool | None = True,
    tensorboard_dir: str | None = None,
) -> HybridRecommender:
    """The hybrid with its chosen components and weights.

    ``with_sentiment``: True for the best blend with a positive sentiment weight, False for
    the best without, None for the one chosen to serve (the better on validation).
    """
    hybrid = choices["hybrid"]
    if with_sentiment is None:
        with_sentiment = hybrid.get("served", "with_sentiment") == "with_sentiment"
    candidates = build_candidates(choices, items, tensorboard_dir)
    components = {name: candidates[name] for name in hybrid["components"]}
    weights = hybrid["weights" if with_sentiment else "weights_without_sentiment"]
    sentiment = hybrid["sentiment_weight"] if with_sentiment else 0.0
    return HybridRecommender(components, weights=weights, sentiment_weight=sentiment)


def select_recommenders(
    train: pd.DataFrame, items: pd.DataFrame, tuning: Mapping[str, Any]
) -> dict[str, Any]:
    """Grid-search each tuned model, then the hybrid's blend, on a validation split of ``train``.

    Args:
        train: The training split (evaluation contract).
        items: Catalogue with genres, years, ``sentiment`` and embedding columns.
        tuning: ``validation_per_user``, ``k``, ``metric``, one grid per tuned model
            (``ease``, ``als``, ``item_knn``), ``hybrid_components``, ``blend_weights``,
            ``sentiment_weights``.

    Returns:
        Chosen parameters per model and, under ``hybrid``, the components, the weights with
        and without sentiment, the sentiment weight and their validation scores.
    """
    k, metric = tuning["k"], tuning["metric"]
    inner, validation = leave_last_n_out(
        train, n=tuning["validation_per_user"], min_train=1
    )
    choices: dict[str, Any] = {
        "validation": {"train": len(inner), "validation": len(validation)}
    }
    scores: dict[str, float] = {}
    for name, cls in TUNED.items():
        best, table = grid_search(
            cls(), tuning[name], inner, validation, items, k, metric
        )
        choices[name] = best
        scores[name] = float(table[metric].max())
        logger.info(
            "%s: chose %s (validation %s %.4f)", name, best, metric, scores[name]
        )
    components = [
        name
        for name in tuning["hybrid_components"]
        if name in TUNED or name in available_content(items)
    ]
    probe = HybridRecommender(build_candidates_for(components, choices, items)).fit(
        inner, items
    )
    _, _, table = tune_blend(
        probe,
        validation,
        tuning["blend_weights"],
        tuning["sentiment_weights"],
        k,
        metric,
    )
    # Best blend with a positive sentiment weight ("with sentiment") and best without, so the
    # test split can report both; the better of the two on validation is the one served.
    with_sentiment = _best_row(table[table["sentiment"] > 0], metric)
    without = _best_row(table[table["sentiment"] == 0], metric)
    if with_sentiment is None:  # no positive sentiment weight in the grid
        with_sentiment = without
    served = (
        "with_sentiment"
        if with_sentiment[metric] > without[metric]
        else "without_sentiment"
    )
    choices["hybrid"] = {
        "components": components,
        "weights": {name: float(with_sentiment[name]) for name in components},
        "sentiment_weight": float(with_sentiment["sentiment"]),
        "weights_without_sentiment": {
            name: float(without[name]) for name in components
        },
        "served": served,
        "validation": {
            "with_sentiment": float(with_sentiment[metric]),
            "without_sentiment": float(without[metric]),
        },
    }
    logger.info("hybrid: %s (served: %s)", choices["hybrid"]["validation"], served)
    choices["validation"]["scores"] = scores
    return choices


def _best_row(table: pd.DataFrame, metric: str) -> pd.Series | None:
    if table.empty:
        return None
    return table.iloc[int(table[metric].to_numpy().argmax())]


def build_candidates_for(
    names: list[str], choices: Mapping[str, Any], items: pd.DataFrame
) -> dict[str, BaseRecommender]:
    """The named single models with their chosen parameters."""
    candidates = build_candidates(choices, items)
    return {name: candidates[name] for name in names}
