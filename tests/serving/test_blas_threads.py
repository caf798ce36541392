"""The serving process runs numpy's BLAS on one thread (free-text latency, docs/deployment.md)."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from movia.errors import ConfigError
from movia.serving.inference import limit_blas_threads


def _blas_threads() -> set[int]:
    return {
        pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"
    }


def test_serving_limits_blas_to_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    np.ones((4, 4)) @ np.ones((4, 4))  # numpy's BLAS is loaded
    with threadpool_limits(limits=None, user_api="blas"):  # restored after the test
        monkeypatch.delenv("MOVIA_BLAS_THREADS", raising=False)
        assert limit_blas_threads() == 1
        assert _blas_threads() == {1}
        monkeypatch.setenv("MOVIA_BLAS_THREADS", "0")
        assert limit_blas_threads() is None  # 0 leaves the pool as it is
        assert _blas_threads() == {1}


def test_a_bad_thread_count_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVIA_BLAS_THREADS", "many")
    with pytest.raises(ConfigError, match="MOVIA_BLAS_THREADS"):
        limit_blas_threads()
