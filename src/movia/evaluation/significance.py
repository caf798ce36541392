"""Is model A really better than model B on this test set? Paired tests and bootstrap intervals.

Both models are scored on the same users, so the per-user differences are what vary; a paired
test on them is far more sensitive than comparing two means. The Wilcoxon signed-rank test makes
no normality assumption (per-user nDCG is bounded and skewed); the paired t-test is reported
beside it because readers know it. Confidence intervals come from a seeded bootstrap over users.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from movia.errors import ConfigError, DataError


def _aligned(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    common = a.index.intersection(b.index)
    if len(common) < 2:
        raise DataError(
            f"only {len(common)} user(s) in common; a paired test needs at least 2",
            field="user_id",
        )
    return a.loc[common].to_numpy(float), b.loc[common].to_numpy(float)


def paired_test(
    per_user_a: pd.Series, per_user_b: pd.Series, method: str = "wilcoxon"
) -> dict[str, float]:
    """Test whether A and B differ on the users both were scored on.

    Args:
        per_user_a: A's metric per user (index = user id), e.g. from ``per_user=True``.
        per_user_b: B's metric per user.
        method: ``"wilcoxon"`` (signed-rank, zero differences dropped) or ``"ttest"``.

    Returns:
        ``mean_a``, ``mean_b``, ``mean_difference`` (A - B), ``statistic``, ``p_value``, ``n``.
    """
    a, b = _aligned(per_user_a, per_user_b)
    difference = a - b
    if method == "wilcoxon":
        if not np.any(difference != 0):
            statistic, p_value = 0.0, 1.0
        else:
            result = stats.wilcoxon(a, b, zero_method="wilcox")
            statistic, p_value = float(result.statistic), float(result.pvalue)
    elif method == "ttest":
        result = stats.ttest_rel(a, b)
        statistic, p_value = float(result.statistic), float(result.pvalue)
    else:
        raise ConfigError("method", method, ["wilcoxon", "ttest"])
    return {
        "mean_a": float(a.mean()),
        "mean_b": float(b.mean()),
        "mean_difference": float(difference.mean()),
        "statistic": statistic,
        "p_value": p_value,
        "n": int(a.size),
    }


def bootstrap_ci(
    per_user: pd.Series,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 42,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean over users."""
    values = per_user.to_numpy(float)
    if values.size == 0:
        raise DataError("no values to resample", field="per_user")
    if not 0.0 < confidence < 1.0:
        raise ConfigError(
            "confidence", confidence, ["a float strictly between 0 and 1"]
        )
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, values.size, size=(n_resamples, values.size))
    means = values[draws].mean(axis=1)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return float(low), float(high)
