"""Bayesian MF recovers low-rank ratings better than the global mean, reproducibly."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from movia.errors import ConfigError
from movia.evaluation.columns import ITEM_ID, RATING, USER_ID
from movia.evaluation.rating import rmse
from movia.evaluation.splitters import kfold_split
from movia.models.recommenders import BayesianMFRecommender


@pytest.fixture
def low_rank_ratings() -> pd.DataFrame:
    """40 users x 30 items, rank-2 truth plus noise, 60 % observed, on a 1-5 scale."""
    rng = np.random.default_rng(0)
    users, items = rng.normal(size=(40, 2)), rng.normal(size=(30, 2))
    truth = np.clip(3.0 + users @ items.T, 1, 5)
    mask = rng.random(truth.shape) < 0.6
    rows, cols = np.nonzero(mask)
    noisy = np.clip(truth[rows, cols] + rng.normal(0, 0.2, rows.size), 1, 5)
    return pd.DataFrame({USER_ID: rows, ITEM_ID: cols, RATING: noisy})


def test_beats_the_global_mean(low_rank_ratings) -> None:
    train, test = kfold_split(low_rank_ratings, 5, seed=0)[0]
    model = BayesianMFRecommender(rank=2, n_samples=60, burn_in=20, random_state=1)
    predictions = model.fit(train).predict(test)
    baseline = test.assign(score=train[RATING].mean())
    assert rmse(test, predictions) < 0.6 * rmse(test, baseline)
    assert predictions["score"].between(1, 5).all()
    assert len(model.train_rmse_history_) == 60
    assert model.user_samples_.shape == (
        20,
        40,
        3,
    )  # 40 kept sweeps, thin 2; rank 2 + bias


def test_reproducible_and_unknown_pairs_get_the_mean(low_rank_ratings, caplog) -> None:
    params = {"rank": 2, "n_samples": 10, "burn_in": 5, "random_state": 3}
    first = BayesianMFRecommender(**params).fit(low_rank_ratings)
    second = BayesianMFRecommender(**params).fit(low_rank_ratings)
    assert np.array_equal(first.user_samples_, second.user_samples_)
    pairs = pd.DataFrame({USER_ID: [0, 999], ITEM_ID: [0, 0]})
    with caplog.at_level(logging.WARNING):
        predicted = first.predict(pairs)["score"].tolist()
    assert predicted[1] == pytest.approx(first.global_mean_)
    assert "unseen user or item" in caplog.text
    ranking = first.recommend([0], k=3)
    assert len(ranking) == 3


def test_bad_schedule_is_a_config_error(low_rank_ratings) -> None:
    with pytest.raises(ConfigError):
        BayesianMFRecommender(n_samples=5, burn_in=5).fit(low_rank_ratings)
