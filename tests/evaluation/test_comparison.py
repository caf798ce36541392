"""compare_recommenders runs duck-typed models on one split with the same metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movia.evaluation.columns import ITEM_ID, SCORE, USER_ID
from movia.evaluation.comparison import compare_recommenders, comparison_table


class FixedLists:
    """A stand-in with only ``fit`` and ``recommend``: comparison must not need more."""

    def __init__(self, lists: dict[int, list[int]]) -> None:
        self.lists = lists
        self.fitted_on = 0

    def fit(self, train: pd.DataFrame) -> FixedLists:
        self.fitted_on = len(train)
        return self

    def recommend(self, users, k: int = 10, exclude_seen: bool = True) -> pd.DataFrame:
        rows = [
            (user, item, float(-rank))
            for user in users
            for rank, item in enumerate(self.lists[user][:k])
        ]
        return pd.DataFrame(rows, columns=[USER_ID, ITEM_ID, SCORE])


def test_same_split_same_metrics_for_every_model(interactions_small) -> None:
    test = pd.DataFrame({USER_ID: [1, 2], ITEM_ID: [40, 30]})
    perfect = FixedLists({1: [40, 99], 2: [30, 98]})
    wrong = FixedLists({1: [99, 98], 2: [97, 96]})
    runs = compare_recommenders(
        {"perfect": perfect, "wrong": wrong}, interactions_small, test, k=2
    )
    assert [run.name for run in runs] == ["perfect", "wrong"]
    assert runs[0].metrics["ndcg@2"] == 1.0 and runs[1].metrics["ndcg@2"] == 0.0
    assert perfect.fitted_on == len(interactions_small)
    assert runs[0].per_user["ndcg@2"].to_dict() == {1: 1.0, 2: 1.0}
    assert (
        runs[0].metrics["fit_seconds"] >= 0
        and runs[0].metrics["recommend_ms_per_user"] >= 0
    )
    # coverage: 4 distinct recommended items over a catalogue of 4 training items.
    assert runs[0].metrics["coverage@2"] == pytest.approx(1.0)
    table = comparison_table(runs)
    assert set(table.columns) == {"model", "metric", "value"}
    assert np.isclose(
        table.query("model == 'wrong' and metric == 'map'")["value"].item(), 0.0
    )
