"""The serving bundle: JSON-ready answers, explanations, errors, save/load round trip."""

from __future__ import annotations

import json
import logging
import pickle
import time

import pandas as pd
import pytest

from movia.errors import ConfigError, DataError, UnknownIdError
from movia.evaluation.columns import ITEM_ID
from movia.models.recommenders import (
    ColdStartRecommender,
    ContentRecommender,
    EASERecommender,
    HybridRecommender,
    RecommenderBundle,
)


@pytest.fixture
def bundle(two_clusters, catalogue) -> RecommenderBundle:
    hybrid = HybridRecommender(
        {"ease": EASERecommender(l2=1.0), "content": ContentRecommender()},
        weights={"ease": 1.0, "content": 0.2},
    ).fit(two_clusters, catalogue)
    cold = ColdStartRecommender(cf=EASERecommender(l2=1.0), n_neighbors=3).fit(
        two_clusters, catalogue
    )
    tags = pd.DataFrame(
        {ITEM_ID: [1, 3, 3, 2], "tag": ["space", "Space", "cyberpunk", "space"]}
    )
    sentiment = pd.DataFrame(
        {
            ITEM_ID: [3],
            "n_reviews": [12],
            "smoothed_score": [0.81],
            "ci_low": [0.7],
            "ci_high": [0.9],
        }
    )
    opinions = pd.DataFrame(
        {ITEM_ID: [3, 3], "aspect": ["effects", "plot"], "opinion": ["stunning", "smart"],
         "negated": [False, False], "lang": ["en", "en"], "count": [4, 9]}
    )  # fmt: skip
    return RecommenderBundle.build(
        hybrid, cold, catalogue, two_clusters, tags, sentiment, opinions, max_k=5
    )


def test_known_user_gets_explained_recommendations(bundle) -> None:
    result = bundle.recommend_user(1, k=1)
    json.dumps(result)  # JSON-ready
    (top,) = result
    assert (top["movie_id"], top["title"], top["year"]) == (3, "The Matrix", 1999)
    why = top["explanation"]
    assert why["nearest_liked_movies"][0]["title"] in {"Aliens", "Alien"}
    assert "Sci-Fi" in why["shared_genres"]
    assert why["shared_tags"] == ["space"]
    assert why["sentiment"] == {
        "score": 0.81,
        "n_reviews": 12,
        "ci_low": 0.7,
        "ci_high": 0.9,
    }
    assert [p["aspect"] for p in why["opinion_pairs"]] == ["plot", "effects"]
    assert top["reason"].startswith("Because you liked Aliens")
    assert "reviews 81 % positive (12 reviews)" in top["reason"]
    assert bundle.n_items == 8 and "Romance" in bundle.genres


def test_seen_items_come_back_only_when_asked(bundle) -> None:
    unseen = {item["movie_id"] for item in bundle.recommend_user(1, k=5)}
    assert unseen.isdisjoint({1, 2, 7})
    everything = {
        item["movie_id"] for item in bundle.recommend_user(1, k=5, exclude_seen=False)
    }
    assert everything & {1, 2, 7}


def test_unknown_user_and_bad_k(bundle, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        result = bundle.recommend_user(12345, k=2)
    assert result[0]["movie_id"] == 7
    assert "unknown user" in caplog.text
    for k in (0, 6, 2.0, "3"):
        with pytest.raises(ConfigError, match="from 1 to 5"):
            bundle.recommend_user(1, k=k)


def test_preferences_with_fuzzy_titles_and_spanish_genres(bundle) -> None:
    result = bundle.recommend_from_preferences(
        liked_titles=["notting hil"], genres=["comedia"], k=2
    )
    # Love Actually: a romantic comedy, CF neighbour of Notting Hill; then the film all saw.
    assert [item["movie_id"] for item in result] == [5, 7]
    why = result[0]["explanation"]
    assert why["shared_genres"] == ["Romance", "Comedy"]
    assert why["nearest_liked_movies"][0]["title"] == "Notting Hill"
    assert "signals" in result[0]["explanation"]
    json.dumps(result)
    with pytest.raises(UnknownIdError) as error:
        bundle.recommend_from_preferences(liked_titles=["Zzyzx Road Trip"], k=2)
    assert error.value.kind == "title" and error.value.suggestions
    with pytest.raises(UnknownIdError, match="genre"):
        bundle.recommend_from_preferences(genres=["telenovela"], k=2)


def test_search_titles(bundle) -> None:
    hits = bundle.search_titles("matrix", limit=2)
    assert hits[0]["title"] == "The Matrix" and hits[0]["score"] >= 90
    assert bundle.resolve_titles(["alien"])[0]["movie_id"] == 1


def test_save_and_load_round_trip(bundle, tmp_path) -> None:
    folder = tmp_path / "recommendation"
    bundle.save(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["bundle.pkl", "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["n_items"] == 8 and manifest["max_k"] == 5
    assert "Sci-Fi" in manifest["genres"]
    loaded = RecommenderBundle.load(folder)
    assert loaded.recommend_user(1, k=3) == bundle.recommend_user(1, k=3)
    # Kedro's PickleDataset pickles the object itself, in versioned folders: latest wins.
    versioned = tmp_path / "artifact.pkl"
    for stamp, max_k in (
        ("2026-01-01T00.00.00.000Z", 5),
        ("2026-02-01T00.00.00.000Z", 4),
    ):
        (versioned / stamp).mkdir(parents=True)
        bundle.max_k = max_k
        (versioned / stamp / "artifact.pkl").write_bytes(pickle.dumps(bundle))
    assert RecommenderBundle.load(versioned).max_k == 4
    (tmp_path / "junk.pkl").write_bytes(pickle.dumps({"not": "a bundle"}))
    with pytest.raises(DataError, match="not a RecommenderBundle"):
        RecommenderBundle.load(tmp_path / "junk.pkl")
    with pytest.raises(DataError, match="no recommendation bundle"):
        RecommenderBundle.load(tmp_path / "missing")


def test_known_user_latency(bundle) -> None:
    bundle.recommend_user(1, k=5)
    started = time.perf_counter()
    for _ in range(50):
        bundle.recommend_user(1, k=5)
    assert (time.perf_counter() - started) / 50 < 0.005
