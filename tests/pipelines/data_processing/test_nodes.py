"""data_processing nodes on hand-made frames: every expected value is worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from movia.analysis.data_quality import build_quality_report, gini, top_share
from movia.pipelines.data_processing.nodes import (
    build_movies,
    build_reviews,
    clean_ratings,
    clean_tags,
    plot_eda,
)


@pytest.fixture
def raw_movies() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "movieId": [1, 2, 3],
            "title": ["Toy Story (1995)", "Matrix, The (1999)", "Babylon 5"],
            "genres": ["Animation|Comedy", "Action|Sci-Fi", "(no genres listed)"],
        }
    )


@pytest.fixture
def raw_links() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "movieId": [1, 2, 3],
            "imdbId": [114709, 133093, 105946],
            "tmdbId": [862.0, 603.0, None],
        }
    )


@pytest.fixture
def raw_overviews() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tmdb_id": [862, 999],
            "overview": ["Toys come alive.", "Other"],
            "tagline": ["Hang on", None],
            "keywords": ["toy|friendship", None],
        }
    )


@pytest.fixture
def movies(raw_movies, raw_links, raw_overviews) -> pd.DataFrame:
    return build_movies(raw_movies, raw_links, raw_overviews)


def test_build_movies(movies: pd.DataFrame) -> None:
    toy, matrix, babylon = (movies.iloc[i] for i in range(3))
    assert (toy.title, toy.year, toy.imdb_id, toy.tmdb_id) == (
        "Toy Story",
        1995,
        "tt0114709",
        862,
    )
    assert toy.genres == ["Animation", "Comedy"] and toy.keywords == [
        "toy",
        "friendship",
    ]
    assert toy.overview == "Toys come alive."
    assert (matrix.title, matrix.title_raw) == ("The Matrix", "Matrix, The")
    assert pd.isna(matrix.overview) and matrix.keywords == []
    assert pd.isna(babylon.year) and babylon.genres == [] and pd.isna(babylon.tmdb_id)


def test_clean_ratings_keeps_latest_duplicate_and_drops_orphans(
    movies: pd.DataFrame,
) -> None:
    raw = pd.DataFrame(
        {
            "userId": [1, 1, 1, 2],
            "movieId": [1, 1, 2, 99],
            "rating": [2.0, 4.5, 3.0, 5.0],
            "timestamp": [100, 200, 150, 100],
        }
    )
    ratings = clean_ratings(raw, movies)
    assert ratings[["user_id", "movie_id", "rating"]].values.tolist() == [
        [1, 1, 4.5],
        [1, 2, 3.0],
    ]
    assert str(ratings["timestamp"].dt.tz) == "UTC"
    assert raw["rating"].tolist() == [2.0, 4.5, 3.0, 5.0], "input must not be modified"


def test_clean_tags_trims_and_deduplicates(movies: pd.DataFrame) -> None:
    raw = pd.DataFrame(
        {
            "userId": [1, 1, 1, 2],
            "movieId": [1, 1, 1, 99],
            "tag": [" pixar", "pixar", "  ", "x"],
            "timestamp": [1, 2, 3, 4],
        }
    )
    tags = clean_tags(raw, movies)
    assert tags[["user_id", "movie_id", "tag"]].values.tolist() == [[1, 1, "pixar"]]


def _acl(split: str, label: str, imdb: list[str], texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "split": split,
            "label": label,
            "rating": [8] * len(imdb),
            "review_id": range(len(imdb)),
            "imdb_id": imdb,
            "text": texts,
        }
    )


def test_build_reviews_joins_cleans_and_keeps_origin(movies: pd.DataFrame) -> None:
    labelled = _acl(
        "train", "pos", ["tt0114709", "tt9999999"], ["Fun!<br />Great", "Unknown film"]
    )
    unsup = _acl("train", "unsup", ["tt0133093"], ["<b>Whoa</b>"]).assign(rating=None)
    spanish = pd.DataFrame(
        {
            "id": ["imdb_es_0000"],
            "imdb_id": ["tt0114709"],
            "rating": [9],
            "label": ["pos"],
            "text": ["¡Genial!"],
            "aclimdb_review_id": ["0"],
            "aclimdb_split": ["test"],
        }
    )
    sfu = pd.DataFrame(
        {
            "domain": ["peliculas"],
            "label": ["neg"],
            "stars": [1],
            "source_file": ["no_1_1.txt"],
            "text": ["Aburrida."],
        }
    )
    reviews = build_reviews(
        labelled,
        unsup,
        spanish,
        sfu,
        movies,
        {"include_unlabelled": True, "max_per_source": None, "random_state": 1},
    )
    by_id = reviews.set_index("review_id")
    assert by_id.loc["aclimdb_train_pos_0", "text"] == "Fun!\nGreat"
    assert by_id.loc["aclimdb_train_pos_0", "movie_id"] == 1
    assert pd.isna(by_id.loc["aclimdb_train_pos_1", "movie_id"])
    assert by_id.loc["aclimdb_train_unsup_0", "split"] == "unsup"
    assert pd.isna(by_id.loc["aclimdb_train_unsup_0", "label"])
    assert by_id.loc["aclimdb_train_unsup_0", "movie_id"] == 2
    es = by_id.loc["imdb_es_0000"]
    assert (es.lang, es.origin_split, es.rating_scale) == ("es", "test", 10)
    sfu_row = by_id.loc["sfu_peliculas_no_1_1"]
    assert (sfu_row.domain, sfu_row.rating, sfu_row.rating_scale) == ("movies", 1, 5)
    assert reviews["review_id"].is_unique


def test_build_reviews_samples_evenly_and_reproducibly(movies: pd.DataFrame) -> None:
    pos = _acl("train", "pos", ["tt0114709"] * 10, [f"good {i}" for i in range(10)])
    neg = _acl("train", "neg", ["tt0114709"] * 10, [f"bad {i}" for i in range(10)])
    labelled = pd.concat([pos, neg.assign(review_id=range(10, 20))], ignore_index=True)
    empty_es = pd.DataFrame(
        columns=[
            "id",
            "imdb_id",
            "rating",
            "label",
            "text",
            "aclimdb_review_id",
            "aclimdb_split",
        ]
    )
    empty_sfu = pd.DataFrame(
        columns=["domain", "label", "stars", "source_file", "text"]
    )
    options = {"include_unlabelled": False, "max_per_source": 4, "random_state": 7}
    first = build_reviews(
        labelled, labelled.iloc[:0], empty_es, empty_sfu, movies, options
    )
    second = build_reviews(
        labelled, labelled.iloc[:0], empty_es, empty_sfu, movies, options
    )
    assert first["label"].value_counts().to_dict() == {"neg": 2, "pos": 2}
    assert first["review_id"].tolist() == second["review_id"].tolist()


def test_gini_and_top_share_by_hand() -> None:
    assert gini([1, 1, 1, 1]) == 0.0
    # one of four holds everything: G = (2*4-4-1)*1 / (4*1) = 3/4
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert top_share(pd.Series([5, 3, 1, 1]), 0.25) == pytest.approx(0.5)


def test_quality_report_counts_what_cleaning_removed(movies: pd.DataFrame) -> None:
    raw_ratings = pd.DataFrame(
        {
            "userId": [1, 1, 2, 3],
            "movieId": [1, 1, 2, 77],
            "rating": [4.0, 5.0, 3.5, 1.0],
            "timestamp": [1, 2, 3, 4],
        }
    )
    raw_tags = pd.DataFrame(
        {"userId": [1], "movieId": [77], "tag": ["x"], "timestamp": [1]}
    )
    ratings = clean_ratings(raw_ratings, movies)
    reviews = build_reviews(
        _acl("test", "neg", ["tt0114709"], ["meh"]),
        _acl("train", "unsup", [], []),
        pd.DataFrame(
            columns=[
                "id",
                "imdb_id",
                "rating",
                "label",
                "text",
                "aclimdb_review_id",
                "aclimdb_split",
            ]
        ),
        pd.DataFrame(columns=["domain", "label", "stars", "source_file", "text"]),
        movies,
        {"include_unlabelled": False, "max_per_source": None},
    )
    report = build_quality_report(
        raw={
            "ratings": raw_ratings,
            "tags": raw_tags,
            "links": pd.DataFrame(
                {"movieId": [1, 2, 3], "imdbId": [1, 2, 3], "tmdbId": [1.0, 1.0, None]}
            ),
        },
        movies=movies,
        ratings=ratings,
        tags=clean_tags(raw_tags, movies),
        reviews=reviews,
    )
    issues = report["raw_issues"]
    assert issues["duplicate_user_movie_ratings"] == 1
    assert issues["ratings_of_unknown_movies"] == 1
    assert issues["tags_of_unknown_movies"] == 1
    assert issues["duplicate_tmdb_ids_in_links"] == 1
    assert issues["movies_without_ratings"] == 1  # Babylon 5
    assert report["ratings"]["count"] == 2
    assert report["joins"]["reviews_to_movies"]["aclimdb/test"]["joined_reviews"] == 1
    assert any("duplicate" in line for line in report["findings"])


def test_plot_eda_returns_every_figure(movies: pd.DataFrame) -> None:
    ratings = clean_ratings(
        pd.DataFrame(
            {
                "userId": [1, 2, 2],
                "movieId": [1, 1, 2],
                "rating": [4.0, 3.0, 5.0],
                "timestamp": [1, 40_000_000, 80_000_000],
            }
        ),
        movies,
    )
    reviews = pd.DataFrame(
        {
            "movie_id": pd.array([1, None], dtype="Int64"),
            "lang": ["en", "es"],
            "label": ["pos", None],
            "source": ["aclimdb", "sfu"],
            "split": ["train", "train"],
            "text": ["good film", "mala"],
        }
    )
    figures = plot_eda(movies, ratings, reviews)
    assert set(figures) == {
        "rating_distribution.png",
        "long_tail.png",
        "genres.png",
        "ratings_over_time.png",
        "review_length.png",
        "label_balance.png",
        "text_coverage.png",
    }
    assert all(fig.axes for fig in figures.values())
