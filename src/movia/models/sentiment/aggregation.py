"""Per-movie sentiment from per-review probabilities, with Bayesian smoothing.

A movie with one glowing review should not outrank one with 200 good ones. We treat a movie's
share of positive opinion as Beta-distributed, with a prior centred on the global mean ``μ`` and
worth ``m`` pseudo-reviews (``prior_strength``), and add each review's P(pos) as a fractional
success (soft counts, so an unsure 0.55 moves the estimate less than a confident 0.99):

    α = m·μ + Σ p_i,   β = m·(1 − μ) + Σ (1 − p_i),   smoothed_score = α / (α + β)

which is ``(m·μ + Σ p) / (m + n)``: the plain mean for many reviews, μ for none. The uncertainty
interval is the equal-tailed credible interval of that Beta posterior, so it is wide for few
reviews and shrinks as ``1/√n``.
"""

from __future__ import annotations

import logging

import pandas as pd
from scipy.stats import beta as beta_distribution

from movia.errors import ColumnContractError, DataError

logger = logging.getLogger(__name__)

MOVIE_SENTIMENT_COLUMNS = [
    "movie_id",
    "n_reviews",
    "mean_prob_pos",
    "smoothed_score",
    "ci_low",
    "ci_high",
]


def aggregate_movie_sentiment(
    review_sentiment: pd.DataFrame,
    prior_strength: float = 10.0,
    credible_level: float = 0.9,
    global_mean: float | None = None,
) -> pd.DataFrame:
    """One row per movie with at least one scored review.

    Args:
        review_sentiment: Needs ``movie_id`` (NA = review of a title outside MovieLens, dropped)
            and ``prob_pos``.
        prior_strength: ``m``, the prior's weight in reviews (> 0).
        credible_level: Mass inside ``[ci_low, ci_high]``, e.g. 0.9.
        global_mean: ``μ``; None uses the mean P(pos) over all reviews of known movies.

    Returns:
        Columns of :data:`MOVIE_SENTIMENT_COLUMNS`, sorted by ``movie_id``.
    """
    missing = {"movie_id", "prob_pos"} - set(review_sentiment.columns)
    if missing:
        raise ColumnContractError(
            f"review_sentiment lacks columns {sorted(missing)}", path="review_sentiment"
        )
    if prior_strength <= 0:
        raise DataError(
            f"prior_strength must be > 0, got {prior_strength}", field="prior_strength"
        )
    if not 0 < credible_level < 1:
        raise DataError(
            f"credible_level must be in (0, 1), got {credible_level}",
            field="credible_level",
        )
    linked = review_sentiment.loc[
        review_sentiment["movie_id"].notna(), ["movie_id", "prob_pos"]
    ]
    prob = linked["prob_pos"].astype("float64")
    if prob.isna().any() or ((prob < 0) | (prob > 1)).any():
        row = prob.index[prob.isna() | (prob < 0) | (prob > 1)][0]
        raise DataError(
            f"prob_pos {prob[row]!r} is not a probability",
            path="review_sentiment",
            row=row,
            field="prob_pos",
        )
    if linked.empty:
        logger.warning(
            "no scored review is linked to a movie; movie_sentiment is empty"
        )
        return pd.DataFrame(
            {c: pd.Series(dtype="float64") for c in MOVIE_SENTIMENT_COLUMNS}
        )
    mu = float(prob.mean()) if global_mean is None else float(global_mean)
    grouped = (
        pd.DataFrame({"movie_id": linked["movie_id"].astype("int64"), "p": prob})
        .groupby("movie_id", sort=True)["p"]
        .agg(["size", "sum"])
    )
    n, successes = grouped["size"].to_numpy(), grouped["sum"].to_numpy()
    a = prior_strength * mu + successes
    b = prior_strength * (1.0 - mu) + (n - successes)
    tail = (1.0 - credible_level) / 2.0
    return pd.DataFrame(
        {
            "movie_id": grouped.index.to_numpy(dtype="int64"),
            "n_reviews": n.astype("int64"),
            "mean_prob_pos": successes / n,
            "smoothed_score": a / (a + b),
            "ci_low": beta_distribution.ppf(tail, a, b),
            "ci_high": beta_distribution.ppf(1.0 - tail, a, b),
        }
    )
