"""The Word2Vec checks can fail: hand-computed genre overlaps and probes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movia.analysis.word2vec_checks import genre_neighbour_overlap, similarity_probes

MOVIES = pd.DataFrame(
    {
        "movie_id": [1, 2, 3, 4],
        "genres": [["Horror"], ["Horror"], ["Comedy"], ["Comedy", "Romance"]],
    }
)


def _vectors(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"movie_id": [1, 2, 3, 4], "vector": [np.array(r, np.float32) for r in rows]}
    )


def test_vectors_that_follow_genres_pass() -> None:
    result = genre_neighbour_overlap(
        _vectors([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]), MOVIES, k=1
    )
    # Neighbours: 1↔2 (Jaccard 1), 3↔4 (Jaccard 1/2) → mean (1 + 1 + 1/2 + 1/2) / 4 = 0.75.
    # Random: pairs (1,2)=1, (3,4)=1/2, the four cross pairs 0 → 2 * 1.5 / 12 = 0.25.
    assert result["neighbours_jaccard"] == pytest.approx(0.75)
    assert result["random_jaccard"] == pytest.approx(0.25)
    assert result["lift"] == pytest.approx(3.0) and result["passed"]
    assert result["neighbours_share_any"] == pytest.approx(1.0)


def test_vectors_that_cross_genres_fail() -> None:
    result = genre_neighbour_overlap(
        _vectors([[1, 0], [0, 1], [0.9, 0.1], [0.1, 0.9]]), MOVIES, k=1
    )
    # Neighbours: 1↔3 and 2↔4, all across genres → 0.
    assert result["neighbours_jaccard"] == 0.0 and not result["passed"]


def test_too_few_movies_is_a_failure_with_a_reason() -> None:
    result = genre_neighbour_overlap(_vectors([[1, 0]] * 4), MOVIES, k=5)
    assert result == {"movies": 4, "k": 5, "passed": False, "reason": "too few movies"}


def _keyed_vectors():  # noqa: ANN202 - gensim KeyedVectors
    from gensim.models import KeyedVectors

    vectors = KeyedVectors(vector_size=2)
    vectors.add_vectors(
        ["actor", "actress", "plot"],
        np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]], dtype=np.float32),
    )
    return vectors


def test_probes_pass_fail_and_report_missing_words() -> None:
    probes = [
        {"lang": "en", "word": "actor", "similar": "actress", "dissimilar": "plot"},
        {"lang": "en", "word": "actor", "similar": "plot", "dissimilar": "actress"},
        {"lang": "es", "word": "actor", "similar": "actriz", "dissimilar": "guion"},
    ]
    passed, failed, missing = similarity_probes(_keyed_vectors(), probes)
    assert passed["passed"] is True and passed["dissimilar_cosine"] == pytest.approx(
        0.0
    )
    assert failed["passed"] is False
    assert missing["passed"] is None and missing["missing"] == ["actriz", "guion"]
