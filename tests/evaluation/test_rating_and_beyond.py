"""Rating metrics and beyond-accuracy metrics on hand-sized examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movia.errors import DataError
from movia.evaluation.beyond_accuracy import (
    average_popularity,
    catalogue_coverage,
    intra_list_diversity,
    novelty,
)
from movia.evaluation.columns import ITEM_ID, RATING, SCORE, USER_ID
from movia.evaluation.metrics import evaluate_beyond_accuracy
from movia.evaluation.rating import mae, rmse


def test_rmse_and_mae_by_hand() -> None:
    truth = pd.DataFrame(
        {USER_ID: [1, 1, 2], ITEM_ID: [1, 2, 1], RATING: [4.0, 2.0, 5.0]}
    )
    predictions = pd.DataFrame(
        {USER_ID: [2, 1, 1, 3], ITEM_ID: [1, 2, 1, 9], SCORE: [4.0, 2.5, 4.0, 1.0]}
    )
    # errors 0, -0.5, 1 → RMSE sqrt(1.25 / 3), MAE 1.5 / 3; the extra prediction is ignored.
    assert rmse(truth, predictions) == pytest.approx(math.sqrt(1.25 / 3))
    assert mae(truth, predictions) == pytest.approx(0.5)


def test_missing_prediction_is_an_error() -> None:
    truth = pd.DataFrame({USER_ID: [1, 2], ITEM_ID: [1, 1], RATING: [4.0, 3.0]})
    predictions = pd.DataFrame({USER_ID: [1], ITEM_ID: [1], SCORE: [4.0]})
    with pytest.raises(DataError, match="user 2, item 1"):
        rmse(truth, predictions)


@pytest.fixture
def lists() -> pd.DataFrame:
    return pd.DataFrame(
        {USER_ID: [1, 1, 2, 2], ITEM_ID: [10, 20, 10, 30], SCORE: [2.0, 1.0, 2.0, 1.0]}
    )


@pytest.fixture
def train() -> pd.DataFrame:
    # 4 users; item 10 seen by all, item 20 by one, item 30 by nobody.
    return pd.DataFrame({USER_ID: [1, 2, 3, 4, 1], ITEM_ID: [10, 10, 10, 10, 20]})


def test_coverage_counts_distinct_items(lists) -> None:
    assert catalogue_coverage(lists, catalogue_size=6, k=2) == pytest.approx(3 / 6)
    assert catalogue_coverage(lists, catalogue_size=6, k=1) == pytest.approx(1 / 6)


def test_novelty_and_popularity_by_hand(lists, train) -> None:
    # p(10) = 1, p(20) = 1/4, p(30) unseen → 0.5 / 4 = 1/8.
    expected = (0 + 2 + 0 + 3) / 4
    assert novelty(lists, train, k=2) == pytest.approx(expected)
    assert average_popularity(lists, train, k=2) == pytest.approx(
        (1 + 0.25 + 1 + 0) / 4
    )


def test_intra_list_diversity_by_hand(lists) -> None:
    vectors = {
        10: np.array([1.0, 0.0]),
        20: np.array([1.0, 1.0]),
        30: np.array([0.0, 1.0]),
    }
    # user 1: 1 - cos(10, 20) = 1 - 1/sqrt(2); user 2: 1 - cos(10, 30) = 1.
    expected = ((1 - 1 / math.sqrt(2)) + 1.0) / 2
    assert intra_list_diversity(lists, vectors, k=2) == pytest.approx(expected)
    report = evaluate_beyond_accuracy(
        lists,
        pd.DataFrame({USER_ID: [1, 2, 3, 4, 1], ITEM_ID: [10, 10, 10, 10, 20]}),
        6,
        2,
        vectors,
    )
    assert set(report) == {"coverage@2", "novelty@2", "popularity@2", "diversity@2"}
