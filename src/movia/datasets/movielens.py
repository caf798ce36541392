"""Read the benchmark MovieLens folders (ml-100k, ml-1m) into the primary-table columns.

The recommendation benchmark compares with tables published on ML-100k, so it reads that folder
with the same column names as ``data_processing``'s ``ratings`` and ``movies`` tables: the models
and metrics then never learn where a frame came from. ``u.item`` is Latin-1 (``read_table``
names the line if a wrong encoding slips in); ml-1m's ``::`` separator needs pandas' python
engine. Genre names follow ml-latest-small ("Children", not "Children's").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from movia.datasets.raw_table import read_table
from movia.errors import ConfigError
from movia.text.titles import display_title, split_title_year

ML100K_GENRES = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
]
_RATING_FILE_COLUMNS = ["userId", "movieId", "rating", "timestamp"]


def _ratings_frame(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user_id": raw["userId"].astype("int64"),
            "movie_id": raw["movieId"].astype("int64"),
            "rating": raw["rating"].astype(float),
            "timestamp": pd.to_datetime(raw["timestamp"], unit="s", utc=True),
        }
    )


def _movies_frame(
    movie_id: pd.Series, raw_title: pd.Series, genres: list[list[str]]
) -> pd.DataFrame:
    parts = [split_title_year(str(title)) for title in raw_title]
    return pd.DataFrame(
        {
            "movie_id": movie_id.astype("int64").to_numpy(),
            "title": [display_title(name) for name, _ in parts],
            "title_raw": [name for name, _ in parts],
            "year": pd.array([year for _, year in parts], dtype="Int64"),
            "genres": genres,
            "imdb_id": pd.array([pd.NA] * len(parts), dtype="string"),
            "tmdb_id": pd.array([pd.NA] * len(parts), dtype="Int64"),
            "overview": pd.array([pd.NA] * len(parts), dtype="string"),
            "tagline": pd.array([pd.NA] * len(parts), dtype="string"),
            "keywords": [[] for _ in parts],
        }
    )


def read_ml100k(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(ratings, movies)`` from an ml-100k folder (``u.data``, ``u.item``).

    Ratings keep ``u.data``'s row order: Microsoft's split draws its random numbers in that
    order, so reproducing their split depends on it.
    """
    folder = Path(folder)
    raw_ratings = read_table(
        folder / "u.data",
        schema="movielens_ratings",
        load_args={"sep": "\t", "header": None, "names": _RATING_FILE_COLUMNS},
        header_lines=0,
    )
    item_columns = [
        "movieId",
        "title",
        "release_date",
        "video_release_date",
        "imdb_url",
        *ML100K_GENRES,
    ]
    raw_items = read_table(
        folder / "u.item",
        load_args={
            "sep": "|",
            "header": None,
            "names": item_columns,
            "encoding": "latin-1",
        },
        header_lines=0,
    )
    flags = raw_items[ML100K_GENRES[1:]].to_numpy(dtype=bool)
    names = np.array(ML100K_GENRES[1:])
    genres = [list(names[row]) for row in flags]
    return _ratings_frame(raw_ratings), _movies_frame(
        raw_items["movieId"], raw_items["title"], genres
    )


def read_ml1m(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(ratings, movies)`` from an ml-1m folder (``ratings.dat``, ``movies.dat``)."""
    folder = Path(folder)
    raw_ratings = read_table(
        folder / "ratings.dat",
        schema="movielens_ratings",
        load_args={
            "sep": "::",
            "engine": "python",
            "header": None,
            "names": _RATING_FILE_COLUMNS,
        },
        header_lines=0,
    )
    raw_movies = read_table(
        folder / "movies.dat",
        load_args={
            "sep": "::",
            "engine": "python",
            "header": None,
            "names": ["movieId", "title", "genres"],
            "encoding": "latin-1",
        },
        header_lines=0,
    )
    genres = [
        [g.replace("Children's", "Children") for g in str(value).split("|") if g]
        for value in raw_movies["genres"]
    ]
    return _ratings_frame(raw_ratings), _movies_frame(
        raw_movies["movieId"], raw_movies["title"], genres
    )


READERS = {"ml-100k": read_ml100k, "ml-1m": read_ml1m}


def read_movielens(name: str, folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dispatch on the dataset name (``ml-100k`` or ``ml-1m``)."""
    if name not in READERS:
        raise ConfigError("dataset", name, sorted(READERS))
    return READERS[name](folder)
