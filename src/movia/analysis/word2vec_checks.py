"""Intrinsic checks of the Word2Vec model that can fail: genre neighbours and probes.

1. Genre overlap of nearest neighbours. If movie vectors (the mean of their reviews, tags and
   overview) capture content, a movie's nearest neighbours should share its genres more often
   than random movies do. We compare the mean Jaccard overlap of genre sets between each movie
   and its ``k`` nearest neighbours (cosine) with the exact expectation for ``k`` movies drawn
   at random (the mean overlap with every other movie, so the baseline has no sampling noise).
   The check passes when the ratio ("lift") reaches ``min_lift``.
2. Similarity probes: ``word`` must be closer to ``similar`` than to ``dissimilar`` ("actor" is
   closer to "actress" than to "script"). Probes whose words are out of vocabulary are reported
   as such, never as passed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def _genre_matrix(genres: Sequence[Sequence[str]]) -> np.ndarray:
    vocabulary = sorted({g for gs in genres for g in gs})
    position = {g: i for i, g in enumerate(vocabulary)}
    matrix = np.zeros((len(genres), len(vocabulary)), dtype=np.float32)
    for row, gs in enumerate(genres):
        for g in gs:
            matrix[row, position[g]] = 1.0
    return matrix


def _jaccard(matrix: np.ndarray) -> np.ndarray:
    intersection = matrix @ matrix.T
    sizes = matrix.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - intersection
    return np.divide(intersection, union, out=np.zeros_like(union), where=union > 0)


def genre_neighbour_overlap(
    movie_vectors: pd.DataFrame,
    movies: pd.DataFrame,
    k: int = 10,
    min_lift: float = 1.2,
) -> dict:
    """Mean genre Jaccard of each movie's ``k`` nearest neighbours vs random movies.

    Args:
        movie_vectors: ``movie_id``, ``vector``.
        movies: ``movie_id``, ``genres`` (movies without genres are left out).
        k: Neighbours per movie.
        min_lift: Ratio to the random baseline needed to pass.

    Returns:
        ``movies`` scored, ``k``, ``neighbours_jaccard``, ``random_jaccard``,
        ``neighbours_share_any`` / ``random_share_any`` (fraction sharing at least one genre),
        ``lift`` and ``passed``.
    """
    genres = movies.set_index("movie_id")["genres"].map(list)
    frame = movie_vectors[movie_vectors["movie_id"].isin(genres.index)]
    frame = frame[frame["movie_id"].map(lambda m: len(genres[m]) > 0)]
    n = len(frame)
    if n <= k:
        return {"movies": n, "k": k, "passed": False, "reason": "too few movies"}
    vectors = np.vstack(frame["vector"].map(np.asarray).to_list()).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    neighbours = np.argpartition(-similarity, k, axis=1)[:, :k]
    overlap = _jaccard(_genre_matrix(frame["movie_id"].map(genres).to_list()))
    shares = overlap > 0
    rows = np.arange(n)[:, None]
    off_diagonal = ~np.eye(n, dtype=bool)
    neighbours_jaccard = float(overlap[rows, neighbours].mean())
    random_jaccard = float(overlap[off_diagonal].mean())
    lift = neighbours_jaccard / random_jaccard if random_jaccard > 0 else float("inf")
    return {
        "movies": n,
        "k": k,
        "neighbours_jaccard": neighbours_jaccard,
        "random_jaccard": random_jaccard,
        "neighbours_share_any": float(shares[rows, neighbours].mean()),
        "random_share_any": float(shares[off_diagonal].mean()),
        "lift": lift,
        "min_lift": min_lift,
        "passed": bool(lift >= min_lift),
    }


def similarity_probes(keyed_vectors: object, probes: Sequence[dict]) -> list[dict]:
    """Check each probe ``{lang, word, similar, dissimilar}``: sim(word, similar) must be
    higher than sim(word, dissimilar). Out-of-vocabulary probes get ``passed: None``."""
    results = []
    for probe in probes:
        words = (probe["word"], probe["similar"], probe["dissimilar"])
        missing = [w for w in words if w not in keyed_vectors]  # type: ignore[operator]
        result = dict(probe)
        if missing:
            result.update(passed=None, missing=missing)
        else:
            near = float(keyed_vectors.similarity(words[0], words[1]))  # type: ignore[attr-defined]
            far = float(keyed_vectors.similarity(words[0], words[2]))  # type: ignore[attr-defined]
            result.update(similar_cosine=near, dissimilar_cosine=far, passed=near > far)
        results.append(result)
    return results
