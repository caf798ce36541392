"""Paired tests and bootstrap intervals on per-user metric values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movia.errors import ConfigError, DataError
from movia.evaluation.significance import bootstrap_ci, paired_test


def test_clear_difference_is_significant() -> None:
    users = pd.RangeIndex(50)
    rng = np.random.default_rng(0)
    base = pd.Series(rng.random(50), index=users)
    better = base + 0.1 + rng.normal(0, 0.01, 50)
    result = paired_test(better, base)
    assert result["mean_difference"] == pytest.approx(0.1, abs=0.01)
    assert result["p_value"] < 1e-6
    assert result["n"] == 50
    assert paired_test(better, base, method="ttest")["p_value"] < 1e-6


def test_identical_models_are_not_different() -> None:
    values = pd.Series([0.1, 0.5, 0.3], index=[1, 2, 3])
    assert paired_test(values, values)["p_value"] == 1.0


def test_only_common_users_count() -> None:
    a = pd.Series([1.0, 0.0, 1.0], index=[1, 2, 3])
    b = pd.Series([0.0, 0.0, 5.0], index=[1, 2, 4])
    assert paired_test(a, b)["n"] == 2
    with pytest.raises(DataError, match="in common"):
        paired_test(a, pd.Series([1.0], index=[9]))
    with pytest.raises(ConfigError):
        paired_test(a, b, method="sign")


def test_bootstrap_interval_brackets_the_mean() -> None:
    values = pd.Series(np.linspace(0, 1, 101))
    low, high = bootstrap_ci(values, n_resamples=2000, seed=1)
    assert low < 0.5 < high
    assert high - low == pytest.approx(2 * 1.96 * values.std() / np.sqrt(101), rel=0.2)
    assert bootstrap_ci(values, seed=1) == bootstrap_ci(values, seed=1)
