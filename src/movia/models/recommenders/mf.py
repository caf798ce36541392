"""Matrix factorisation for implicit feedback: weighted ALS (Hu, Koren & Volinsky 2008).

Every (user, item) cell is a target: 1 where the user interacted, 0 elsewhere, with confidence
``1 + alpha`` on the ones and 1 on the zeros, so unobserved films count as weak negatives rather
than missing data. Alternating least squares solves each user (then each item) given the other
side; the ``YᵀY`` trick keeps the work proportional to the interactions, not to the catalogue,
and a few warm-started conjugate-gradient steps replace the exact per-row solves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from movia.errors import ConfigError
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.training_log import ScalarLog, progress

_DENSE_CELLS = 50_000_000  # rows x columns up to which scores are computed as one block


def _conjugate_gradient_side(
    matrix: sp.csr_matrix,
    current: np.ndarray,
    other: np.ndarray,
    regularization: float,
    alpha: float,
    steps: int,
) -> np.ndarray:
    """One ALS half-step solved approximately by a few conjugate-gradient steps for all rows.

    Each row solves ``(YᵀY + λI + alpha·Y_uᵀY_u) x_u = (1 + alpha)·Y_uᵀ1``. Warm-started from
    the previous sweep, three CG steps are as good as an exact solve (Takács et al. 2011, as the
    ``implicit`` library does), and every step is a handful of sparse products over all rows at
    once instead of one small dense solve per row in Python.
    """
    gram = other.T @ other + regularization * np.eye(other.shape[1])
    matrix = matrix.tocsr()
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    cols = matrix.indices
    spread = matrix.copy()  # same sparsity pattern; only the values change per product

    dense_ok = matrix.shape[0] * matrix.shape[1] <= _DENSE_CELLS

    def apply(x: np.ndarray) -> np.ndarray:
        # The observed cells' scores: one BLAS product read at the cells is much faster than
        # gathering a factor row per interaction, while the dense block stays small.
        if dense_ok:
            spread.data = alpha * (x @ other.T)[rows, cols]
        else:
            spread.data = alpha * np.einsum("ij,ij->i", x[rows], other[cols])
        return x @ gram + spread @ other

    x = current.copy()
    residual = (1.0 + alpha) * (matrix @ other) - apply(x)
    direction = residual.copy()
    old = np.einsum("ij,ij->i", residual, residual)
    for _ in range(steps):
        if not np.any(old > 1e-20):
            break
        applied = apply(direction)
        denominator = np.einsum("ij,ij->i", direction, applied)
        step = np.divide(
            old, denominator, out=np.zeros_like(old), where=denominator > 0
        )
        x += step[:, None] * direction
        residual -= step[:, None] * applied
        new = np.einsum("ij,ij->i", residual, residual)
        ratio = np.divide(new, old, out=np.zeros_like(new), where=old > 0)
        direction = residual + ratio[:, None] * direction
        old = new
    return x


def implicit_loss(
    matrix: sp.csr_matrix,
    users: np.ndarray,
    items: np.ndarray,
    regularization: float,
    alpha: float,
) -> float:
    """Weighted squared loss over all cells plus the ridge term, without a dense matrix.

    ``sum_all s²`` is ``trace(UᵀU·VᵀV)``; observed cells then swap their ``s²`` for
    ``(1 + alpha)(1 - s)²``.
    """
    rows, cols = matrix.nonzero()
    if matrix.shape[0] * matrix.shape[1] <= _DENSE_CELLS:
        observed = (users @ items.T)[rows, cols]
    else:
        observed = np.einsum("ij,ij->i", users[rows], items[cols])
    total = float(np.sum((users.T @ users) * (items.T @ items)))
    total += float(np.sum((1.0 + alpha) * (1.0 - observed) ** 2 - observed**2))
    return total + regularization * float(np.sum(users**2) + np.sum(items**2))


class ALSRecommender(BaseRecommender):
    """Implicit-feedback matrix factorisation by weighted alternating least squares.

    Args:
        factors: Latent dimensions.
        regularization: Ridge penalty on both factor matrices.
        alpha: Extra confidence on observed interactions.
        iterations: Full user + item sweeps.
        cg_steps: Conjugate-gradient steps per half-sweep.
        min_item_interactions: Items with fewer interactions are not factorised or scored.
        random_state: Seed of the initial factors.
        tensorboard_dir: Folder for TensorBoard loss curves (None = in memory only).
    """

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.1,
        alpha: float = 10.0,
        iterations: int = 15,
        cg_steps: int = 3,
        min_item_interactions: int = 1,
        random_state: int | None = 42,
        tensorboard_dir: str | None = None,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.cg_steps = cg_steps
        self.min_item_interactions = min_item_interactions
        self.random_state = random_state
        self.tensorboard_dir = tensorboard_dir

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        if self.factors < 1 or self.iterations < 1:
            raise ConfigError(
                "factors/iterations", (self.factors, self.iterations), ["integers >= 1"]
            )
        columns = self.supported_items(self.min_item_interactions)
        matrix = ratings[:, columns].tocsr()
        matrix.data = np.ones_like(matrix.data)
        transposed = matrix.T.tocsr()
        rng = np.random.default_rng(self.random_state)
        users = rng.normal(0.0, 0.01, (matrix.shape[0], self.factors))
        items_f = rng.normal(0.0, 0.01, (matrix.shape[1], self.factors))
        log = ScalarLog(
            self.tensorboard_dir, f"als-f{self.factors}-seed{self.random_state}"
        )
        try:
            for step in progress(range(self.iterations), "ALS sweeps"):
                users = _conjugate_gradient_side(
                    matrix,
                    users,
                    items_f,
                    self.regularization,
                    self.alpha,
                    self.cg_steps,
                )
                items_f = _conjugate_gradient_side(
                    transposed,
                    items_f,
                    users,
                    self.regularization,
                    self.alpha,
                    self.cg_steps,
                )
                loss = implicit_loss(
                    matrix, users, items_f, self.regularization, self.alpha
                )
                log.add("als/loss", loss, step)
        finally:
            log.close()
        self.loss_history_ = log.history.get("als/loss", [])
        self.columns_ = columns
        self.user_factors_ = users.astype(np.float32)
        self.item_factors_ = items_f.astype(np.float32)
        self.support_ = np.zeros(self.n_items, dtype=bool)
        self.support_[columns] = True

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        scores = np.zeros((len(rows), self.n_items))
        scores[:, self.columns_] = self.user_factors_[rows] @ self.item_factors_.T
        return scores
