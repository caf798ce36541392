"""Nodes of the data_processing pipeline: raw files → typed primary tables → EDA.

Raw inputs arrive validated (``RawTableDataset`` checks file, line and column on load); these
nodes reshape them into the tables every other pipeline reads (DESIGN §2): ``movies``,
``ratings``, ``tags`` and ``reviews``. Nodes return new frames and never edit their inputs.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from movia.analysis.data_quality import build_quality_report
from movia.analysis.eda_figures import build_eda_figures
from movia.errors import ColumnContractError
from movia.text.cleaning import clean_review_text
from movia.text.language import detect_language
from movia.text.titles import display_title, split_title_year

logger = logging.getLogger(__name__)

MOVIE_COLUMNS = [
    "movie_id",
    "title",
    "title_raw",
    "year",
    "genres",
    "imdb_id",
    "tmdb_id",
    "overview",
    "tagline",
    "keywords",
]
RATING_COLUMNS = ["user_id", "movie_id", "rating", "timestamp"]
TAG_COLUMNS = ["user_id", "movie_id", "tag", "timestamp"]
REVIEW_COLUMNS = [
    "review_id",
    "movie_id",
    "imdb_id",
    "lang",
    "source",
    "domain",
    "split",
    "label",
    "rating",
    "rating_scale",
    "origin_id",
    "origin_split",
    "text",
]
NO_GENRES = "(no genres listed)"


def _split_list(value: object) -> list[str]:
    if not isinstance(value, str) or not value.strip() or value == NO_GENRES:
        return []
    return [part.strip() for part in value.split("|") if part.strip()]


def _to_imdb_id(imdb_number: pd.Series) -> pd.Series:
    """links.csv keeps IMDb ids as numbers ("0114709" read as 114709): restore ``tt0114709``."""
    numbers = imdb_number.astype("Int64")
    return ("tt" + numbers.astype("string").str.zfill(7)).where(numbers.notna())


def build_movies(
    movielens_movies: pd.DataFrame,
    movielens_links: pd.DataFrame,
    tmdb_overviews: pd.DataFrame,
) -> pd.DataFrame:
    """One row per MovieLens movie with year, genre list, IMDb/TMDB ids and TMDB text.

    Returns:
        Columns ``movie_id`` (MovieLens movieId), ``title`` (display form, article first),
        ``title_raw`` (MovieLens form without year), ``year`` (Int64, NA when the title has
        none), ``genres`` (list of str; empty for "(no genres listed)"), ``imdb_id``
        (``tt`` + 7 digits), ``tmdb_id`` (Int64), ``overview``, ``tagline`` (str or NA) and
        ``keywords`` (list of str) from TMDB where the tmdbId joins.
    """
    parsed = movielens_movies["title"].map(split_title_year)
    movies = pd.DataFrame(
        {
            "movie_id": movielens_movies["movieId"].astype("int64"),
            "title_raw": [title for title, _ in parsed],
            "year": pd.array([year for _, year in parsed], dtype="Int64"),
            "genres": movielens_movies["genres"].map(_split_list),
        }
    )
    movies["title"] = movies["title_raw"].map(display_title)
    links = pd.DataFrame(
        {
            "movie_id": movielens_links["movieId"].astype("int64"),
            "imdb_id": _to_imdb_id(movielens_links["imdbId"]),
            "tmdb_id": movielens_links["tmdbId"].astype("Int64"),
        }
    )
    movies = movies.merge(links, on="movie_id", how="left", validate="one_to_one")
    overviews = pd.DataFrame(
        {
            "tmdb_id": tmdb_overviews["tmdb_id"].astype("Int64"),
            "overview": tmdb_overviews["overview"],
            "tagline": tmdb_overviews["tagline"],
            "keywords": tmdb_overviews["keywords"].map(_split_list),
        }
    )
    movies = movies.merge(overviews, on="tmdb_id", how="left", validate="many_to_one")
    movies["keywords"] = movies["keywords"].map(
        lambda v: v if isinstance(v, list) else []
    )
    logger.info(
        "built %d movies (%d with an overview, %d with an IMDb id)",
        len(movies),
        movies["overview"].notna().sum(),
        movies["imdb_id"].notna().sum(),
    )
    return movies[MOVIE_COLUMNS]


def _epoch_to_utc(seconds: pd.Series) -> pd.Series:
    return pd.to_datetime(seconds.astype("int64"), unit="s", utc=True)


def clean_ratings(
    movielens_ratings: pd.DataFrame, movies: pd.DataFrame
) -> pd.DataFrame:
    """Ratings of known movies, one per (user, movie), timestamps as UTC datetimes.

    When a user rated a movie twice the later rating wins (it is their current opinion); ratings
    of movies absent from ``movies`` are dropped. Both are counted in the data quality report.
    """
    ratings = pd.DataFrame(
        {
            "user_id": movielens_ratings["userId"].astype("int64"),
            "movie_id": movielens_ratings["movieId"].astype("int64"),
            "rating": movielens_ratings["rating"].astype("float64"),
            "timestamp": _epoch_to_utc(movielens_ratings["timestamp"]),
        }
    )
    known = ratings["movie_id"].isin(movies["movie_id"])
    ratings = ratings[known].sort_values(
        ["user_id", "movie_id", "timestamp"], kind="stable"
    )
    ratings = ratings.drop_duplicates(["user_id", "movie_id"], keep="last")
    logger.info(
        "kept %d ratings (%d of unknown movies dropped)",
        len(ratings),
        int((~known).sum()),
    )
    return ratings.reset_index(drop=True)[RATING_COLUMNS]


def clean_tags(movielens_tags: pd.DataFrame, movies: pd.DataFrame) -> pd.DataFrame:
    """Non-empty, whitespace-trimmed tags of known movies; duplicates per user and movie dropped."""
    tags = pd.DataFrame(
        {
            "user_id": movielens_tags["userId"].astype("int64"),
            "movie_id": movielens_tags["movieId"].astype("int64"),
            "tag": movielens_tags["tag"].astype("string").str.strip(),
            "timestamp": _epoch_to_utc(movielens_tags["timestamp"]),
        }
    )
    tags = tags[
        tags["tag"].notna()
        & (tags["tag"] != "")
        & tags["movie_id"].isin(movies["movie_id"])
    ]
    tags = tags.drop_duplicates(["user_id", "movie_id", "tag"])
    return tags.reset_index(drop=True)[TAG_COLUMNS]


def _sample(
    frame: pd.DataFrame, by: list[str], limit: int | None, seed: int
) -> pd.DataFrame:
    """At most ``limit`` rows, spread evenly over the ``by`` groups (for small test runs)."""
    if limit is None or len(frame) <= limit:
        return frame
    groups = frame.groupby(by, sort=True, dropna=False)
    per_group = max(1, limit // groups.ngroups)
    return pd.concat(
        [g.sample(min(len(g), per_group), random_state=seed) for _, g in groups]
    )


def _aclimdb_reviews(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "review_id": "aclimdb_"
            + frame["split"]
            + "_"
            + frame["label"]
            + "_"
            + frame["review_id"].astype("string"),
            "imdb_id": frame["imdb_id"],
            "lang": "en",
            "source": "aclimdb",
            "domain": "movies",
            "split": np.where(frame["label"] == "unsup", "unsup", frame["split"]),
            "label": frame["label"].where(frame["label"] != "unsup"),
            "rating": frame["rating"].astype("Int64"),
            "rating_scale": 10,
            "origin_id": pd.NA,
            "origin_split": pd.NA,
            "text": frame["text"],
        }
    )


def _imdb_es_reviews(frame: pd.DataFrame) -> pd.DataFrame:
    """Machine-translated aclImdb reviews: keep the link to the original for leakage checks."""
    return pd.DataFrame(
        {
            "review_id": frame["id"],
            "imdb_id": frame["imdb_id"],
            "lang": "es",
            "source": "imdb_es",
            "domain": "movies",
            "split": "train",
            "label": frame["label"],
            "rating": frame["rating"].astype("Int64"),
            "rating_scale": 10,
            "origin_id": frame["aclimdb_review_id"],
            "origin_split": frame["aclimdb_split"],
            "text": frame["text"],
        }
    )


def _sfu_reviews(frame: pd.DataFrame) -> pd.DataFrame:
    """Native Spanish Ciao.es reviews; only ``peliculas`` are about movies (none join to ids)."""
    return pd.DataFrame(
        {
            "review_id": "sfu_"
            + frame["domain"]
            + "_"
            + frame["source_file"].str.removesuffix(".txt"),
            "imdb_id": pd.NA,
            "lang": "es",
            "source": "sfu",
            "domain": frame["domain"].replace({"peliculas": "movies"}),
            "split": "train",
            "label": frame["label"],
            "rating": frame["stars"].astype("Int64"),
            "rating_scale": 5,
            "origin_id": pd.NA,
            "origin_split": pd.NA,
            "text": frame["text"],
        }
    )


def find_untranslated(reviews: pd.DataFrame) -> pd.Series:
    """Reviews filed as Spanish whose text is detected as English (4.5% of the imdb_es sample)."""
    spanish = reviews["lang"] == "es"
    detected = reviews.loc[spanish, "text"].map(detect_language)
    return (
        pd.Series(False, index=reviews.index)
        .mask(spanish, detected.eq("en"))
        .astype(bool)
    )


def build_reviews(
    imdb_reviews: pd.DataFrame,
    imdb_reviews_unsup: pd.DataFrame,
    spanish_reviews_imdb_es: pd.DataFrame,
    spanish_reviews_sfu: pd.DataFrame,
    movies: pd.DataFrame,
    options: dict,
) -> pd.DataFrame:
    """All reviews in one table, HTML-free, joined to ``movie_id`` through IMDb ids.

    Args:
        options: ``include_unlabelled`` (bool), ``max_per_source`` (int or null: a seeded,
            split- and label-stratified sample per source, for small test runs), ``random_state``.

    Returns:
        Columns ``review_id`` (unique, source-prefixed), ``movie_id`` (Int64, NA when the IMDb
        title is not in MovieLens), ``imdb_id``, ``lang`` (en/es), ``source`` (aclimdb, imdb_es,
        sfu), ``domain`` (movies, or the SFU product domain), ``split`` (train/test/unsup; the
        Spanish corpora are train-only, see ``origin_split``), ``label`` (pos/neg/NA),
        ``rating`` (Int64) on ``rating_scale`` (10 or 5 stars), ``origin_id``/``origin_split``
        (the aclImdb review(s) a translated review came from) and ``text``. Spanish-corpus
        reviews detected as English (failed translations) are dropped and counted in the
        quality report.
    """
    parts = [_aclimdb_reviews(imdb_reviews)]
    if options.get("include_unlabelled", True):
        parts.append(_aclimdb_reviews(imdb_reviews_unsup))
    parts.append(_imdb_es_reviews(spanish_reviews_imdb_es))
    if len(spanish_reviews_sfu):
        parts.append(_sfu_reviews(spanish_reviews_sfu))
    seed = int(options.get("random_state", 42))
    limit = options.get("max_per_source")
    parts = [
        _sample(part, ["split", "label"], limit, seed) for part in parts if len(part)
    ]
    reviews = pd.concat(parts, ignore_index=True)
    reviews["text"] = reviews["text"].map(clean_review_text)
    empty = reviews["text"] == ""
    if empty.any():
        logger.warning(
            "dropping %d reviews that are empty once markup is removed",
            int(empty.sum()),
        )
        reviews = reviews[~empty]
    untranslated = find_untranslated(reviews)
    if untranslated.any():
        logger.warning(
            "dropping %d 'Spanish' reviews that are English text (failed machine translation):"
            " they would duplicate aclImdb reviews under another language",
            int(untranslated.sum()),
        )
        reviews = reviews[~untranslated]
    by_imdb = (
        movies.dropna(subset=["imdb_id"])
        .drop_duplicates("imdb_id")
        .set_index("imdb_id")["movie_id"]
    )
    reviews["movie_id"] = reviews["imdb_id"].map(by_imdb).astype("Int64")
    for column in ("imdb_id", "label", "origin_id", "origin_split"):
        reviews[column] = reviews[column].astype("string")
    if reviews["review_id"].duplicated().any():
        dupes = (
            reviews.loc[reviews["review_id"].duplicated(), "review_id"].head(5).tolist()
        )
        raise ColumnContractError(f"duplicate review ids {dupes}", field="review_id")
    logger.info(
        "built %d reviews (%d joined to %d movies)",
        len(reviews),
        reviews["movie_id"].notna().sum(),
        reviews["movie_id"].nunique(),
    )
    return reviews.reset_index(drop=True)[REVIEW_COLUMNS]


def report_data_quality(
    spanish_reviews_imdb_es: pd.DataFrame,
    movielens_ratings: pd.DataFrame,
    movielens_tags: pd.DataFrame,
    movielens_links: pd.DataFrame,
    movies: pd.DataFrame,
    ratings: pd.DataFrame,
    tags: pd.DataFrame,
    reviews: pd.DataFrame,
) -> dict:
    """The data quality report (see :func:`movia.analysis.data_quality.build_quality_report`)."""
    spanish_text = spanish_reviews_imdb_es["text"].map(clean_review_text)
    return build_quality_report(
        raw={
            "ratings": movielens_ratings,
            "tags": movielens_tags,
            "links": movielens_links,
            "spanish_detected_english": int(
                (spanish_text.map(detect_language) == "en").sum()
            ),
        },
        movies=movies,
        ratings=ratings,
        tags=tags,
        reviews=reviews,
    )


def plot_eda(
    movies: pd.DataFrame, ratings: pd.DataFrame, reviews: pd.DataFrame
) -> dict:
    """The EDA figures, keyed by file name (see :mod:`movia.analysis.eda_figures`)."""
    return build_eda_figures(movies=movies, ratings=ratings, reviews=reviews)
