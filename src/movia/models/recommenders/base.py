"""What every recommender shares: id ↔ index maps, seen items, top-k, unknown users, bad k.

Each model (one per module) adds only ``_fit`` (learn from the user x item matrix) and
``_scores`` (a dense score block for some users). This base turns those into the common API of
DESIGN §4, after Cornac's ``Recommender``:

- ``fit(interactions, items=None)``: interactions follow the evaluation contract (``user_id,
  item_id, rating, timestamp``; ``rating`` may be absent for implicit data). ``items`` (with an
  ``item_id`` column) adds catalogue items nobody interacted with yet, so content models can
  rank them.
- ``score(users, items=None)``: the raw score matrix for known users.
- ``recommend(users, k, exclude_seen)``: a frame ``user_id, item_id, score, rank``.

Unknown users get the most popular items (logged at WARNING, DESIGN §12) unless
``on_unknown="raise"``; unknown items raise :class:`~movia.errors.UnknownIdError`; ``k`` must be a
positive integer and is capped at the catalogue size.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Self

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from movia.errors import ConfigError, DataError, UnknownIdError
from movia.evaluation.columns import ITEM_ID, RANK, RATING, SCORE, USER_ID
from movia.evaluation.contract import (
    require_columns,
    require_finite,
    require_unique_pairs,
)
from movia.evaluation.ranking import check_k

logger = logging.getLogger(__name__)

UNKNOWN_USER_POLICIES = ("popular", "raise")
_BATCH = 256  # users scored per dense block: bounds memory at 256 x n_items floats


def validate_interactions(interactions: pd.DataFrame) -> pd.DataFrame:
    """Check the contract and return ``user_id, item_id, rating`` (rating 1.0 when absent).

    Raises:
        ColumnContractError: ``user_id`` or ``item_id`` is missing.
        DataError: A NaN rating, or a (user, item) pair that appears twice.
    """
    require_columns(interactions, [USER_ID, ITEM_ID], "interactions")
    if len(interactions) == 0:
        raise DataError("no interactions to learn from", path="interactions")
    require_unique_pairs(interactions, "interactions")
    if RATING in interactions.columns:
        require_finite(interactions, RATING, "interactions")
        rating = interactions[RATING].to_numpy(dtype=float)
    else:
        rating = np.ones(len(interactions))
    return pd.DataFrame(
        {
            USER_ID: interactions[USER_ID].to_numpy(),
            ITEM_ID: interactions[ITEM_ID].to_numpy(),
            RATING: rating,
        }
    )


class BaseRecommender(BaseEstimator):
    """Base class: subclasses implement ``_fit`` and ``_scores`` (and may set ``support_``)."""

    def fit(
        self, interactions: pd.DataFrame, items: pd.DataFrame | None = None
    ) -> Self:
        """Index users and items, then learn the model (replacing any earlier fit).

        Args:
            interactions: Evaluation-contract frame, one row per (user, item).
            items: Optional catalogue with an ``item_id`` column (and model-specific features).

        Returns:
            self, fitted.
        """
        frame = validate_interactions(interactions)
        catalogue = frame[ITEM_ID].to_numpy()
        if items is not None:
            require_columns(items, [ITEM_ID], "items")
            catalogue = np.concatenate([catalogue, items[ITEM_ID].to_numpy()])
        self.user_ids_ = np.sort(frame[USER_ID].unique())
        self.item_ids_ = np.unique(catalogue)
        self.user_index_ = pd.Index(self.user_ids_)
        self.item_index_ = pd.Index(self.item_ids_)
        rows = self.user_index_.get_indexer(frame[USER_ID])
        cols = self.item_index_.get_indexer(frame[ITEM_ID])
        self.ratings_ = sp.csr_matrix(
            (frame[RATING].to_numpy(float), (rows, cols)),
            shape=(len(self.user_ids_), len(self.item_ids_)),
        )
        self.item_popularity_ = np.bincount(cols, minlength=len(self.item_ids_)).astype(
            float
        )
        self.support_ = np.ones(len(self.item_ids_), dtype=bool)
        self._fit(self.ratings_, items)
        return self

    # --- to implement -----------------------------------------------------------------------

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        raise NotImplementedError

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        """Dense ``len(rows) x n_items`` scores for user row indices (higher is better)."""
        raise NotImplementedError

    # --- shared API ---------------------------------------------------------------------------

    @property
    def n_items(self) -> int:
        check_is_fitted(self, "item_ids_")
        return len(self.item_ids_)

    def user_rows(self, users: Iterable[object]) -> np.ndarray:
        """Row index of each user; ``UnknownIdError`` lists the users never seen in ``fit``."""
        check_is_fitted(self, "user_ids_")
        users = np.asarray(list(users))
        rows = self.user_index_.get_indexer(users)
        if (rows < 0).any():
            raise UnknownIdError("user", users[rows < 0])
        return rows

    def item_columns(self, items: Iterable[object]) -> np.ndarray:
        """Column index of each item; ``UnknownIdError`` lists the unknown ones."""
        check_is_fitted(self, "item_ids_")
        items = np.asarray(list(items))
        cols = self.item_index_.get_indexer(items)
        if (cols < 0).any():
            raise UnknownIdError("item", items[cols < 0])
        return cols

    def score(
        self, users: Iterable[object], items: Iterable[object] | None = None
    ) -> np.ndarray:
        """Score matrix ``len(users) x len(items)`` (all catalogue items when ``items`` is None).

        Raises:
            UnknownIdError: A user or item never seen in ``fit``.
            DataError: The model produced NaN scores (a bug or corrupt input, never hidden).
        """
        rows = self.user_rows(users)
        scores = self._checked_scores(rows)
        if items is None:
            return scores
        return scores[:, self.item_columns(items)]

    def _checked_scores(self, rows: np.ndarray) -> np.ndarray:
        scores = np.asarray(self._scores(rows), dtype=float)
        bad = np.isnan(scores)
        if bad.any():
            row = int(np.flatnonzero(bad.any(axis=1))[0])
            raise DataError(
                f"{type(self).__name__} produced {int(bad.sum())} NaN score(s)",
                path="scores",
                row=str(self.user_ids_[rows[row]]),
            )
        return scores

    def recommend(
        self,
        users: Iterable[object],
        k: int = 10,
        exclude_seen: bool = True,
        on_unknown: str = "popular",
    ) -> pd.DataFrame:
        """Top-``k`` items per user, best first.

        Args:
            users: User ids (duplicates are answered once).
            k: List length; a positive integer, capped at the number of items.
            exclude_seen: Leave out items the user interacted with in ``fit``.
            on_unknown: ``"popular"`` answers an unknown user with the most popular items
                (logged at WARNING); ``"raise"`` raises :class:`UnknownIdError`.

        Returns:
            ``user_id, item_id, score, rank`` sorted by user (in request order) and rank.
            Items the model cannot score (``support_``) never appear.
        """
        check_is_fitted(self, "user_ids_")
        k = min(check_k(k), self.n_items)
        if on_unknown not in UNKNOWN_USER_POLICIES:
            raise ConfigError("on_unknown", on_unknown, UNKNOWN_USER_POLICIES)
        users = pd.unique(np.asarray(list(users)))
        rows = self.user_index_.get_indexer(users)
        unknown = users[rows < 0]
        if unknown.size and on_unknown == "raise":
            raise UnknownIdError("user", unknown)
        if unknown.size:
            logger.warning(
                "%d unknown user(s) (e.g. %s): answering with the most popular items",
                unknown.size,
                unknown[0],
            )
        frames = []
        known = rows >= 0
        for start in range(0, int(known.sum()), _BATCH):
            block = rows[known][start : start + _BATCH]
            frames.append(self._top_k(block, k, exclude_seen))
        if unknown.size:
            frames.append(self._popular(unknown, k))
        if not frames:
            return pd.DataFrame({USER_ID: [], ITEM_ID: [], SCORE: [], RANK: []})
        result = pd.concat(frames, ignore_index=True)
        order = pd.Index(users).get_indexer(result[USER_ID])
        return result.iloc[np.lexsort((result[RANK].to_numpy(), order))].reset_index(
            drop=True
        )

    def _top_k(self, rows: np.ndarray, k: int, exclude_seen: bool) -> pd.DataFrame:
        scores = self._checked_scores(rows)
        # -inf, not 0: MF and blended scores can be negative, and a masked film must never
        # come back ahead of a real candidate.
        scores[:, ~self.support_] = -np.inf
        if exclude_seen:
            seen = self.ratings_[rows]
            scores[seen.nonzero()] = -np.inf
        k = min(k, scores.shape[1])
        # A full stable sort, not argpartition: ties (common for popularity) then resolve to
        # catalogue order, so the same request always gets the same list.
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        top_scores = np.take_along_axis(scores, top, axis=1)
        keep = np.isfinite(top_scores)
        return pd.DataFrame(
            {
                USER_ID: np.repeat(self.user_ids_[rows], k)[keep.ravel()],
                ITEM_ID: self.item_ids_[top[keep]],
                SCORE: top_scores[keep],
                RANK: np.tile(np.arange(1, k + 1), len(rows))[keep.ravel()],
            }
        )

    def _popular(self, users: np.ndarray, k: int) -> pd.DataFrame:
        order = np.argsort(-self.item_popularity_, kind="stable")[:k]
        share = self.item_popularity_[order] / max(len(self.user_ids_), 1)
        return pd.DataFrame(
            {
                USER_ID: np.repeat(users, len(order)),
                ITEM_ID: np.tile(self.item_ids_[order], len(users)),
                SCORE: np.tile(share, len(users)),
                RANK: np.tile(np.arange(1, len(order) + 1), len(users)),
            }
        )

    def binary_rows(self, rows: np.ndarray) -> sp.csr_matrix:
        """The users' interactions as a 0/1 matrix (implicit feedback)."""
        block = self.ratings_[rows].copy()
        block.data = np.ones_like(block.data)
        return block

    def supported_items(self, min_interactions: int) -> np.ndarray:
        """Item columns with at least ``min_interactions`` training interactions."""
        return np.flatnonzero(self.item_popularity_ >= max(min_interactions, 1))
