"""One entry point for every recommendation metric: name → function, and a report builder.

Ranking metrics come from :mod:`movia.evaluation.ranking`, rating metrics from
:mod:`movia.evaluation.rating`, beyond-accuracy ones from :mod:`movia.evaluation.beyond_accuracy`.
:func:`evaluate_ranking` builds the hit matrix once and reports each requested metric under its
display name (``ndcg@10``), so a report, a benchmark and an MLflow key all spell it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from movia.errors import ConfigError
from movia.evaluation.beyond_accuracy import (
    average_popularity,
    catalogue_coverage,
    intra_list_diversity,
    novelty,
)
from movia.evaluation.columns import DEFAULT_K
from movia.evaluation.ranking import (
    PER_USER,
    hit_rate_at_k,
    map_at_k,
    map_score,
    mrr,
    ndcg_at_k,
    precision_at_k,
    ranking_hits,
    recall_at_k,
)
from movia.evaluation.rating import mae, rmse

RANKING_METRICS = {
    "ndcg@k": ndcg_at_k,
    "map": map_score,
    "map@k": map_at_k,
    "precision@k": precision_at_k,
    "recall@k": recall_at_k,
    "mrr": mrr,
    "hit_rate@k": hit_rate_at_k,
}
RATING_METRICS = {"rmse": rmse, "mae": mae}
BEYOND_ACCURACY_METRICS = {
    "coverage@k": catalogue_coverage,
    "novelty@k": novelty,
    "diversity@k": intra_list_diversity,
    "popularity@k": average_popularity,
}
DEFAULT_RANKING = ("ndcg@k", "map", "precision@k", "recall@k", "mrr", "hit_rate@k")


def display_name(name: str, k: int) -> str:
    """``"ndcg@k"`` → ``"ndcg@10"``; names without ``@k`` are unchanged."""
    return name.replace("@k", f"@{k}")


def evaluate_ranking(
    truth: pd.DataFrame,
    recommendations: pd.DataFrame,
    k: int = DEFAULT_K,
    metrics: Iterable[str] = DEFAULT_RANKING,
    per_user: bool = False,
) -> dict[str, float] | dict[str, pd.Series]:
    """Compute several ranking metrics from one hit matrix.

    Args:
        truth: Relevant (user, item) pairs.
        recommendations: Ranked lists with scores.
        k: Cut-off.
        metrics: Names from :data:`RANKING_METRICS`.
        per_user: Return a Series per metric (indexed by user) instead of the mean.

    Returns:
        Display name (``ndcg@10``) → mean value, or → per-user Series.
    """
    names = list(metrics)
    unknown = [name for name in names if name not in PER_USER]
    if unknown:
        raise ConfigError("metrics", unknown, sorted(PER_USER))
    hits = ranking_hits(truth, recommendations, k)
    report: dict = {}
    for name in names:
        values = PER_USER[name](hits)
        if per_user:
            report[display_name(name, k)] = pd.Series(values, index=hits.users)
        else:
            report[display_name(name, k)] = float(values.mean()) if values.size else 0.0
    return report


def evaluate_beyond_accuracy(
    recommendations: pd.DataFrame,
    train: pd.DataFrame,
    catalogue_size: int,
    k: int = DEFAULT_K,
    item_vectors: Mapping[object, np.ndarray] | None = None,
) -> dict[str, float]:
    """Coverage, novelty, popularity bias and (when vectors are given) intra-list diversity."""
    report = {
        display_name("coverage@k", k): catalogue_coverage(
            recommendations, catalogue_size, k
        ),
        display_name("novelty@k", k): novelty(recommendations, train, k),
        display_name("popularity@k", k): average_popularity(recommendations, train, k),
    }
    if item_vectors is not None:
        report[display_name("diversity@k", k)] = intra_list_diversity(
            recommendations, item_vectors, k
        )
    return report
