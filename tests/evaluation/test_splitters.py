"""Splitters: exact shares, no leak between train and test, Microsoft's draw reproduced."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movia.errors import ColumnContractError, ConfigError, DataError
from movia.evaluation.columns import ITEM_ID, RATING, TIMESTAMP, USER_ID
from movia.evaluation.splitters import (
    holdout_users,
    kfold_split,
    leave_last_n_out,
    stratified_split,
)


@pytest.fixture
def interactions() -> pd.DataFrame:
    """40 users x up to 30 items with random presence, ratings and times."""
    rng = np.random.default_rng(1)
    rows = [
        (user, item, float(rng.integers(1, 6)), int(rng.integers(0, 10_000)))
        for user in range(40)
        for item in range(30)
        if rng.random() < 0.4
    ]
    frame = pd.DataFrame(rows, columns=[USER_ID, ITEM_ID, RATING, TIMESTAMP])
    return frame.sample(frac=1.0, random_state=3).reset_index(drop=True)


def _pairs(frame: pd.DataFrame) -> set[tuple[int, int]]:
    return set(zip(frame[USER_ID], frame[ITEM_ID], strict=True))


def test_item_stratified_split_is_75_25_within_every_item(interactions) -> None:
    train, test = stratified_split(interactions, ratio=0.75, filter_by="item", seed=42)
    assert _pairs(train).isdisjoint(_pairs(test))
    assert _pairs(train) | _pairs(test) == _pairs(interactions)
    sizes = interactions.groupby(ITEM_ID).size()
    in_train = train.groupby(ITEM_ID).size().reindex(sizes.index, fill_value=0)
    expected = sizes.map(lambda n: math.floor(0.75 * n))
    assert (in_train == expected).all()
    # flooring per item keeps the global share a little under 75 %.
    assert len(train) == expected.sum()
    assert 0.70 < len(train) / len(interactions) <= 0.75


def test_user_stratified_split_counts_per_user(interactions) -> None:
    train, _ = stratified_split(interactions, ratio=0.5, filter_by="user", seed=7)
    sizes = interactions.groupby(USER_ID).size()
    assert (train.groupby(USER_ID).size() == sizes.map(lambda n: n // 2)).all()


def _microsoft_reference(data: pd.DataFrame, ratio: float, seed: int) -> set:
    """Microsoft Recommenders' recipe: global seed, rand in row order, sort, rank/count."""
    np.random.seed(seed)  # noqa: NPY002 - reproducing their global-state draw on purpose
    frame = data.assign(random=np.random.rand(len(data)))  # noqa: NPY002
    frame = frame.sort_values([ITEM_ID, "random"])
    groups = frame.groupby(ITEM_ID)
    frame["rank"] = (groups.cumcount() + 1) / groups[ITEM_ID].transform("count")
    return _pairs(frame[frame["rank"] <= ratio])


def test_item_split_reproduces_microsoft_draw(interactions) -> None:
    train, _ = stratified_split(interactions, 0.75, "item", seed=42)
    state = np.random.get_state()
    try:
        assert _pairs(train) == _microsoft_reference(interactions, 0.75, 42)
    finally:
        np.random.set_state(state)


def test_stratified_split_leaves_global_random_state_alone(interactions) -> None:
    np.random.seed(5)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    stratified_split(interactions, 0.75, "item", seed=42)
    assert (np.random.get_state()[1] == before).all()  # noqa: NPY002


def test_stratified_split_rejects_bad_arguments(interactions) -> None:
    with pytest.raises(ConfigError, match="filter_by"):
        stratified_split(interactions, filter_by="movie")
    with pytest.raises(ConfigError, match="ratio"):
        stratified_split(interactions, ratio=1.0)
    with pytest.raises(ColumnContractError, match="item_id"):
        stratified_split(interactions.drop(columns=ITEM_ID))


def test_leave_last_n_out_holds_out_latest(interactions_small) -> None:
    train, test = leave_last_n_out(interactions_small, n=1, min_train=1)
    # user 1 (3 rows) and user 2 (2 rows) lose their latest; user 3 (1 row) stays whole.
    assert _pairs(test) == {(1, 30), (2, 40)}
    assert _pairs(train) == {(1, 10), (1, 20), (2, 10), (3, 20)}


def test_leave_last_n_out_never_tests_the_past(interactions) -> None:
    train, test = leave_last_n_out(interactions, n=3, min_train=2)
    assert _pairs(train).isdisjoint(_pairs(test))
    last_train = train.groupby(USER_ID)[TIMESTAMP].max()
    first_test = test.groupby(USER_ID)[TIMESTAMP].min()
    assert (first_test >= last_train.reindex(first_test.index)).all()
    assert (test.groupby(USER_ID).size() == 3).all()


def test_kfold_partitions_ratings(interactions) -> None:
    folds = kfold_split(interactions, n_splits=5, seed=0)
    tested = pd.concat([test for _, test in folds])
    assert sorted(tested.index) == sorted(interactions.index)
    for train, test in folds:
        assert _pairs(train).isdisjoint(_pairs(test))
        assert len(test) == pytest.approx(len(interactions) / 5, abs=1)
    with pytest.raises(ConfigError):
        kfold_split(interactions, n_splits=1)
    with pytest.raises(DataError):
        kfold_split(interactions.head(3), n_splits=5)


def test_holdout_users_reveals_earliest_ratings(interactions) -> None:
    warm, revealed, hidden = holdout_users(
        interactions, fraction=0.25, n_revealed=3, min_test=2, seed=0
    )
    held = set(revealed[USER_ID])
    assert held == set(hidden[USER_ID])
    assert held.isdisjoint(set(warm[USER_ID]))
    assert (revealed.groupby(USER_ID).size() == 3).all()
    last_revealed = revealed.groupby(USER_ID)[TIMESTAMP].max()
    first_hidden = hidden.groupby(USER_ID)[TIMESTAMP].min()
    assert (first_hidden >= last_revealed).all()
    assert len(warm) + len(revealed) + len(hidden) == len(interactions)
