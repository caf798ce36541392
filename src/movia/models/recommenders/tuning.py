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
from movia.evaluation.columns import ITEM_ID, USER_ID
from movia.evaluation.metrics import display_name, evaluate_ranking
from movia.evaluation.ranking import PER_USER, RankingHits
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


def _relevance_matrix(
    validation: pd.DataFrame, users: np.ndarray, items: pd.Index
) -> np.ndarray:
    """Dense users x items booleans: which validation items each user interacted with."""
    matrix = np.zeros((len(users), len(items)), dtype=bool)
    mine = validation[validation[USER_ID].isin(users)]
    matrix[
        pd.Index(users).get_indexer(mine[USER_ID]), items.get_indexer(mine[ITEM_ID])
    ] = True
    return matrix


def _ranking_value(
    scores: np.ndarray,
    relevant: np.ndarray,
    users: np.ndarray,
    n_relevant: np.ndarray,
    k: int,
    metric: str,
) -> float:
    """A ranking metric straight from a score block, with :mod:`evaluation.ranking`'s
    definitions (the same per-user functions), without building frames: the blend search
    evaluates hundreds of points."""
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    top = np.take_along_axis(top, order, axis=1)
    finite = np.isfinite(np.take_along_axis(scores, top, axis=1))
    hits = np.take_along_axis(relevant, top, axis=1) & finite
    ranking = RankingHits(users, hits, n_relevant, finite.sum(axis=1), k)
    return float(PER_USER[metric](ranking).mean())


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
    if metric not in PER_USER:
        raise ConfigError("metric", metric, sorted(PER_USER))
    known = validation[validation[ITEM_ID].isin(hybrid.item_ids_)]
    users = np.intersect1d(validation[USER_ID].unique(), hybrid.user_ids_)
    rows = hybrid.user_rows(users)
    scores = hybrid.component_scores(rows)
    seen = hybrid.ratings_[rows].nonzero()
    relevant = _relevance_matrix(known, users, hybrid.item_index_)
    n_relevant = validation[validation[USER_ID].isin(users)].groupby(USER_ID).size()
    n_relevant = n_relevant.reindex(users).to_numpy()
    names = list(scores)
    rows_out = []
    for combo in itertools.product(*[list(weight_grid)] * (len(names) - 1)):
        weights = dict(zip(names, (1.0, *combo), strict=True))
        support = hybrid.active_support(weights)
        for sentiment_weight in sentiment_grid:
            blended = hybrid.blend(scores, weights, sentiment_weight)
            blended[:, ~support] = -np.inf
            blended[seen] = -np.inf
            value = _ranking_value(blended, relevant, users, n_relevant, k, metric)
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
