"""What every sentiment model accepts: a list of raw texts in, and ``"neg"``/``"pos"`` labels.

Callers (the generation pipeline's label control, the web page, the scoring node) hand models raw
text: HTML from IMDB, empty strings, ``None`` from a missing field. Models clean it the same way
the ``reviews`` table was cleaned, so a prediction never depends on who called. Non-text becomes
the empty string, which every model scores (it gets the model's prior): a clear result, never a
crash in the middle of a 100k-review run. A bare ``str`` is refused, because iterating over it
would silently score each character.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from movia.errors import DataError
from movia.evaluation.classification import LABELS, encode_labels
from movia.text.cleaning import clean_review_text

logger = logging.getLogger(__name__)

CLASSES = np.array(LABELS, dtype=object)


def prepare_texts(texts: Iterable[object]) -> list[str]:
    """Markup-free texts; non-strings become ``""`` (logged once per call at WARNING).

    Raises:
        DataError: when ``texts`` is a single string instead of a list of them.
    """
    if isinstance(texts, str | bytes):
        raise DataError(
            "expected a list of texts, got a single string; wrap it: [text]",
            field="texts",
        )
    raw = list(texts)
    not_text = sum(not isinstance(t, str) for t in raw)
    if not_text:
        logger.warning(
            "%d of %d inputs are not text (None, NaN, numbers); they are scored as empty",
            not_text,
            len(raw),
        )
    return [clean_review_text(t) for t in raw]


def prepare_labels(labels: Iterable[object], n_texts: int) -> np.ndarray:
    """0/1 labels of the same length as the texts, with both classes present.

    Raises:
        DataError: on an unknown label (naming its row), a length mismatch, or a single class
            (a classifier cannot learn a boundary from one side of it).
    """
    y = encode_labels(list(labels))
    if len(y) != n_texts:
        raise DataError(f"{n_texts} texts but {len(y)} labels", field="label")
    if len(np.unique(y)) < 2:
        raise DataError(
            "training labels hold a single class; need both 'neg' and 'pos'",
            field="label",
        )
    return y


def two_column_proba(prob_pos: np.ndarray) -> np.ndarray:
    """``(n, 2)`` probabilities in :data:`CLASSES` order from P(pos)."""
    prob_pos = np.asarray(prob_pos, dtype=np.float64).reshape(-1)
    return np.column_stack([1.0 - prob_pos, prob_pos])
