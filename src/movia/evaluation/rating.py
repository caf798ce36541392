"""Rating-prediction metrics (RMSE, MAE) on the evaluation contract.

``truth`` has ``user_id, item_id, rating``; ``predictions`` has ``user_id, item_id, score``.
Every true pair must have a prediction: a missing one would silently shrink the test set and
flatter the model, so it is an error, not a skipped row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from movia.errors import DataError
from movia.evaluation.columns import ITEM_ID, RATING, SCORE, USER_ID
from movia.evaluation.contract import (
    require_columns,
    require_finite,
    require_unique_pairs,
)


def paired_ratings(
    truth: pd.DataFrame, predictions: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Align true ratings with predicted scores on (user, item).

    Raises:
        DataError: NaN values, duplicate pairs, or a true pair without a prediction.
    """
    require_columns(truth, [USER_ID, ITEM_ID, RATING], "truth")
    require_columns(predictions, [USER_ID, ITEM_ID, SCORE], "predictions")
    require_finite(truth, RATING, "truth")
    require_finite(predictions, SCORE, "predictions")
    require_unique_pairs(truth, "truth")
    require_unique_pairs(predictions, "predictions")
    merged = truth[[USER_ID, ITEM_ID, RATING]].merge(
        predictions[[USER_ID, ITEM_ID, SCORE]], on=[USER_ID, ITEM_ID], how="left"
    )
    missing = merged[SCORE].isna().to_numpy()
    if missing.any():
        first = merged.loc[missing, [USER_ID, ITEM_ID]].iloc[0]
        raise DataError(
            f"{int(missing.sum())} true pair(s) have no prediction, first "
            f"(user {first[USER_ID]}, item {first[ITEM_ID]})",
            path="predictions",
            field=SCORE,
        )
    return merged[RATING].to_numpy(dtype=float), merged[SCORE].to_numpy(dtype=float)


def rmse(truth: pd.DataFrame, predictions: pd.DataFrame) -> float:
    """Root mean squared error over every true (user, item) pair."""
    true, predicted = paired_ratings(truth, predictions)
    return float(np.sqrt(np.mean((true - predicted) ** 2)))


def mae(truth: pd.DataFrame, predictions: pd.DataFrame) -> float:
    """Mean absolute error over every true (user, item) pair."""
    true, predicted = paired_ratings(truth, predictions)
    return float(np.mean(np.abs(true - predicted)))
