"""The data quality report: what is missing, duplicated, orphaned, skewed or lost in joins.

Bias and irregularities are named in ``findings`` (plain sentences with the numbers), because a
recommender trained on MovieLens inherits its popularity skew and its users' activity skew, and
users of MovIA should read that before they read our metrics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def gini(values: np.ndarray | pd.Series) -> float:
    """Gini coefficient of non-negative counts: 0 when all equal, → 1 when one holds everything.

    Uses the sorted-values formula ``G = Σ(2i - n - 1)·x_i / (n·Σx)`` with 1-based ``i``.
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    if n == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * x) / (n * x.sum()))


def top_share(counts: pd.Series, fraction: float) -> float:
    """Share of the total held by the top ``fraction`` of entities (at least one entity)."""
    ordered = counts.sort_values(ascending=False)
    top = max(1, int(round(len(ordered) * fraction)))
    total = ordered.sum()
    return float(ordered.iloc[:top].sum() / total) if total else 0.0


def _missing(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Missing values per column; blank strings count as missing too."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        count = int(series.isna().sum())
        if pd.api.types.is_string_dtype(series):
            count += int((series.dropna().astype(str).str.strip() == "").sum())
        out[column] = {
            "count": count,
            "share": round(count / len(frame), 4) if len(frame) else 0.0,
        }
    return out


def _table_summary(frame: pd.DataFrame, key: list[str]) -> dict:
    return {
        "rows": len(frame),
        "duplicate_keys": int(frame.duplicated(key).sum()),
        "missing": _missing(frame),
    }


def _genre_stats(movies: pd.DataFrame, ratings: pd.DataFrame) -> dict:
    exploded = (
        movies[["movie_id", "genres"]].explode("genres").dropna(subset=["genres"])
    )
    counts = exploded["genres"].value_counts()
    mean_rating = (
        ratings.merge(exploded, on="movie_id")
        .groupby("genres")["rating"]
        .agg(["mean", "size"])
    )
    shares = counts / counts.sum()
    entropy = (
        float(-(shares * np.log(shares)).sum() / np.log(len(shares)))
        if len(shares) > 1
        else 0.0
    )
    return {
        "movies_per_genre": {k: int(v) for k, v in counts.items()},
        "mean_rating_per_genre": {
            k: round(float(v), 3) for k, v in mean_rating["mean"].items()
        },
        "ratings_per_genre": {k: int(v) for k, v in mean_rating["size"].items()},
        "imbalance_ratio_max_to_min": round(float(counts.max() / counts.min()), 1)
        if len(counts)
        else None,
        "normalised_entropy": round(entropy, 4),
        "movies_without_genre": int((movies["genres"].map(len) == 0).sum()),
    }


def _join_stats(
    movies: pd.DataFrame, ratings: pd.DataFrame, reviews: pd.DataFrame
) -> dict:
    per_source = {}
    for (source, split), group in reviews.groupby(["source", "split"], sort=True):
        joined = group["movie_id"].notna()
        per_source[f"{source}/{split}"] = {
            "reviews": len(group),
            "joined_reviews": int(joined.sum()),
            "joined_movies": int(group.loc[joined, "movie_id"].nunique()),
            "lost_share": round(1 - joined.mean(), 4),
            "with_imdb_id": int(group["imdb_id"].notna().sum()),
        }
    reviewed = set(reviews["movie_id"].dropna().astype(int))
    labelled = set(
        reviews.loc[reviews["label"].notna(), "movie_id"].dropna().astype(int)
    )
    with_overview = set(movies.loc[movies["overview"].notna(), "movie_id"])
    rated_with_overview = (
        ratings["movie_id"].isin(with_overview).mean() if len(ratings) else 0.0
    )
    return {
        "reviews_to_movies": per_source,
        "movies_with_reviews": len(reviewed),
        "movies_with_labelled_reviews": len(labelled),
        "movies_with_overview": len(with_overview),
        "share_of_movies_with_overview": round(len(with_overview) / len(movies), 4),
        "share_of_ratings_on_movies_with_overview": round(
            float(rated_with_overview), 4
        ),
        "movies_without_tmdb_id": int(movies["tmdb_id"].isna().sum()),
        "movies_without_imdb_id": int(movies["imdb_id"].isna().sum()),
    }


def _findings(report: dict) -> list[str]:
    """Plain sentences for the biases a reader should know before trusting any metric."""
    pop, users, genres, joins = (
        report["popularity"],
        report["user_activity"],
        report["genres"],
        report["joins"],
    )
    raw = report["raw_issues"]
    lines = [
        f"Popularity bias: the top 1% of movies receive {pop['top_1pct_share']:.0%} of ratings and "
        f"the top 10% receive {pop['top_10pct_share']:.0%} (Gini {pop['gini']:.2f}); "
        f"{pop['movies_with_fewer_than_5_ratings_share']:.0%} of rated movies have fewer than 5 ratings.",
        f"User activity skew: the top 10% of users give {users['top_10pct_share']:.0%} of ratings "
        f"(Gini {users['gini']:.2f}); the median user rated {users['median']:.0f} movies, "
        f"the most active {users['max']:,}.",
        f"Genre imbalance: the largest genre has {genres['imbalance_ratio_max_to_min']}x the movies "
        f"of the smallest (normalised entropy {genres['normalised_entropy']:.2f}).",
        f"Ratings lean positive: mean {report['ratings']['mean']:.2f} on a 0.5-5 scale; "
        f"{report['ratings']['half_star_share']:.0%} use half stars.",
        f"Only {joins['share_of_movies_with_overview']:.0%} of movies have a TMDB overview, but they carry "
        f"{joins['share_of_ratings_on_movies_with_overview']:.0%} of ratings: text features favour popular films.",
        f"{joins['movies_with_reviews']:,} movies have at least one review; reviews exist mostly for "
        "movies IMDb users wrote about, not for the long tail.",
    ]
    if raw["duplicate_user_movie_ratings"]:
        lines.append(
            f"{raw['duplicate_user_movie_ratings']} duplicate (user, movie) ratings: the latest was kept."
        )
    if raw["spanish_reviews_in_english"]:
        lines.append(
            f"{raw['spanish_reviews_in_english']} reviews of the machine-translated Spanish sample are "
            "still English (failed translations); they were dropped from `reviews`."
        )
    if raw["ratings_of_unknown_movies"] or raw["tags_of_unknown_movies"]:
        lines.append(
            f"Orphans: {raw['ratings_of_unknown_movies']} ratings and {raw['tags_of_unknown_movies']} "
            "tags refer to movies not in movies.csv and were dropped."
        )
    return lines


def build_quality_report(
    raw: dict[str, pd.DataFrame],
    movies: pd.DataFrame,
    ratings: pd.DataFrame,
    tags: pd.DataFrame,
    reviews: pd.DataFrame,
) -> dict:
    """Assemble the JSON-ready quality report from raw and cleaned tables.

    Args:
        raw: The raw MovieLens frames ``ratings``, ``tags`` and ``links`` (original column names),
            to count what cleaning removed, and ``spanish_detected_english``, the number of
            Spanish-corpus reviews whose text is English.
        movies, ratings, tags, reviews: The primary tables.
    """
    movie_ids = set(movies["movie_id"])
    raw_ratings, raw_tags, raw_links = raw["ratings"], raw["tags"], raw["links"]
    per_movie = ratings.groupby("movie_id").size()
    per_user = ratings.groupby("user_id").size()
    report = {
        "tables": {
            "movies": _table_summary(
                movies.drop(columns=["genres", "keywords"]), ["movie_id"]
            ),
            "ratings": _table_summary(ratings, ["user_id", "movie_id"]),
            "tags": _table_summary(tags, ["user_id", "movie_id", "tag"]),
            "reviews": _table_summary(reviews, ["review_id"]),
        },
        "raw_issues": {
            "duplicate_user_movie_ratings": int(
                raw_ratings.duplicated(["userId", "movieId"]).sum()
            ),
            "ratings_out_of_range": int(
                (~raw_ratings["rating"].between(0.5, 5.0)).sum()
            ),
            "ratings_of_unknown_movies": int(
                (~raw_ratings["movieId"].isin(movie_ids)).sum()
            ),
            "tags_of_unknown_movies": int((~raw_tags["movieId"].isin(movie_ids)).sum()),
            "links_of_unknown_movies": int(
                (~raw_links["movieId"].isin(movie_ids)).sum()
            ),
            "duplicate_imdb_ids_in_links": int(
                raw_links["imdbId"].dropna().duplicated().sum()
            ),
            "duplicate_tmdb_ids_in_links": int(
                raw_links["tmdbId"].dropna().duplicated().sum()
            ),
            "movies_without_ratings": int(len(movie_ids - set(per_movie.index))),
            "spanish_reviews_in_english": int(raw.get("spanish_detected_english", 0)),
        },
        "ratings": {
            "count": len(ratings),
            "users": int(ratings["user_id"].nunique()),
            "movies": int(ratings["movie_id"].nunique()),
            "density": round(len(ratings) / (per_user.size * per_movie.size), 5)
            if len(ratings)
            else 0.0,
            "mean": round(float(ratings["rating"].mean()), 4),
            "distribution": {
                str(k): int(v)
                for k, v in ratings["rating"].value_counts().sort_index().items()
            },
            "half_star_share": round(float((ratings["rating"] % 1 != 0).mean()), 4),
            "first": str(ratings["timestamp"].min()),
            "last": str(ratings["timestamp"].max()),
        },
        "popularity": {
            "gini": round(gini(per_movie), 4),
            "top_1pct_share": round(top_share(per_movie, 0.01), 4),
            "top_10pct_share": round(top_share(per_movie, 0.10), 4),
            "movies_with_fewer_than_5_ratings_share": round(
                float((per_movie < 5).mean()), 4
            ),
        },
        "user_activity": {
            "gini": round(gini(per_user), 4),
            "top_10pct_share": round(top_share(per_user, 0.10), 4),
            "min": int(per_user.min()),
            "median": float(per_user.median()),
            "max": int(per_user.max()),
        },
        "genres": _genre_stats(movies, ratings),
        "reviews": {
            "by_source_lang_split_label": {
                "/".join(str(v) for v in key): int(n)
                for key, n in reviews.groupby(
                    ["source", "lang", "split", reviews["label"].fillna("unlabelled")],
                    sort=True,
                )
                .size()
                .items()
            },
            "words_median_by_lang": {
                lang: float(group["text"].str.count(r"\S+").median())
                for lang, group in reviews.groupby("lang")
            },
        },
        "joins": _join_stats(movies, ratings, reviews),
    }
    report["findings"] = _findings(report)
    return report
