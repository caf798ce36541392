"""Binary classification metrics for sentiment: accuracy, macro-F1, ROC-AUC, calibration, confusion.

Every metric takes the same pair: the true labels (``"neg"``/``"pos"`` strings, or 0/1) and the
predicted probability of the positive class. Probabilities, not hard labels, are the common
currency because ROC-AUC and calibration need them and a label is one threshold away; that also
lets the ensemble, the baselines and the transformer be compared on exactly the same footing.

Calibration is measured on the positive class (a reliability diagram of predicted P(pos) against
the observed share of positives), the form that matters downstream: ``movie_sentiment`` averages
``prob_pos``, so a model that says 0.8 must be right about 80 % of the time for those averages to
mean anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, roc_auc_score

from movia.errors import DataError

NEGATIVE, POSITIVE = "neg", "pos"
LABELS = (NEGATIVE, POSITIVE)
DEFAULT_THRESHOLD = 0.5
DEFAULT_BINS = 10


def encode_labels(labels: Sequence[object] | pd.Series | np.ndarray) -> np.ndarray:
    """Turn ``"neg"``/``"pos"`` (or 0/1, or booleans) into an int array of 0/1.

    Raises:
        DataError: naming the first row whose label is neither, so a stray ``"unsup"`` or NA
            is caught here instead of silently counting as negative.
    """
    values = pd.Series(labels, dtype="object").reset_index(drop=True)
    # 0/1 keys also match False/True and numpy integers: they hash and compare equal.
    mapping = {NEGATIVE: 0, POSITIVE: 1, 0: 0, 1: 1}
    encoded = values.map(lambda v: mapping.get(v, -1) if _hashable(v) else -1)
    bad = encoded.to_numpy() < 0
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"label {values.iloc[row]!r} is not one of {LABELS} or 0/1",
            row=row,
            field="label",
        )
    return encoded.to_numpy(dtype=np.int64)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _check_inputs(
    y_true: Sequence[object] | np.ndarray, prob_pos: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Encoded labels and float probabilities of equal, non-zero length within [0, 1]."""
    y = encode_labels(y_true)
    p = np.asarray(prob_pos, dtype=np.float64).reshape(-1)
    if len(y) != len(p):
        raise DataError(f"{len(y)} labels but {len(p)} probabilities", field="prob_pos")
    if len(y) == 0:
        raise DataError("no predictions to evaluate", field="prob_pos")
    bad = ~np.isfinite(p) | (p < 0) | (p > 1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"probability {p[row]!r} is outside [0, 1]", row=row, field="prob_pos"
        )
    return y, p


def predict_labels(
    prob_pos: Sequence[float] | np.ndarray, threshold: float = DEFAULT_THRESHOLD
) -> np.ndarray:
    """0/1 predictions; a probability equal to the threshold counts as positive."""
    return (np.asarray(prob_pos, dtype=np.float64) >= threshold).astype(np.int64)


def accuracy(
    y_true: Sequence[object],
    prob_pos: Sequence[float],
    threshold: float = DEFAULT_THRESHOLD,
) -> float:
    """Share of reviews whose thresholded prediction equals the label."""
    y, p = _check_inputs(y_true, prob_pos)
    return float(np.mean(predict_labels(p, threshold) == y))


def macro_f1(
    y_true: Sequence[object],
    prob_pos: Sequence[float],
    threshold: float = DEFAULT_THRESHOLD,
) -> float:
    """Unweighted mean of the F1 of each class (a class never predicted scores 0, not NaN)."""
    y, p = _check_inputs(y_true, prob_pos)
    return float(
        f1_score(
            y,
            predict_labels(p, threshold),
            average="macro",
            labels=[0, 1],
            zero_division=0,
        )
    )


def roc_auc(y_true: Sequence[object], prob_pos: Sequence[float]) -> float:
    """Area under the ROC curve; NaN when only one class is present (it is undefined then)."""
    y, p = _check_inputs(y_true, prob_pos)
    if len(np.unique(y)) < 2:
        return float("nan")
    return float(roc_auc_score(y, p))


def confusion_counts(
    y_true: Sequence[object],
    prob_pos: Sequence[float],
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, int]:
    """``tn``, ``fp``, ``fn``, ``tp`` with ``pos`` as the positive class."""
    y, p = _check_inputs(y_true, prob_pos)
    pred = predict_labels(p, threshold)
    return {
        "tn": int(np.sum((y == 0) & (pred == 0))),
        "fp": int(np.sum((y == 0) & (pred == 1))),
        "fn": int(np.sum((y == 1) & (pred == 0))),
        "tp": int(np.sum((y == 1) & (pred == 1))),
    }


def confusion_matrix(
    y_true: Sequence[object],
    prob_pos: Sequence[float],
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """2×2 counts, rows = true label, columns = predicted label, both in ``("neg", "pos")``."""
    c = confusion_counts(y_true, prob_pos, threshold)
    return pd.DataFrame(
        [[c["tn"], c["fp"]], [c["fn"], c["tp"]]],
        index=pd.Index(LABELS, name="true"),
        columns=pd.Index(LABELS, name="predicted"),
    )


def _bin_index(p: np.ndarray, n_bins: int) -> np.ndarray:
    """Equal-width bins over [0, 1]; 1.0 falls in the last bin instead of a bin of its own."""
    return np.minimum((p * n_bins).astype(np.int64), n_bins - 1)


def reliability_table(
    y_true: Sequence[object], prob_pos: Sequence[float], n_bins: int = DEFAULT_BINS
) -> pd.DataFrame:
    """Per probability bin: its bounds, review count, mean predicted P(pos), share of positives.

    Empty bins are kept (count 0, NaN means) so the table always has ``n_bins`` rows and two
    models' tables line up in a plot.
    """
    if n_bins < 1:
        raise DataError(f"n_bins must be at least 1, got {n_bins}", field="n_bins")
    y, p = _check_inputs(y_true, prob_pos)
    bins = _bin_index(p, n_bins)
    counts = np.bincount(bins, minlength=n_bins)
    sum_p = np.bincount(bins, weights=p, minlength=n_bins)
    sum_y = np.bincount(bins, weights=y, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.where(counts > 0, sum_p / counts, np.nan)
        frac_y = np.where(counts > 0, sum_y / counts, np.nan)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    return pd.DataFrame(
        {
            "bin_low": edges[:-1],
            "bin_high": edges[1:],
            "count": counts.astype(np.int64),
            "mean_prob_pos": mean_p,
            "frac_pos": frac_y,
        }
    )


def expected_calibration_error(
    y_true: Sequence[object], prob_pos: Sequence[float], n_bins: int = DEFAULT_BINS
) -> float:
    """ECE = Σ_b (n_b / N) · |share of positives in b − mean P(pos) in b| over equal-width bins."""
    table = reliability_table(y_true, prob_pos, n_bins)
    used = table[table["count"] > 0]
    gaps = (used["frac_pos"] - used["mean_prob_pos"]).abs()
    return float((used["count"] * gaps).sum() / used["count"].sum())


def brier_score(y_true: Sequence[object], prob_pos: Sequence[float]) -> float:
    """Mean squared error of P(pos) against the 0/1 label: calibration and sharpness in one."""
    y, p = _check_inputs(y_true, prob_pos)
    return float(np.mean((p - y) ** 2))


METRICS: dict[str, Callable[..., float]] = {
    "accuracy": accuracy,
    "macro_f1": macro_f1,
    "roc_auc": roc_auc,
    "ece": expected_calibration_error,
    "brier": brier_score,
}


def classification_report(
    y_true: Sequence[object],
    prob_pos: Sequence[float],
    threshold: float = DEFAULT_THRESHOLD,
    n_bins: int = DEFAULT_BINS,
) -> dict:
    """Every metric of :data:`METRICS`, the confusion counts and the reliability table.

    Returns:
        JSON-ready dict: ``n``, ``accuracy``, ``macro_f1``, ``roc_auc`` (None when undefined),
        ``ece``, ``brier``, ``confusion`` (``tn``/``fp``/``fn``/``tp``) and ``reliability``
        (a list of per-bin records).
    """
    y, p = _check_inputs(y_true, prob_pos)
    auc = roc_auc(y, p)
    return {
        "n": len(y),
        "accuracy": accuracy(y, p, threshold),
        "macro_f1": macro_f1(y, p, threshold),
        "roc_auc": None if np.isnan(auc) else auc,
        "ece": expected_calibration_error(y, p, n_bins),
        "brier": brier_score(y, p),
        "confusion": confusion_counts(y, p, threshold),
        "reliability": reliability_table(y, p, n_bins)
        .astype(object)
        .where(lambda t: t.notna(), None)
        .to_dict(orient="records"),
    }
