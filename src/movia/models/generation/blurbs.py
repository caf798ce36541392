"""AI-written review blurbs for movies: what the web page shows as "AI-written review".

Each movie gets one blurb per sentiment, written for its genres. With ``candidates > 1`` the
generator writes several and the sentiment classifier keeps the one that expresses the
requested sentiment most clearly (best-of-k reranking). That selection is a product choice,
made after evaluation: the label-control figures of ``generation_metrics`` are measured on
unselected samples.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from movia.errors import ConfigError
from movia.evaluation.text_generation import ProbabilisticClassifier, label_control
from movia.models.generation.conditioning import (
    SENTIMENTS,
    check_sample_count,
    genre_list,
    known_genres,
)

logger = logging.getLogger(__name__)

BLURB_COLUMNS = [
    "movie_id",
    "title",
    "genres",
    "sentiment",
    "text",
    "classifier_score",
    "model",
    "temperature",
    "machine_generated",
]


def write_blurbs(
    generator: Any,
    classifier: ProbabilisticClassifier,
    *,
    movie_ids: Sequence[int],
    titles: Sequence[str],
    genres: Sequence[object],
    model_name: str,
    temperature: float,
    candidates: int,
    random_state: int,
) -> pd.DataFrame:
    """One machine-generated blurb per movie and sentiment.

    Args:
        generator: A fitted ``ReviewGenerator`` (``generate``, ``genres_``).
        classifier: Sentiment classifier with ``predict_proba`` and ``classes_``.
        movie_ids: Movies to write for.
        titles: Their display titles (carried into the output for the page).
        genres: Their genre lists.
        model_name: Recorded in the ``model`` column (``gan``/``mle``).
        temperature: Sampling temperature.
        candidates: Blurbs drawn per movie and sentiment; the best-scored is kept.
        random_state: Sampling seed.

    Returns:
        Columns ``movie_id``, ``title``, ``genres`` ("|"-joined), ``sentiment``, ``text``,
        ``classifier_score`` (classifier probability of the requested sentiment),
        ``model``, ``temperature`` and ``machine_generated`` (always True).

    Raises:
        ConfigError: No movies, mismatched inputs, or a bad candidate count.
    """
    n_movies = check_sample_count(len(movie_ids), "number of movies")
    check_sample_count(candidates, "outputs.candidates")
    if not len(titles) == len(genres) == n_movies:
        raise ConfigError("titles/genres", (len(titles), len(genres)), [n_movies])
    conditions = known_genres(genres, getattr(generator, "genres_", []))
    rows = [
        (movie, sentiment)
        for movie in range(n_movies)
        for sentiment in SENTIMENTS
        for _ in range(candidates)
    ]
    check_sample_count(len(rows), "number of movies x 2 x candidates")
    requested = [sentiment for _, sentiment in rows]
    texts = generator.generate(
        requested,
        [conditions[m] for m, _ in rows],
        temperature=temperature,
        random_state=random_state,
    )
    _, scores = label_control(classifier, texts, requested)
    scores = np.where([bool(t.strip()) for t in texts], scores, -1.0)  # never pick ""
    best = scores.reshape(-1, candidates).argmax(axis=1)
    picked = np.arange(len(best)) * candidates + best
    blurbs = pd.DataFrame(
        {
            "movie_id": [movie_ids[rows[i][0]] for i in picked],
            "title": [titles[rows[i][0]] for i in picked],
            "genres": ["|".join(genre_list(genres[rows[i][0]])) for i in picked],
            "sentiment": [requested[i] for i in picked],
            "text": [texts[i] for i in picked],
            "classifier_score": np.clip(scores[picked], 0.0, 1.0),
            "model": model_name,
            "temperature": float(temperature),
            "machine_generated": True,
        }
    )
    logger.info(
        "wrote %d AI blurbs for %d movies (best of %d); %.0f %% express the requested "
        "sentiment",
        len(blurbs),
        n_movies,
        candidates,
        100 * float((blurbs["classifier_score"] > 0.5).mean()),
    )
    return blurbs[BLURB_COLUMNS]
