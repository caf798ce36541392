"""Bayesian probabilistic matrix factorisation by Gibbs sampling (Salakhutdinov & Mnih 2008).

The rating-prediction model behind our RMSE figures. Point-estimate MF (Surprise's SVD, SVD++)
must choose a regularisation strength and still overfits the many users and films with few
ratings; BPMF instead puts Gaussian priors on the factors with Normal-Wishart hyper-priors,
samples everything, and averages predictions over the posterior, so each user's effective
regularisation is learned from the data. On ML-100k (5-fold) this brings RMSE below 0.90.

Sampling is vectorised: each sweep forms every user's (then every item's) posterior precision
``Λ + α·Σ v vᵀ`` with one sparse product over the ratings, then draws all users at once with a
batched Cholesky factorisation.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import wishart

from movia.errors import ConfigError
from movia.evaluation.columns import ITEM_ID, SCORE, USER_ID
from movia.evaluation.contract import require_columns
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.training_log import ScalarLog, progress

logger = logging.getLogger(__name__)

_DENSE_CELLS = 20_000_000  # users x items up to which dense products are used


def _sample_hyperparameters(
    factors: np.ndarray, rng: np.random.Generator, beta0: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw (mean, precision) of the factor prior from its Normal-Wishart posterior."""
    n, rank = factors.shape
    mean = factors.mean(axis=0)
    scatter = np.cov(factors.T, bias=True) * n
    beta = beta0 + n
    mean_post = n * mean / beta
    inverse_scale = np.eye(rank) + scatter + beta0 * n / beta * np.outer(mean, mean)
    scale = np.linalg.inv(inverse_scale)
    precision = wishart.rvs(df=rank + n, scale=(scale + scale.T) / 2, random_state=rng)
    precision = np.atleast_2d(precision)
    prior_mean = rng.multivariate_normal(mean_post, np.linalg.inv(beta * precision))
    return prior_mean, precision


def _pattern(
    rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]
) -> tuple[sp.csr_matrix, np.ndarray]:
    """0/1 CSR matrix of (row, col) pairs and, per stored entry, the index of its pair."""
    indexed = sp.csr_matrix(
        (np.arange(1, len(rows) + 1, dtype=np.int64), (rows, cols)), shape=shape
    )
    order = indexed.data - 1
    pattern = sp.csr_matrix(
        (np.ones(len(order)), indexed.indices, indexed.indptr), shape=shape
    )
    return pattern, order


def _sample_factors(
    pattern: sp.csr_matrix,
    order: np.ndarray,
    other: np.ndarray,
    target: np.ndarray,
    prior_mean: np.ndarray,
    prior_precision: np.ndarray,
    noise_precision: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw every row's factors from its Gaussian conditional, all rows at once.

    Args:
        pattern: ``rows x columns`` 0/1 matrix of who rated what (this side's rows).
        order: For each stored entry of ``pattern``, the index of its rating.
        other: The other side's current regressors (columns x rank).
        target: Per rating, what this side's factors must explain.

    The posterior precision of row ``u`` is ``Λ + α Σ_j v_j v_jᵀ`` over the columns it rated:
    the outer products are formed once per column (not per rating) and summed with one sparse
    product, which keeps memory at ``columns x rank²``.
    """
    rank = other.shape[1]
    outer = (other[:, :, None] * other[:, None, :]).reshape(len(other), -1)
    precision = np.asarray(pattern @ outer).reshape(-1, rank, rank) * noise_precision
    precision += prior_precision[None]
    weighted = sp.csr_matrix(
        (target[order], pattern.indices, pattern.indptr), shape=pattern.shape
    )
    rhs = noise_precision * np.asarray(weighted @ other)
    rhs += (prior_precision @ prior_mean)[None]
    cholesky = np.linalg.cholesky(precision)
    mean = np.linalg.solve(precision, rhs[..., None])[..., 0]
    noise = rng.standard_normal(mean.shape)[..., None]
    # x = mean + L⁻ᵀ z has covariance (L Lᵀ)⁻¹ = precision⁻¹.
    return mean + np.linalg.solve(np.transpose(cholesky, (0, 2, 1)), noise)[..., 0]


class BayesianMFRecommender(BaseRecommender):
    """BPMF for explicit ratings, with ``predict`` for (user, item) pairs.

    Args:
        rank: Latent dimensions.
        noise_precision: Precision α of the rating noise (1 / variance, in stars⁻²).
        n_samples: Gibbs sweeps in total.
        burn_in: Sweeps discarded before averaging.
        thin: Keep every ``thin``-th sample after burn-in for prediction.
        biases: Add a user and an item bias to the factors (sampled with them).
        random_state: Seed of the sampler.
        tensorboard_dir: Folder for TensorBoard training-RMSE curves (None = memory only).
    """

    def __init__(
        self,
        rank: int = 10,
        noise_precision: float = 2.0,
        n_samples: int = 150,
        burn_in: int = 30,
        thin: int = 2,
        biases: bool = True,
        random_state: int | None = 42,
        tensorboard_dir: str | None = None,
    ) -> None:
        self.rank = rank
        self.noise_precision = noise_precision
        self.n_samples = n_samples
        self.burn_in = burn_in
        self.thin = thin
        self.biases = biases
        self.random_state = random_state
        self.tensorboard_dir = tensorboard_dir

    def _fit(self, ratings: sp.csr_matrix, items: pd.DataFrame | None) -> None:
        if self.rank < 1 or not 0 <= self.burn_in < self.n_samples or self.thin < 1:
            raise ConfigError(
                "rank/burn_in/n_samples/thin",
                (self.rank, self.burn_in, self.n_samples, self.thin),
                ["rank >= 1, 0 <= burn_in < n_samples, thin >= 1"],
            )
        coo = ratings.tocoo()
        user_of, item_of, value = coo.row, coo.col, coo.data
        self.global_mean_ = float(value.mean())
        self.rating_range_ = (float(value.min()), float(value.max()))
        residual = value - self.global_mean_
        by_user, user_order = _pattern(user_of, item_of, ratings.shape)
        by_item, item_order = _pattern(item_of, user_of, ratings.shape[::-1])
        rng = np.random.default_rng(self.random_state)
        # With biases, each side's vector ends with its bias and meets a constant 1 on the
        # other side: r - mu = u·v + b_u + b_i, still bilinear, so the same sampler applies.
        width = self.rank + (1 if self.biases else 0)
        users = rng.normal(0.0, 0.1, (ratings.shape[0], width))
        items_f = rng.normal(0.0, 0.1, (ratings.shape[1], width))
        kept_users, kept_items = [], []
        log = ScalarLog(
            self.tensorboard_dir, f"bpmf-r{self.rank}-seed{self.random_state}"
        )
        try:
            for sweep in progress(range(self.n_samples), "BPMF Gibbs sweeps"):
                mean_u, precision_u = _sample_hyperparameters(users, rng)
                users = _sample_factors(
                    by_user, user_order, self._design(items_f),
                    residual - self._bias(items_f)[item_of],
                    mean_u, precision_u, self.noise_precision, rng,
                )  # fmt: skip
                mean_v, precision_v = _sample_hyperparameters(items_f, rng)
                items_f = _sample_factors(
                    by_item, item_order, self._design(users),
                    residual - self._bias(users)[user_of],
                    mean_v, precision_v, self.noise_precision, rng,
                )  # fmt: skip
                fitted = self._cells(users, items_f, user_of, item_of)
                log.add(
                    "bpmf/train_rmse", np.sqrt(np.mean((fitted - residual) ** 2)), sweep
                )
                if sweep >= self.burn_in and (sweep - self.burn_in) % self.thin == 0:
                    kept_users.append(users.astype(np.float32))
                    kept_items.append(items_f.astype(np.float32))
        finally:
            log.close()
        self.train_rmse_history_ = log.history.get("bpmf/train_rmse", [])
        self.user_samples_ = np.stack(kept_users)
        self.item_samples_ = np.stack(kept_items)
        # Films nobody rated have only prior draws: do not rank them.
        self.support_ = self.item_popularity_ > 0

    def _design(self, factors: np.ndarray) -> np.ndarray:
        """The other side's regressors: its factors, with the bias slot replaced by 1."""
        if not self.biases:
            return factors
        return np.column_stack([factors[:, :-1], np.ones(len(factors))])

    def _bias(self, factors: np.ndarray) -> np.ndarray:
        return factors[:, -1] if self.biases else np.zeros(len(factors))

    def _cells(
        self, users: np.ndarray, items: np.ndarray, rows: np.ndarray, cols: np.ndarray
    ) -> np.ndarray:
        """Centred prediction ``u·v (+ b_u + b_i)`` for the given cells of one sample."""
        if len(users) * len(items) <= _DENSE_CELLS:
            return self._block(users, items)[rows, cols]
        if not self.biases:
            return np.einsum("ij,ij->i", users[rows], items[cols])
        dot = np.einsum("ij,ij->i", users[rows, :-1], items[cols, :-1])
        return dot + users[rows, -1] + items[cols, -1]

    def _block(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Centred predictions for all (user row, item) pairs of one sample."""
        if not self.biases:
            return users @ items.T
        return users[:, :-1] @ items[:, :-1].T + users[:, -1:] + items[None, :, -1]

    def _predict_cells(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        low, high = self.rating_range_
        total = np.zeros(len(rows))
        for users, items in zip(self.user_samples_, self.item_samples_, strict=True):
            sample = self.global_mean_ + self._cells(users, items, rows, cols)
            total += np.clip(sample, low, high)
        return total / len(self.user_samples_)

    def predict(self, pairs: pd.DataFrame) -> pd.DataFrame:
        """Posterior-mean rating for each (user, item) pair, clipped to the rating range.

        Pairs with a user or item unseen in ``fit`` get the global mean (the prior's
        prediction), counted in a WARNING rather than dropped, so RMSE covers every pair.

        Returns:
            ``user_id, item_id, score``.
        """
        require_columns(pairs, [USER_ID, ITEM_ID], "pairs")
        rows = self.user_index_.get_indexer(pairs[USER_ID])
        cols = self.item_index_.get_indexer(pairs[ITEM_ID])
        known = (rows >= 0) & (cols >= 0)
        if not known.all():
            logger.warning(
                "%d pair(s) with an unseen user or item: predicting the global mean %.3f",
                int((~known).sum()),
                self.global_mean_,
            )
        scores = np.full(len(pairs), self.global_mean_)
        scores[known] = self._predict_cells(rows[known], cols[known])
        return pd.DataFrame(
            {
                USER_ID: pairs[USER_ID].to_numpy(),
                ITEM_ID: pairs[ITEM_ID].to_numpy(),
                SCORE: scores,
            }
        )

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        total = np.zeros((len(rows), self.n_items))
        for users, items in zip(self.user_samples_, self.item_samples_, strict=True):
            total += self._block(users[rows], items)
        return self.global_mean_ + total / len(self.user_samples_)
