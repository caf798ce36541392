"""Classification metrics against values worked out by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from movia.errors import DataError
from movia.evaluation.classification import (
    METRICS,
    accuracy,
    brier_score,
    classification_report,
    confusion_counts,
    confusion_matrix,
    encode_labels,
    expected_calibration_error,
    macro_f1,
    reliability_table,
    roc_auc,
)

# Six reviews: thresholded at 0.5 → predictions [0, 1, 1, 0, 1, 1].
Y = ["neg", "neg", "pos", "pos", "pos", "neg"]
P = [0.1, 0.6, 0.8, 0.4, 0.9, 0.5]


def test_accuracy_counts_threshold_ties_as_positive() -> None:
    # correct: rows 0, 2, 4 → 3/6 (row 5 at exactly 0.5 is predicted pos, label neg)
    assert accuracy(Y, P) == pytest.approx(0.5)
    assert accuracy(Y, P, threshold=0.55) == pytest.approx(4 / 6)


def test_confusion_counts_and_matrix() -> None:
    # neg rows 0,1,5 → predicted 0,1,1: tn=1, fp=2; pos rows 2,3,4 → 1,0,1: tp=2, fn=1
    assert confusion_counts(Y, P) == {"tn": 1, "fp": 2, "fn": 1, "tp": 2}
    matrix = confusion_matrix(Y, P)
    assert matrix.loc["neg", "pos"] == 2
    assert matrix.loc["pos", "neg"] == 1
    assert matrix.to_numpy().sum() == 6


def test_macro_f1_by_hand() -> None:
    # pos: precision 2/4, recall 2/3 → F1 = 2·(1/2·2/3)/(1/2+2/3) = 4/7
    # neg: precision 1/2, recall 1/3 → F1 = 2·(1/2·1/3)/(1/2+1/3) = 2/5
    assert macro_f1(Y, P) == pytest.approx((4 / 7 + 2 / 5) / 2)


def test_macro_f1_scores_a_never_predicted_class_zero() -> None:
    # everything predicted pos: pos F1 = 2·(1/2·1)/(1/2+1) = 2/3, neg F1 = 0
    assert macro_f1(["neg", "pos"], [0.9, 0.9]) == pytest.approx(1 / 3)


def test_roc_auc_is_the_share_of_correctly_ordered_pairs() -> None:
    # pos scores {0.8, 0.4, 0.9} vs neg {0.1, 0.6, 0.5}: of 9 pairs, 0.4 loses to 0.6 and 0.5,
    # every other pair is ordered correctly → 7/9
    assert roc_auc(Y, P) == pytest.approx(7 / 9)
    assert roc_auc([0, 1], [0.3, 0.3]) == pytest.approx(0.5)  # a tie counts half
    assert math.isnan(roc_auc(["pos", "pos"], [0.2, 0.7]))


def test_reliability_table_and_ece_by_hand() -> None:
    y = [0, 1, 1, 0, 1]
    p = [0.05, 0.15, 0.95, 0.85, 1.0]
    table = reliability_table(y, p, n_bins=2)
    # bin [0, .5): p 0.05, 0.15 → mean 0.10, positives 1/2; bin [.5, 1]: 0.95, 0.85, 1.0
    # (1.0 belongs to the last bin) → mean 0.9333…, positives 2/3
    assert table["count"].tolist() == [2, 3]
    assert table["mean_prob_pos"].tolist() == pytest.approx([0.10, 2.8 / 3])
    assert table["frac_pos"].tolist() == pytest.approx([0.5, 2 / 3])
    # ECE = 2/5·|0.5 − 0.1| + 3/5·|2/3 − 2.8/3| = 0.16 + 0.16 = 0.32
    assert expected_calibration_error(y, p, n_bins=2) == pytest.approx(0.32)


def test_empty_bins_are_kept_and_do_not_count() -> None:
    table = reliability_table([1, 0], [0.95, 0.05], n_bins=10)
    assert len(table) == 10
    assert table["count"].sum() == 2
    assert np.isnan(table.loc[4, "mean_prob_pos"])
    # bin 0: mean 0.05, positives 0 → gap 0.05; bin 9: 0.95 vs 1 → 0.05
    assert expected_calibration_error([1, 0], [0.95, 0.05]) == pytest.approx(0.05)


def test_a_perfect_confident_model() -> None:
    y = ["neg", "pos", "pos", "neg"]
    p = [0.0, 1.0, 1.0, 0.0]
    assert accuracy(y, p) == 1.0
    assert macro_f1(y, p) == 1.0
    assert roc_auc(y, p) == 1.0
    assert expected_calibration_error(y, p) == 0.0
    assert brier_score(y, p) == 0.0


def test_brier_by_hand() -> None:
    # (0.1−0)² + (0.6−0)² + (0.8−1)² + (0.4−1)² + (0.9−1)² + (0.5−0)² = 1.03 → /6
    assert brier_score(Y, P) == pytest.approx(1.03 / 6)


def test_report_is_json_ready_and_consistent() -> None:
    report = classification_report(Y, P, n_bins=5)
    json.dumps(report)  # no numpy scalars, no NaN
    assert report["n"] == 6
    assert report["accuracy"] == pytest.approx(0.5)
    assert report["roc_auc"] == pytest.approx(7 / 9)
    assert len(report["reliability"]) == 5
    assert set(METRICS) <= set(report)


def test_labels_accept_strings_ints_and_booleans() -> None:
    assert encode_labels(["neg", "pos", 0, 1, True]).tolist() == [0, 1, 0, 1, 1]


@pytest.mark.parametrize(
    ("labels", "probs", "message"),
    [
        (["neg", "unsup"], [0.1, 0.2], "'unsup'"),
        (["neg", None], [0.1, 0.2], "None"),
        (["neg"], [0.1, 0.2], "1 labels but 2 probabilities"),
        ([], [], "no predictions"),
        (["neg", "pos"], [0.1, 1.2], "outside"),
        (["neg", "pos"], [0.1, float("nan")], "outside"),
    ],
)
def test_bad_input_raises_a_data_error_naming_the_problem(
    labels: list, probs: list, message: str
) -> None:
    with pytest.raises(DataError, match=message):
        accuracy(labels, probs)


def test_data_error_names_the_row() -> None:
    with pytest.raises(DataError) as caught:
        encode_labels(["pos", "neg", "maybe"])
    assert caught.value.row == 2
    assert caught.value.field == "label"
