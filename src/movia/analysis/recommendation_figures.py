"""Figures of the recommendation pipeline: accuracy by model, popularity bias, cold start.

Built with Matplotlib's object API (no pyplot state), returned keyed by file name for the
catalog's versioned ``MatplotlibDataset``. Each panel states its sample size and split so it can
be read alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from movia.evaluation.columns import ITEM_ID, USER_ID

ACCURACY = ("ndcg@10", "map", "precision@10", "recall@10")
_COLORS = (
    "#264653",
    "#2a9d8f",
    "#e9c46a",
    "#f4a261",
    "#e76f51",
    "#8d99ae",
    "#6d597a",
    "#b56576",
)


def plot_metrics_by_model(
    metrics: pd.DataFrame, names: Sequence[str] = ACCURACY, title: str = ""
) -> Figure:
    """Grouped bars: one group per metric, one bar per model (``model, metric, value``)."""
    table = metrics[metrics["metric"].isin(names)].pivot_table(
        index="model", columns="metric", values="value"
    )
    names = [n for n in names if n in table.columns]
    models = list(table.index)
    fig = Figure(figsize=(10, 4.5), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / max(len(models), 1)
    x = np.arange(len(names))
    for i, model in enumerate(models):
        values = table.loc[model, names].to_numpy(dtype=float)
        ax.bar(
            x + i * width, values, width, label=model, color=_COLORS[i % len(_COLORS)]
        )
    ax.set_xticks(x + width * (len(models) - 1) / 2, names)
    ax.set_ylabel("value (higher is better)")
    ax.set_title(title or "Accuracy by model (test split)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", alpha=0.3)
    return fig


def plot_popularity_bias(
    recommendations: Mapping[str, pd.DataFrame], train: pd.DataFrame, k: int = 10
) -> Figure:
    """How popular recommended films are, per model, against the catalogue.

    The x axis is a film's popularity (share of training users who rated it, log scale); each
    line is the cumulative share of top-k slots (or of catalogue films) at or below it. A line
    far right of the catalogue's means the model mostly recommends blockbusters.
    """
    share = train.groupby(ITEM_ID)[USER_ID].nunique() / train[USER_ID].nunique()
    floor = 0.5 / train[USER_ID].nunique()
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.subplots()
    catalogue = np.sort(share.to_numpy())
    ax.plot(
        catalogue,
        np.arange(1, catalogue.size + 1) / catalogue.size,
        color="black",
        linestyle="--",
        label=f"catalogue ({catalogue.size:,} rated films)",
    )
    for i, (model, frame) in enumerate(recommendations.items()):
        top = frame[frame["rank"] <= k] if "rank" in frame.columns else frame
        values = np.sort(top[ITEM_ID].map(share).fillna(floor).to_numpy(dtype=float))
        if values.size == 0:
            continue
        ax.plot(
            values,
            np.arange(1, values.size + 1) / values.size,
            color=_COLORS[i % len(_COLORS)],
            label=f"{model} (mean {values.mean():.3f})",
        )
    ax.set_xscale("log")
    ax.set_xlabel("film popularity: share of training users who rated it (log)")
    ax.set_ylabel("cumulative share")
    ax.set_title(f"Popularity bias of top-{k} recommendations vs the catalogue")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    return fig


def plot_cold_start(metrics: pd.DataFrame) -> Figure:
    """Cold start vs popularity for held-out users, and genre precision of EN/ES text."""
    fig = Figure(figsize=(10, 4), layout="constrained")
    left, right = fig.subplots(1, 2)
    users = metrics[metrics["model"].isin(["cold_start", "cold_start_popularity"])]
    plot_table = users.pivot_table(index="metric", columns="model", values="value")
    plot_table = plot_table.drop(index="n_users", errors="ignore")
    plot_table.plot.bar(ax=left, color=_COLORS[:2], rot=0)
    left.set_title("Held-out users, first ratings revealed")
    left.set_ylabel("value")
    text = metrics[metrics["model"] == "cold_start_text"].set_index("metric")["value"]
    text = text.drop(index="n_queries", errors="ignore")
    right.bar(text.index, text.to_numpy(dtype=float), color=_COLORS[2])
    right.set_title("Text requests: share of top-10 with the asked genre")
    right.tick_params(axis="x", rotation=30, labelsize=8)
    right.set_ylim(0, 1)
    return fig
