"""Train/test splitters over the evaluation contract (``user_id, item_id, rating, timestamp``).

Three protocols, each matching a published one so our figures can sit beside theirs:

- :func:`stratified_split`: Microsoft Recommenders' ``python_stratified_split``, the split behind
  their ML-100k benchmark table. Each group (item or user) is shuffled with a seeded uniform draw
  and its first ``ratio`` share (by rank / group size) goes to train. The draw uses the legacy
  ``RandomState(seed).rand`` stream in the input's row order, exactly as their
  ``np.random.seed(seed); np.random.rand(n)`` does, but without touching numpy's global state.
- :func:`leave_last_n_out`: per-user chronological hold-out, the realistic protocol for
  ml-latest-small (predict what a user rates next from what they rated before).
- :func:`kfold_split`: Surprise's rating-prediction protocol, five random folds of ratings.

:func:`holdout_users` prepares the cold-start evaluation: users unseen in training who reveal
only a handful of ratings. Every splitter returns new frames and never edits its input.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from movia.errors import ConfigError, DataError
from movia.evaluation.columns import ITEM_ID, TIMESTAMP, USER_ID
from movia.evaluation.contract import require_columns

logger = logging.getLogger(__name__)

_GROUP_COLUMNS = {"user": USER_ID, "item": ITEM_ID}


def stratified_split(
    interactions: pd.DataFrame,
    ratio: float = 0.75,
    filter_by: str = "user",
    seed: int = 42,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random split within each user (or item): ``ratio`` of every group's rows go to train.

    A row goes to train when its rank inside the shuffled group, divided by the group size, is at
    most ``ratio``; so a group of ``n`` rows puts ``floor(ratio * n)`` rows in train (rounding
    aside) and a group with one row puts it in test, as in Microsoft Recommenders.

    Args:
        interactions: Contract columns ``user_id`` and ``item_id`` (others are carried along).
        ratio: Share of each group for train, strictly between 0 and 1.
        filter_by: ``"item"`` (the ML-100k benchmark) or ``"user"``.
        seed: Seed of the uniform draw.

    Returns:
        ``(train, test)`` in the input's row order.
    """
    require_columns(interactions, [USER_ID, ITEM_ID], "interactions")
    if filter_by not in _GROUP_COLUMNS:
        raise ConfigError("filter_by", filter_by, list(_GROUP_COLUMNS))
    if not 0.0 < ratio < 1.0:
        raise ConfigError("ratio", ratio, ["a float strictly between 0 and 1"])
    group = _GROUP_COLUMNS[filter_by]
    draw = np.random.RandomState(seed).rand(len(interactions))
    order = pd.DataFrame(
        {"group": interactions[group].to_numpy(), "draw": draw},
        index=pd.RangeIndex(len(interactions)),
    ).sort_values(["group", "draw"])
    grouped = order.groupby("group", sort=False)
    rank = (grouped.cumcount() + 1) / grouped["group"].transform("count")
    in_train = np.zeros(len(interactions), dtype=bool)
    in_train[order.index.to_numpy()] = (rank <= ratio).to_numpy()
    return interactions[in_train].copy(), interactions[~in_train].copy()


def leave_last_n_out(
    interactions: pd.DataFrame, n: int = 10, min_train: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out each user's ``n`` latest interactions.

    Ties in time are broken by item id so the split is deterministic. A user with fewer than
    ``n + min_train`` interactions stays entirely in train (logged): holding out everything they
    did would leave nothing to learn from, and such users are cold-start cases instead.

    Args:
        interactions: Contract columns ``user_id``, ``item_id`` and ``timestamp``.
        n: Interactions held out per user.
        min_train: Interactions a user must keep in train to be evaluated.

    Returns:
        ``(train, test)``; every test row is later than or as late as the same user's train rows.
    """
    require_columns(interactions, [USER_ID, ITEM_ID, TIMESTAMP], "interactions")
    if n < 1 or min_train < 1:
        raise ConfigError("n/min_train", (n, min_train), ["integers >= 1"])
    position = np.arange(len(interactions))
    order = pd.DataFrame(
        {
            "user": interactions[USER_ID].to_numpy(),
            "time": interactions[TIMESTAMP].to_numpy(),
            "item": interactions[ITEM_ID].to_numpy(),
        },
        index=position,
    ).sort_values(["user", "time", "item"], ascending=[True, False, False])
    grouped = order.groupby("user", sort=False)
    from_end = grouped.cumcount()
    size = grouped["user"].transform("count")
    test_mask = np.zeros(len(interactions), dtype=bool)
    test_mask[order.index.to_numpy()] = (
        (from_end < n) & (size >= n + min_train)
    ).to_numpy()
    short = int(order.loc[size < n + min_train, "user"].nunique())
    if short:
        logger.info(
            "leave_last_n_out: %d user(s) with fewer than %d interactions stay in train only",
            short,
            n + min_train,
        )
    return interactions[~test_mask].copy(), interactions[test_mask].copy()


def kfold_split(
    interactions: pd.DataFrame, n_splits: int = 5, seed: int = 42
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """Random k-fold over rows, as Surprise's ``KFold`` (each rating is tested exactly once).

    Returns:
        ``n_splits`` pairs ``(train, test)``; the test parts partition the input.
    """
    if not isinstance(n_splits, int) or n_splits < 2:
        raise ConfigError("n_splits", n_splits, ["an integer >= 2"])
    if len(interactions) < n_splits:
        raise DataError(
            f"{len(interactions)} row(s) cannot fill {n_splits} folds",
            path="interactions",
        )
    fold = np.random.default_rng(seed).permutation(len(interactions)) % n_splits
    return [
        (interactions[fold != k].copy(), interactions[fold == k].copy())
        for k in range(n_splits)
    ]


def holdout_users(
    interactions: pd.DataFrame,
    fraction: float = 0.1,
    n_revealed: int = 5,
    min_test: int = 5,
    seed: int = 42,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Set aside whole users for cold start: they reveal ``n_revealed`` ratings, the rest is test.

    The revealed ratings are the user's earliest (a new user's first clicks), so nothing from
    their future leaks into what the cold-start recommender sees.

    Args:
        interactions: Contract columns ``user_id``, ``item_id`` and ``timestamp``.
        fraction: Share of eligible users set aside.
        n_revealed: Ratings each held-out user reveals (the issue suggests 3 to 5).
        min_test: Interactions a held-out user must have left to score the recommendations.
        seed: Seed of the user draw.

    Returns:
        ``(warm, revealed, hidden)``: interactions of the remaining users, the revealed ratings
        and the hidden ones of the held-out users.
    """
    require_columns(interactions, [USER_ID, ITEM_ID, TIMESTAMP], "interactions")
    if not 0.0 < fraction < 1.0:
        raise ConfigError("fraction", fraction, ["a float strictly between 0 and 1"])
    counts = interactions.groupby(USER_ID).size()
    eligible = np.sort(counts.index[counts >= n_revealed + min_test].to_numpy())
    n_held = max(1, round(fraction * len(eligible))) if len(eligible) else 0
    chosen = np.random.default_rng(seed).choice(eligible, size=n_held, replace=False)
    held = interactions[USER_ID].isin(chosen).to_numpy()
    cold = interactions[held].sort_values([USER_ID, TIMESTAMP, ITEM_ID])
    first = cold.groupby(USER_ID).cumcount() < n_revealed
    return (
        interactions[~held].copy(),
        cold[first.to_numpy()].copy(),
        cold[~first.to_numpy()].copy(),
    )
