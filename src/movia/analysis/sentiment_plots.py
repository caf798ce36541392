"""Figures of the sentiment evaluation: reliability diagrams, confusion matrices, top n-grams.

Built with the object API (``Figure``), like the EDA figures, so a pipeline never touches
pyplot's global state. Each panel says which model, which test set and how many reviews.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from movia.evaluation.classification import LABELS, confusion_matrix, reliability_table


def plot_reliability(predictions: pd.DataFrame, n_bins: int = 10) -> Figure:
    """Mean predicted P(pos) against the observed share of positives, one panel per test set.

    Points on the diagonal are calibrated; marker area grows with the bin's review count, so a
    far-off but nearly empty bin does not look alarming.
    """
    test_sets = sorted(predictions["test_set"].unique())
    fig = Figure(figsize=(5.5 * max(1, len(test_sets)), 5), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, max(1, len(test_sets))))
    for ax, test_set in zip(axes, test_sets, strict=False):
        rows = predictions[predictions["test_set"] == test_set]
        ax.plot(
            [0, 1], [0, 1], color="#8d99ae", linestyle="--", label="perfect calibration"
        )
        for model, group in rows.groupby("model", sort=True):
            table = reliability_table(group["label"], group["prob_pos"], n_bins)
            used = table[table["count"] > 0]
            sizes = 200 * used["count"] / used["count"].max()
            (line,) = ax.plot(
                used["mean_prob_pos"],
                used["frac_pos"],
                marker="o",
                markersize=3,
                label=f"{model} (n = {len(group):,})",
            )
            ax.scatter(
                used["mean_prob_pos"],
                used["frac_pos"],
                s=sizes,
                alpha=0.3,
                color=line.get_color(),
            )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("mean predicted P(pos) in bin")
        ax.set_ylabel("share of positive reviews in bin")
        ax.set_title(f"Reliability on {test_set} ({n_bins} bins)")
        ax.legend(loc="upper left", fontsize="small")
        ax.grid(True, alpha=0.3)
    return fig


def plot_confusion_matrices(predictions: pd.DataFrame) -> Figure:
    """Counts (and row shares) of true × predicted label for each model and test set."""
    pairs = sorted(
        predictions[["model", "test_set"]].drop_duplicates().itertuples(index=False)
    )
    ncols = min(3, max(1, len(pairs)))
    nrows = int(np.ceil(max(1, len(pairs)) / ncols))
    fig = Figure(figsize=(4 * ncols, 3.6 * nrows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for ax, (model, test_set) in zip(axes, pairs, strict=False):
        rows = predictions[
            (predictions["model"] == model) & (predictions["test_set"] == test_set)
        ]
        matrix = confusion_matrix(rows["label"], rows["prob_pos"]).to_numpy()
        shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
        for i in range(2):
            for j in range(2):
                ax.text(
                    j,
                    i,
                    f"{matrix[i, j]:,}\n{shares[i, j]:.1%}",
                    ha="center",
                    va="center",
                    color="white" if shares[i, j] > 0.5 else "black",
                )
        ax.set_xticks([0, 1], labels=LABELS)
        ax.set_yticks([0, 1], labels=LABELS)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(f"{model}\n{test_set} (n = {len(rows):,})", fontsize="medium")
    for ax in axes[len(pairs) :]:
        ax.set_visible(False)
    return fig


def plot_top_features(top: pd.DataFrame, title: str) -> Figure:
    """Horizontal bars of the strongest positive and negative n-grams of a linear model.

    Args:
        top: Columns ``polarity``, ``rank``, ``feature``, ``weight`` (as ``top_features``).
        title: Which model and language.
    """
    ordered = pd.concat(
        [
            top[top["polarity"] == "neg"].sort_values("rank", ascending=False),
            top[top["polarity"] == "pos"].sort_values("rank"),
        ]
    ).iloc[::-1]
    fig = Figure(figsize=(7, 0.25 * len(ordered) + 1.5), layout="constrained")
    ax = fig.subplots()
    colours = np.where(ordered["polarity"] == "pos", "#2a9d8f", "#e76f51")
    ax.barh(np.arange(len(ordered)), ordered["weight"], color=colours)
    ax.set_yticks(np.arange(len(ordered)), labels=ordered["feature"])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("effective weight on the log-odds of 'pos' per unit of TF-IDF")
    ax.set_title(title)
    return fig
