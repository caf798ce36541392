"""Run several recommenders on the same split with the same metrics, timing each.

Fair by construction (as Cornac's ``Experiment``): one train frame, one test frame, one cut-off,
one metric list for every model. Estimators are duck-typed (``fit`` then ``recommend(users, k,
exclude_seen)`` returning ``user_id, item_id, score``), so this module never imports
``movia.models`` and library baselines wrapped in the same two methods fit in too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from movia.evaluation.columns import DEFAULT_K, ITEM_ID, USER_ID
from movia.evaluation.contract import require_columns
from movia.evaluation.metrics import (
    DEFAULT_RANKING,
    evaluate_beyond_accuracy,
    evaluate_ranking,
)

logger = logging.getLogger(__name__)


@dataclass
class ModelRun:
    """One model's outcome on the shared split.

    Attributes:
        name: The model's name in the comparison.
        metrics: Display name → value (accuracy and beyond-accuracy), plus ``fit_seconds``
            and ``recommend_ms_per_user`` (batch time over the test users).
        per_user: Display name → per-user Series, for significance tests.
        recommendations: The top-k lists that were scored.
    """

    name: str
    metrics: dict[str, float]
    per_user: dict[str, pd.Series] = field(repr=False)
    recommendations: pd.DataFrame = field(repr=False)


def run_model(
    name: str,
    model: Any,
    train: pd.DataFrame,
    test: pd.DataFrame,
    *,
    k: int = DEFAULT_K,
    items: pd.DataFrame | None = None,
    metrics: Iterable[str] = DEFAULT_RANKING,
    exclude_seen: bool = True,
    catalogue_size: int | None = None,
    item_vectors: Mapping[object, np.ndarray] | None = None,
    fit: bool = True,
) -> ModelRun:
    """Fit (unless ``fit=False``), recommend for every test user, and score the lists."""
    require_columns(test, [USER_ID], "test")
    started = time.perf_counter()
    if fit and items is None:
        model.fit(train)
    elif fit:
        model.fit(train, items)
    fit_seconds = time.perf_counter() - started
    users = np.sort(test[USER_ID].unique())
    started = time.perf_counter()
    recommendations = model.recommend(users, k=k, exclude_seen=exclude_seen)
    recommend_seconds = time.perf_counter() - started
    per_user = evaluate_ranking(test, recommendations, k, metrics, per_user=True)
    scores = {metric: float(values.mean()) for metric, values in per_user.items()}
    scores.update(
        evaluate_beyond_accuracy(
            recommendations,
            train,
            catalogue_size or int(train[ITEM_ID].nunique()),
            k,
            item_vectors,
        )
    )
    scores["fit_seconds"] = fit_seconds
    scores["recommend_ms_per_user"] = 1000.0 * recommend_seconds / max(len(users), 1)
    logger.info(
        "%s: %s",
        name,
        ", ".join(f"{key}={value:.4f}" for key, value in scores.items()),
    )
    return ModelRun(name, scores, per_user, recommendations)


def compare_recommenders(
    models: Mapping[str, Any],
    train: pd.DataFrame,
    test: pd.DataFrame,
    **kwargs: Any,
) -> list[ModelRun]:
    """:func:`run_model` for each named model, in order, on the same split."""
    return [
        run_model(name, model, train, test, **kwargs) for name, model in models.items()
    ]


def comparison_table(runs: Iterable[ModelRun]) -> pd.DataFrame:
    """Long table ``model, metric, value``: one row per model and metric."""
    rows = [
        {"model": run.name, "metric": metric, "value": value}
        for run in runs
        for metric, value in run.metrics.items()
    ]
    return pd.DataFrame(rows, columns=["model", "metric", "value"])
