"""TEMPORARY development stand-in for movia.models.recommenders.bundle (not yet landed).

Injected into sys.modules by tests/serving/conftest.py only while the real module is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

from movia.errors import UnknownIdError

MOVIES = [
    {
        "movie_id": 1,
        "title": "Toy Story",
        "year": 1995,
        "genres": ["Animation", "Children", "Comedy"],
    },
    {
        "movie_id": 2,
        "title": "Jumanji",
        "year": 1995,
        "genres": ["Adventure", "Children", "Fantasy"],
    },
    {
        "movie_id": 6,
        "title": "Heat",
        "year": 1995,
        "genres": ["Action", "Crime", "Thriller"],
    },
    {
        "movie_id": 32,
        "title": "Twelve Monkeys",
        "year": 1995,
        "genres": ["Mystery", "Sci-Fi", "Thriller"],
    },
    {
        "movie_id": 50,
        "title": "The Usual Suspects",
        "year": 1995,
        "genres": ["Crime", "Mystery", "Thriller"],
    },
    {
        "movie_id": 356,
        "title": "Forrest Gump",
        "year": 1994,
        "genres": ["Comedy", "Drama", "Romance", "War"],
    },
]


class RecommenderBundle:
    n_items = len(MOVIES)
    genres = sorted({g for m in MOVIES for g in m["genres"]})

    def __init__(self, users=(1, 2)):
        self.users = list(users)

    def save(self, path):
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / "bundle.json").write_text(json.dumps({"users": self.users}))

    @classmethod
    def load(cls, path):
        return cls(json.loads((Path(path) / "bundle.json").read_text())["users"])

    def _rows(self, movies, k, why):
        return [
            {**m, "score": 1.0 - i / 10, "explanation": why}
            for i, m in enumerate(movies[:k])
        ]

    def recommend_user(self, user_id, k=10, exclude_seen=True):
        if user_id not in self.users:
            raise UnknownIdError("user", [user_id])
        return self._rows(MOVIES, k, "popular with similar users")

    def recommend_from_preferences(
        self, liked_titles=(), disliked_titles=(), genres=(), text="", lang=None, k=10
    ):
        titles = {m["title"] for m in MOVIES}
        unknown = [t for t in [*liked_titles, *disliked_titles] if t not in titles]
        if unknown:
            raise UnknownIdError("title", unknown, ["Toy Story"])
        pool = [m for m in MOVIES if not genres or set(genres) & set(m["genres"])]
        pool = [m for m in pool if m["title"] not in liked_titles]
        return self._rows(
            pool, k, f"because you like {', '.join(liked_titles) or 'these genres'}"
        )

    def search_titles(self, query, limit=10):
        q = query.lower()
        return [m for m in MOVIES if q in m["title"].lower()][:limit]
