"""Choose hyper-parameters and blend weights on a validation split carved from training data.

The test split is touched once, after every choice is made; these helpers only ever see
``train`` (to fit) and ``validation`` (to score), so a reported test figure is an honest
estimate. Grids are small and explicit in parameters: on 2 CPU cores a broad search would not
fit the pipeline's time budget, and a small grid around published defaults loses little.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

from movia.errors import ConfigError
from movia.evaluation.columns import ITEM_ID, SCORE, USER_ID
from movia.evaluation.metrics import display_name, evaluate_ranking
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.hybrid import HybridRecommender

logger = logging.getLogger(__name__)


def validation_score(
    model: BaseRecommender,
    validation: pd.DataFrame,
    k: int,
    metric: str,
) -> float:
    """The metric of a fitted model's top-k lists for the validation users it knows."""
    users = np.intersect1d(validation[USER_ID].unique(), model.user_ids_)
    recommendations = model.recommend(users, k=k, exclude_seen=True)
    return evaluate_ranking(validation, recommendations, k, [metric])[
        display_name(metric, k)
    ]


def grid_search(
    estimator: BaseRecommender,
    grid: Mapping[str, Sequence[Any]],
    train: pd.DataFrame,
    validation: pd.DataFrame,
    items: pd.DataFrame | None = None,
    k: int = 10,
    metric: str = "ndcg@k",
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Fit a clone per grid point on ``train`` and score it on ``validation``.

    Returns:
        The best parameters (ties: the first in grid order) and a table of every point.
    """
    rows, points = [], []
    for params in ParameterGrid({key: list(values) for key, values in grid.items()}):
        points.append(params)
        model = clone(estimator).set_params(**params).fit(train, items)
        value = validation_score(model, validation, k, metric)
        rows.append({**params, metric: value})
        logger.info("%s %s: %s=%.4f", type(estimator).__name__, params, metric, value)
    table = pd.DataFrame(rows)
    if table.empty:
        return {}, table
    best = points[int(np.argmax(table[metric].to_numpy()))]
    return {key: _plain(value) for key, value in best.items()}, table


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars, so chosen parameters serialise to YAML/JSON."""
    return value.item() if isinstance(value, np.generic) else value


def top_k_frame(
    scores: np.ndarray,
    seen: Any,
    users: np.ndarray,
    item_ids: np.ndarray,
    k: int,
) -> pd.DataFrame:
    """Top-k of a dense score block with seen cells masked, as a recommendations frame."""
    masked = scores.copy()
    masked[seen.nonzero()] = -np.inf
    top = np.argpartition(-masked, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(masked, top, axis=1)
    return pd.DataFrame(
        {
            USER_ID: np.repeat(users, k),
            ITEM_ID: item_ids[top.ravel()],
            SCORE: values.ravel(),
        }
    )


def tune_blend(
    hybrid: HybridRecommender,
    validation: pd.DataFrame,
    weight_grid: Sequence[float],
    sentiment_grid: Sequence[float] = (0.0,),
    k: int = 10,
    metric: str = "ndcg@k",
) -> tuple[dict[str, float], float, pd.DataFrame]:
    """Search blend weights of a hybrid fitted on the training part.

    The first component's weight is fixed at 1 (only ratios matter); every other component
    takes each value of ``weight_grid``, and the sentiment weight each of ``sentiment_grid``.
    Component scores are computed once and re-blended per grid point.

    Returns:
        ``(weights, sentiment_weight, table)`` of the best point and of all points.
    """
    if not weight_grid:
        raise ConfigError("weight_grid", weight_grid, ["a non-empty list of floats"])
    users = np.intersect1d(validation[USER_ID].unique(), hybrid.user_ids_)
    rows = hybrid.user_rows(users)
    scores = hybrid.component_scores(rows)
    seen = hybrid.ratings_[rows]
    names = list(scores)
    rows_out = []
    for combo in itertools.product(*[list(weight_grid)] * (len(names) - 1)):
        weights = dict(zip(names, (1.0, *combo), strict=True))
        for sentiment_weight in sentiment_grid:
            blended = hybrid.blend(scores, weights, sentiment_weight)
            blended[:, ~hybrid.active_support(weights)] = -np.inf
            recs = top_k_frame(blended, seen, users, hybrid.item_ids_, k)
            recs = recs[np.isfinite(recs[SCORE].to_numpy())]
            value = evaluate_ranking(validation, recs, k, [metric])[
                display_name(metric, k)
            ]
            rows_out.append({**weights, "sentiment": sentiment_weight, metric: value})
    table = pd.DataFrame(rows_out)
    best = table.iloc[int(np.argmax(table[metric].to_numpy()))]
    chosen = {name: float(best[name]) for name in names}
    logger.info(
        "blend weights %s, sentiment %.2f: %s=%.4f",
        chosen,
        best["sentiment"],
        metric,
        best[metric],
    )
    return chosen, float(best["sentiment"]), table
