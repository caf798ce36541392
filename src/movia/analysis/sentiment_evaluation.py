"""Sentiment test-set predictions, throughput and the metrics report built from them.

Predictions are made once per model and test set and kept as a long table (one row per review
and model), so metrics, plots, the ensemble and the explanation sample all read the same numbers
and nothing is predicted twice: a transformer over 25k reviews costs minutes on a CPU. Every
model is also scored on the rows *all* models predicted (``common``), the only fair side-by-side
when a CPU-sized run evaluates the transformer on a sample of the test split.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from movia.evaluation.classification import classification_report

logger = logging.getLogger(__name__)

PREDICTION_COLUMNS = ["review_id", "test_set", "lang", "label", "model", "prob_pos"]
HEADLINE_METRICS = ("accuracy", "macro_f1", "roc_auc", "ece", "brier")


def predict_test_set(
    models: Mapping[str, object], test: pd.DataFrame, test_set: str
) -> tuple[pd.DataFrame, dict[str, dict]]:
    """P(pos) of every model on every review of ``test``, and each model's throughput.

    Args:
        models: Name → fitted model; a model may be None (not trained in this configuration).
        test: Reviews with ``review_id``, ``lang``, ``label`` and ``text``.
        test_set: Name recorded in the ``test_set`` column (e.g. ``"imdb_test"``).

    Returns:
        Rows of :data:`PREDICTION_COLUMNS`, and name → ``{"reviews", "seconds",
        "reviews_per_second"}`` measured on this call (single process, wall clock).
    """
    texts = test["text"].tolist()
    frames, throughput = [], {}
    for name, model in models.items():
        if model is None or test.empty:
            continue
        started = time.perf_counter()
        prob_pos = model.predict_proba(texts)[:, 1]
        seconds = time.perf_counter() - started
        throughput[name] = {
            "reviews": len(texts),
            "seconds": round(seconds, 3),
            "reviews_per_second": round(len(texts) / seconds, 1) if seconds else None,
        }
        logger.info(
            "%s on %s: %d reviews in %.1f s (%.0f reviews/s)",
            name,
            test_set,
            len(texts),
            seconds,
            len(texts) / max(seconds, 1e-9),
        )
        frames.append(
            pd.DataFrame(
                {
                    "review_id": test["review_id"].to_numpy(),
                    "test_set": test_set,
                    "lang": test["lang"].to_numpy(),
                    "label": test["label"].astype(str).to_numpy(),
                    "model": name,
                    "prob_pos": prob_pos.astype(np.float64),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=PREDICTION_COLUMNS), throughput
    return pd.concat(frames, ignore_index=True)[PREDICTION_COLUMNS], throughput


def add_ensemble_predictions(
    predictions: pd.DataFrame,
    name: str,
    members: list[str],
    combine: Callable[[Mapping[str, np.ndarray]], np.ndarray],
) -> pd.DataFrame:
    """Append rows for an ensemble, on the reviews every member predicted.

    Args:
        predictions: Rows of :data:`PREDICTION_COLUMNS`.
        name: Model name of the ensemble's rows.
        members: Model names the ensemble averages.
        combine: Member name → P(pos) array ↦ ensemble P(pos) (``SoftVotingEnsemble.combine``).
    """
    rows = predictions[predictions["model"].isin(members)]
    wide = rows.pivot_table(
        index=["review_id", "test_set", "lang", "label"],
        columns="model",
        values="prob_pos",
        aggfunc="first",
        observed=True,
    ).dropna()
    if wide.empty or set(members) - set(wide.columns):
        logger.warning(
            "ensemble %s: its members share no predicted review; skipped", name
        )
        return predictions
    prob = combine({member: wide[member].to_numpy() for member in members})
    ensemble = wide.index.to_frame(index=False).assign(model=name, prob_pos=prob)
    return pd.concat([predictions, ensemble[PREDICTION_COLUMNS]], ignore_index=True)


def _summaries(
    predictions: pd.DataFrame, n_bins: int, threshold: float
) -> dict[str, dict[str, dict]]:
    reports: dict[str, dict[str, dict]] = {}
    for (model, test_set), group in predictions.groupby(
        ["model", "test_set"], sort=True
    ):
        reports.setdefault(model, {})[test_set] = classification_report(
            group["label"], group["prob_pos"], threshold=threshold, n_bins=n_bins
        )
    return reports


def common_rows(predictions: pd.DataFrame) -> pd.DataFrame:
    """Predictions restricted, per test set, to the reviews that every model of it predicted."""
    kept = []
    for _, group in predictions.groupby("test_set", sort=True):
        n_models = group["model"].nunique()
        counts = group.groupby("review_id")["model"].nunique()
        shared = counts.index[counts == n_models]
        kept.append(group[group["review_id"].isin(shared)])
    return pd.concat(kept) if kept else predictions.iloc[:0]


def build_sentiment_metrics(
    predictions: pd.DataFrame,
    throughput: Mapping[str, Mapping[str, dict]],
    n_bins: int = 10,
    threshold: float = 0.5,
) -> dict:
    """The versioned sentiment metrics report.

    Args:
        predictions: Rows of :data:`PREDICTION_COLUMNS` (ensembles included).
        throughput: Test set → model → timing, as :func:`predict_test_set` returns.

    Returns:
        ``side_by_side`` (one record per model and test set: n, headline metrics,
        reviews/s), ``common`` (the same on the reviews all models of a test set predicted),
        and ``details`` (full reports with confusion counts and reliability tables).
    """
    details = _summaries(predictions, n_bins, threshold)
    common = _summaries(common_rows(predictions), n_bins, threshold)

    def flatten(reports: dict[str, dict[str, dict]], with_speed: bool) -> list[dict]:
        records = []
        for model, by_set in reports.items():
            for test_set, report in by_set.items():
                record = {"model": model, "test_set": test_set, "n": report["n"]}
                record |= {key: report[key] for key in HEADLINE_METRICS}
                if with_speed:
                    speed = throughput.get(test_set, {}).get(model, {})
                    record["reviews_per_second"] = speed.get("reviews_per_second")
                records.append(record)
        return records

    return {
        "side_by_side": flatten(details, with_speed=True),
        "common": flatten(common, with_speed=False),
        "details": details,
        "throughput": {k: dict(v) for k, v in throughput.items()},
        "threshold": threshold,
        "n_bins": n_bins,
    }


def mlflow_metrics(metrics: dict) -> dict[str, dict[str, float]]:
    """``{"<model>.<test_set>.<metric>": {"value": v, "step": 0}}`` for MLflow's history dataset."""
    flat: dict[str, dict[str, float]] = {}
    for record in metrics["side_by_side"]:
        prefix = f"{record['model']}.{record['test_set']}"
        for key in (*HEADLINE_METRICS, "reviews_per_second"):
            value = record.get(key)
            if value is not None and np.isfinite(value):
                flat[f"{prefix}.{key}"] = {"value": float(value), "step": 0}
    return flat
