"""Synthetic stand-ins for the recommendation pipeline's inputs (primary tables and the
NLP/sentiment outputs), small enough for an in-memory run in seconds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

GENRES = [["Sci-Fi", "Action"], ["Romance", "Comedy"], ["Horror"], ["Drama"]]
WORDS = {
    "Sci-Fi": "space aliens spaceship robots future",
    "Romance": "love romantic wedding couple",
    "Horror": "ghosts haunted scary blood",
    "Drama": "family life loss tears",
}


@pytest.fixture(scope="module")
def movies() -> pd.DataFrame:
    rows = []
    for movie_id in range(1, 41):
        genres = GENRES[movie_id % 4]
        rows.append(
            {
                "movie_id": movie_id,
                "title": f"Film {movie_id}",
                "title_raw": f"Film {movie_id}",
                "year": 1990 + movie_id % 10,
                "genres": genres,
                "imdb_id": f"tt{movie_id:07d}",
                "tmdb_id": movie_id,
                "overview": f"A story about {WORDS[genres[0]]}."
                if movie_id % 3
                else None,
                "tagline": None,
                "keywords": [],
            }
        )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def ratings() -> pd.DataFrame:
    """60 users, each loyal to one genre group: 8 of its 10 films (5 stars) among 25 ratings."""
    rng = np.random.default_rng(0)
    rows = []
    for user in range(1, 61):
        group = user % 4
        liked = [m for m in range(1, 41) if m % 4 == group]
        other = [m for m in range(1, 41) if m % 4 != group]
        chosen = list(rng.choice(liked, 8, replace=False)) + list(
            rng.choice(other, 17, replace=False)
        )
        chosen = list(rng.permutation(chosen))  # liked films at any time
        for t, movie in enumerate(chosen):
            rating = 5.0 if movie % 4 == group else float(rng.integers(1, 4))
            rows.append((user, int(movie), rating, t))
    frame = pd.DataFrame(rows, columns=["user_id", "movie_id", "rating", "timestamp"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], unit="D", utc=True)
    return frame


@pytest.fixture(scope="module")
def tags() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user_id": [1, 2, 3],
            "movie_id": [4, 8, 5],
            "tag": ["space", "space", "love"],
            "timestamp": pd.to_datetime([1, 2, 3], unit="D", utc=True),
        }
    )


@pytest.fixture(scope="module")
def reviews() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "review_id": ["r1", "r2", "r3"],
            "movie_id": pd.array([4, 5, None], dtype="Int64"),
            "lang": ["en", "en", "es"],
            "text": ["Great space opera.", "A sweet love story.", "Una película."],
        }
    )


@pytest.fixture(scope="module")
def movie_sentiment() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "movie_id": [4, 5, 6],
            "n_reviews": [10, 3, 7],
            "mean_prob_pos": [0.8, 0.4, 0.6],
            "smoothed_score": [0.78, 0.45, 0.6],
            "ci_low": [0.6, 0.2, 0.4],
            "ci_high": [0.9, 0.7, 0.8],
        }
    )


@pytest.fixture(scope="module")
def movie_vectors_word2vec(movies) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(4, 8))
    return pd.DataFrame(
        {
            "movie_id": movies["movie_id"],
            "vector": [
                list((centres[m % 4] + rng.normal(0, 0.1, 8)).astype(np.float32))
                for m in movies["movie_id"]
            ],
        }
    )


@pytest.fixture(scope="module")
def opinion_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "movie_id": [4, 4],
            "lang": ["en", "en"],
            "aspect": ["effects", "plot"],
            "opinion": ["great", "thin"],
            "negated": [False, False],
            "count": [5, 2],
        }
    )


class FakeWordVectors:
    """The slice of gensim's KeyedVectors the pipeline reads."""

    def __init__(self) -> None:
        rng = np.random.default_rng(2)
        self.index_to_key = ["space", "fantasmas", "ghosts", "love"]
        self._vectors = {
            w: rng.normal(size=8).astype(np.float32) for w in self.index_to_key
        }

    def __getitem__(self, word: str) -> np.ndarray:
        return self._vectors[word]


class FakeWord2Vec:
    def __init__(self) -> None:
        self.wv = FakeWordVectors()


@pytest.fixture(scope="module")
def word2vec_model() -> FakeWord2Vec:
    return FakeWord2Vec()
