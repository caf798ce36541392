"""EDA figures of the primary tables, returned as Matplotlib figures keyed by file name.

The catalog saves them (versioned) with ``matplotlib.MatplotlibDataset``; the EDA notebook shows
the same figures. Figures are built with the object API (``Figure``), not pyplot, so a pipeline
never switches a notebook's backend or keeps figures alive in pyplot's registry. Axes say their units, long tails use log scales, and every panel states its
sample size, so a figure read on its own does not mislead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

_PALETTE = {
    "pos": "#2a9d8f",
    "neg": "#e76f51",
    "unlabelled": "#8d99ae",
    "en": "#264653",
    "es": "#e9c46a",
}


def _figure(width: float = 7.0, height: float = 4.0, ncols: int = 1):  # noqa: ANN202
    """A figure outside pyplot's global registry: no backend switch, nothing kept alive."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols)
    return fig, axes


def plot_rating_distribution(ratings: pd.DataFrame) -> Figure:
    """Bar per star value: shows the positive lean and how rarely half stars are used."""
    counts = ratings["rating"].value_counts().sort_index()
    fig, ax = _figure()
    ax.bar(counts.index.astype(str), counts.to_numpy(), color="#264653")
    ax.set_xlabel("rating (stars)")
    ax.set_ylabel("number of ratings")
    ax.set_title(
        f"Rating distribution (n = {len(ratings):,}, mean {ratings['rating'].mean():.2f})"
    )
    return fig


def plot_long_tail(ratings: pd.DataFrame) -> Figure:
    """Ratings per movie and per user against rank, on log-log axes: the long tails."""
    fig, axes = _figure(10, 4, ncols=2)
    for ax, column, what in (
        (axes[0], "movie_id", "movie"),
        (axes[1], "user_id", "user"),
    ):
        counts = ratings.groupby(column).size().sort_values(ascending=False).to_numpy()
        ax.loglog(np.arange(1, counts.size + 1), counts, color="#e76f51")
        ax.set_xlabel(f"{what} rank (most rated first)")
        ax.set_ylabel(f"ratings per {what}")
        ax.set_title(f"Ratings per {what} (n = {counts.size:,} {what}s)")
        ax.grid(True, which="both", alpha=0.3)
    return fig


def plot_genres(movies: pd.DataFrame, ratings: pd.DataFrame) -> Figure:
    """Movies per genre (bars) beside the mean rating each genre receives (dots)."""
    exploded = (
        movies[["movie_id", "genres"]].explode("genres").dropna(subset=["genres"])
    )
    counts = exploded["genres"].value_counts()
    mean = ratings.merge(exploded, on="movie_id").groupby("genres")["rating"].mean()
    order = counts.index.tolist()
    fig, axes = _figure(11, 5, ncols=2)
    axes[0].barh(order[::-1], counts[order[::-1]].to_numpy(), color="#264653")
    axes[0].set_xlabel("movies")
    axes[0].set_title("Movies per genre")
    axes[1].scatter(mean.reindex(order[::-1]).to_numpy(), order[::-1], color="#e76f51")
    axes[1].axvline(
        ratings["rating"].mean(), color="grey", linestyle="--", label="overall mean"
    )
    axes[1].set_xlabel("mean rating (stars)")
    axes[1].set_title("Mean rating per genre")
    axes[1].legend(loc="lower left")
    return fig


def plot_ratings_over_time(ratings: pd.DataFrame) -> Figure:
    """Ratings per year and their mean: MovieLens activity comes in bursts."""
    years = ratings["timestamp"].dt.year
    per_year = ratings.groupby(years)["rating"].agg(["size", "mean"])
    fig, ax = _figure(9, 4)
    ax.bar(per_year.index, per_year["size"], color="#8d99ae", label="ratings")
    ax.set_xlabel("year")
    ax.set_ylabel("ratings per year")
    twin = ax.twinx()
    twin.plot(
        per_year.index,
        per_year["mean"],
        color="#e76f51",
        marker="o",
        label="mean rating",
    )
    twin.set_ylabel("mean rating (stars)")
    ax.set_title("Ratings over time")
    return fig


def plot_review_length(reviews: pd.DataFrame) -> Figure:
    """Words per review by language and label, log scale (lengths span two orders of magnitude)."""
    words = reviews["text"].str.count(r"\S+")
    label = reviews["label"].fillna("unlabelled")
    groups, names = [], []
    for (lang, lab), index in reviews.groupby([reviews["lang"], label]).groups.items():
        groups.append(words.loc[index].to_numpy())
        names.append(f"{lang}/{lab}\n(n={len(index):,})")
    fig, ax = _figure(9, 4)
    ax.boxplot(groups, tick_labels=names, showfliers=False)
    ax.set_yscale("log")
    ax.set_ylabel("words per review")
    ax.set_title("Review length by language and label")
    return fig


def plot_label_balance(reviews: pd.DataFrame) -> Figure:
    """Stacked bars of pos / neg / unlabelled per source and split."""
    table = (
        reviews.assign(label=reviews["label"].fillna("unlabelled"))
        .groupby([reviews["source"] + "/" + reviews["split"], "label"])
        .size()
        .unstack(fill_value=0)
    )
    fig, ax = _figure(8, 4)
    bottom = np.zeros(len(table))
    for label in [c for c in ("neg", "pos", "unlabelled") if c in table.columns]:
        ax.bar(
            table.index, table[label], bottom=bottom, label=label, color=_PALETTE[label]
        )
        bottom += table[label].to_numpy()
    ax.set_ylabel("reviews")
    ax.set_title("Label balance per source and split")
    ax.legend()
    ax.tick_params(axis="x", rotation=20)
    return fig


def plot_text_coverage(
    movies: pd.DataFrame, ratings: pd.DataFrame, reviews: pd.DataFrame
) -> Figure:
    """How many movies (and how much of the rating mass) have reviews or an overview."""
    reviewed = set(reviews["movie_id"].dropna().astype(int))
    has = {
        "any review": movies["movie_id"].isin(reviewed),
        "labelled review": movies["movie_id"].isin(
            set(reviews.loc[reviews["label"].notna(), "movie_id"].dropna().astype(int))
        ),
        "Spanish review": movies["movie_id"].isin(
            set(reviews.loc[reviews["lang"] == "es", "movie_id"].dropna().astype(int))
        ),
        "TMDB overview": movies["overview"].notna(),
    }
    movie_share = [mask.mean() for mask in has.values()]
    rating_share = [
        ratings["movie_id"].isin(movies.loc[mask, "movie_id"]).mean()
        for mask in has.values()
    ]
    x = np.arange(len(has))
    fig, ax = _figure(8, 4)
    ax.bar(x - 0.2, movie_share, width=0.4, label="share of movies", color="#264653")
    ax.bar(x + 0.2, rating_share, width=0.4, label="share of ratings", color="#e9c46a")
    ax.set_xticks(x, list(has))
    ax.set_ylim(0, 1)
    ax.set_ylabel("share")
    ax.set_title(f"Text coverage of the catalogue ({len(movies):,} movies)")
    ax.legend()
    return fig


def build_eda_figures(
    movies: pd.DataFrame, ratings: pd.DataFrame, reviews: pd.DataFrame
) -> dict[str, Figure]:
    """Every EDA figure, keyed by the file name the catalog saves it under."""
    return {
        "rating_distribution.png": plot_rating_distribution(ratings),
        "long_tail.png": plot_long_tail(ratings),
        "genres.png": plot_genres(movies, ratings),
        "ratings_over_time.png": plot_ratings_over_time(ratings),
        "review_length.png": plot_review_length(reviews),
        "label_balance.png": plot_label_balance(reviews),
        "text_coverage.png": plot_text_coverage(movies, ratings, reviews),
    }
