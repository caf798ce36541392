"""What a review is conditioned on: a requested sentiment and, optionally, the movie's genres.

Sentiments are a closed set (``neg``, ``pos``) plus an internal "unknown" slot used only for
unlabelled reviews during MLE pre-training. Genres are multi-hot over the vocabulary seen in
``fit``: a movie has several genres and most reviews have none (they do not join to MovieLens),
so an all-zero vector means "no genre information" rather than a made-up class.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from movia.errors import ConfigError, UnknownIdError

logger = logging.getLogger(__name__)

SENTIMENTS: tuple[str, str] = ("neg", "pos")
UNKNOWN_SENTIMENT = "unk"
SENTIMENT_SLOTS = (*SENTIMENTS, UNKNOWN_SENTIMENT)
MAX_SAMPLES = 100_000  # per call; beyond this a caller should ask in chunks


def check_sample_count(n: int, name: str = "n_samples") -> int:
    """Refuse zero, negative and unreasonably large sample counts with a clear message.

    Raises:
        ConfigError: ``n`` is not an integer in ``1..MAX_SAMPLES``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 < n <= MAX_SAMPLES:
        raise ConfigError(name, n, [f"an integer in 1..{MAX_SAMPLES}"])
    return n


def _sentiment_name(value: object) -> str:
    """The label as a string; None, NaN and pandas NA become the unknown slot's name."""
    if isinstance(value, str):
        return value
    try:
        missing = bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes: not a sentiment at all
        return repr(value)
    return UNKNOWN_SENTIMENT if missing else str(value)


def sentiment_ids(sentiments: Iterable[object], *, allow_unknown: bool) -> np.ndarray:
    """Map sentiment labels to embedding rows (``neg`` 0, ``pos`` 1, unknown 2).

    Args:
        sentiments: ``"neg"``/``"pos"`` per review; missing values (None/NA) are allowed only
            with ``allow_unknown`` (unlabelled pre-training data).
        allow_unknown: Whether a missing label maps to the unknown slot instead of failing.

    Raises:
        ConfigError: A value is not a known sentiment (the message lists the choices).
    """
    ids = []
    for value in sentiments:
        name = _sentiment_name(value)
        if name == UNKNOWN_SENTIMENT and allow_unknown:
            ids.append(SENTIMENT_SLOTS.index(UNKNOWN_SENTIMENT))
        elif name in SENTIMENTS:
            ids.append(SENTIMENTS.index(name))
        else:
            raise ConfigError("sentiment", value, SENTIMENTS)
    return np.asarray(ids, dtype=np.int64)


def genre_list(row: object) -> list[str]:
    """A row's genres as a list: parquet gives numpy arrays, reviews without a movie give NA."""
    if row is None or isinstance(row, (float, str)):
        return [row] if isinstance(row, str) and row else []
    return [str(genre) for genre in row]  # type: ignore[union-attr]


def genre_vocabulary(genres: Iterable[object]) -> list[str]:
    """Sorted distinct genres, so the column order of the multi-hot is reproducible."""
    return sorted({genre for row in genres for genre in genre_list(row)})


def multi_hot_genres(
    genres: Sequence[object] | None,
    vocabulary: Sequence[str],
    n_rows: int,
) -> np.ndarray:
    """A ``(n_rows, len(vocabulary))`` float32 matrix with 1 where a row has that genre.

    Args:
        genres: One list of genre names per row (None or empty for "unknown"), or None for
            no genre information at all.
        vocabulary: The genres the model was fitted with.
        n_rows: Expected number of rows (checked against ``genres``).

    Raises:
        UnknownIdError: A genre was never seen in ``fit``; close names are suggested.
        ConfigError: ``genres`` and the sentiments differ in length.
    """
    matrix = np.zeros((n_rows, len(vocabulary)), dtype=np.float32)
    if genres is None:
        return matrix
    if len(genres) != n_rows:
        raise ConfigError("len(genres)", len(genres), [n_rows])
    column = {genre: j for j, genre in enumerate(vocabulary)}
    unknown: list[str] = []
    for i, row in enumerate(genres):
        for genre in genre_list(row):
            if genre in column:
                matrix[i, column[genre]] = 1.0
            elif genre not in unknown:
                unknown.append(genre)
    if unknown:
        close = [
            m for g in unknown for m in difflib.get_close_matches(g, vocabulary, 2)
        ]
        raise UnknownIdError("genre", unknown, close or vocabulary)
    return matrix


def known_genres(
    genres: Sequence[object], vocabulary: Sequence[str]
) -> list[list[str]]:
    """Each movie's genres restricted to those the generator was fitted with.

    A genre absent from the training reviews (e.g. ``IMAX``) has no learnt weights; callers
    that write for arbitrary movies use the remaining genres, and the count is logged at
    WARNING (the generator itself raises :class:`UnknownIdError` instead).
    """
    allowed = set(vocabulary)
    kept, dropped = [], 0
    for row in genres:
        names = genre_list(row)
        kept.append([g for g in names if g in allowed])
        dropped += len(names) - len(kept[-1])
    if dropped:
        logger.warning(
            "%d genre mentions unknown to the generator were left out of its conditions",
            dropped,
        )
    return kept
