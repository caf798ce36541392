"""The ML-100k reader used by the recommendation benchmark (real data from the mirror)."""

from __future__ import annotations

import pytest

from movia.datasets.movielens import read_ml100k, read_movielens
from movia.errors import ConfigError
from movia.evaluation.columns import ITEM_ID
from movia.evaluation.splitters import stratified_split


@pytest.mark.real_data
def test_ml100k_reads_into_primary_columns(mirror) -> None:
    ratings, movies = read_ml100k(mirror / "movielens" / "ml-100k")
    assert ratings.shape == (100_000, 4)
    assert ratings.columns.tolist() == ["user_id", "movie_id", "rating", "timestamp"]
    assert ratings["user_id"].nunique() == 943 and movies.shape[0] == 1682
    assert str(ratings["timestamp"].dt.tz) == "UTC"
    # u.data row order is kept: Microsoft's split depends on it.
    assert ratings.iloc[0][["user_id", "movie_id", "rating"]].tolist() == [
        196,
        242,
        3.0,
    ]
    toy = movies.set_index("movie_id").loc[1]
    assert (toy["title"], toy["year"], toy["genres"]) == (
        "Toy Story",
        1995,
        ["Animation", "Children", "Comedy"],
    )
    # u.item is Latin-1: accented titles decode.
    assert movies["title"].str.contains("é").any()


@pytest.mark.real_data
def test_microsoft_split_sizes_on_ml100k(mirror) -> None:
    ratings, _ = read_ml100k(mirror / "movielens" / "ml-100k")
    train, test = stratified_split(
        ratings.rename(columns={"movie_id": ITEM_ID}), 0.75, "item", seed=42
    )
    assert (len(train), len(test)) == (74_331, 25_669)


def test_unknown_dataset_name() -> None:
    with pytest.raises(ConfigError, match="ml-100k"):
        read_movielens("ml-25m", "/nowhere")
