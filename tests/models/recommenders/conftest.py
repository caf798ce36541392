"""Tiny catalogues where the right answer can be worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movia.evaluation.columns import ITEM_ID, RATING, TIMESTAMP, USER_ID


@pytest.fixture
def two_clusters() -> pd.DataFrame:
    """Users 1-4 watch sci-fi (items 1-3), users 5-8 watch romance (items 4-6).

    User 1 has not seen item 3 and user 5 has not seen item 6: any sensible CF model must
    recommend exactly those first. Item 7 is watched by everybody (popular, uninformative).
    """
    rows = []
    for user in (1, 2, 3, 4):
        seen = (1, 2) if user == 1 else (1, 2, 3)
        rows += [(user, item, 5.0) for item in seen]
    for user in (5, 6, 7, 8):
        seen = (4, 5) if user == 5 else (4, 5, 6)
        rows += [(user, item, 4.0) for item in seen]
    rows += [(user, 7, 3.0) for user in range(1, 9)]
    frame = pd.DataFrame(rows, columns=[USER_ID, ITEM_ID, RATING])
    frame[TIMESTAMP] = pd.to_datetime(np.arange(len(frame)), unit="D", utc=True)
    return frame


@pytest.fixture
def catalogue() -> pd.DataFrame:
    """Items 1-8 with titles, years, genres and 2-d embeddings (item 8 is never rated)."""
    return pd.DataFrame(
        {
            ITEM_ID: [1, 2, 3, 4, 5, 6, 7, 8],
            "title": [
                "Alien",
                "Aliens",
                "The Matrix",
                "Notting Hill",
                "Love Actually",
                "Titanic",
                "Forrest Gump",
                "Solaris",
            ],
            "title_raw": [
                "Alien",
                "Aliens",
                "Matrix, The",
                "Notting Hill",
                "Love Actually",
                "Titanic",
                "Forrest Gump",
                "Solaris",
            ],
            "year": pd.array(
                [1979, 1986, 1999, 1999, 2003, 1997, 1994, 1972], dtype="Int64"
            ),
            "genres": [
                ["Sci-Fi", "Horror"],
                ["Sci-Fi", "Action"],
                ["Sci-Fi", "Action"],
                ["Romance", "Comedy"],
                ["Romance", "Comedy"],
                ["Romance", "Drama"],
                ["Drama"],
                ["Sci-Fi", "Drama"],
            ],
            "embedding": [
                [1.0, 0.0],
                [0.9, 0.1],
                [0.8, 0.2],
                [0.0, 1.0],
                [0.1, 0.9],
                [0.2, 0.8],
                [0.5, 0.5],
                [0.95, 0.05],
            ],
            "sentiment": [0.8, 0.7, 0.9, 0.6, 0.5, 0.4, 0.7, None],
        }
    )
