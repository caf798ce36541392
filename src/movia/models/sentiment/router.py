"""Route each review to the model of its language (English or Spanish).

Reviews from our corpora carry a ``lang`` field; user input does not. The given field wins; a
missing or unsupported one is replaced by :func:`movia.text.language.detect_language`; text too
short or too mixed to tell goes to ``fallback`` (logged at WARNING with a count) or, with no
fallback, raises a :class:`~movia.errors.DataError` naming the row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from movia.errors import ConfigError, DataError
from movia.models.sentiment.inputs import CLASSES, prepare_texts
from movia.text.language import detect_language

logger = logging.getLogger(__name__)


def route_languages(
    texts: Sequence[str],
    langs: Iterable[object] | None,
    supported: Iterable[str],
    fallback: str | None,
) -> np.ndarray:
    """The language code each text is scored in.

    Args:
        texts: Cleaned texts.
        langs: Given codes (None, NA or anything unsupported means "detect"); None = detect all.
        supported: Codes that have a model.
        fallback: Code for undetectable text; None raises instead.
    """
    supported = set(supported)
    if fallback is not None and fallback not in supported:
        raise ConfigError("fallback", fallback, sorted(supported))
    given = (
        pd.Series(list(langs), dtype="object")
        if langs is not None
        else pd.Series([None] * len(texts), dtype="object")
    )
    if len(given) != len(texts):
        raise DataError(f"{len(texts)} texts but {len(given)} languages", field="lang")
    routed = np.array(
        [code if code in supported else None for code in given.tolist()], dtype=object
    )
    to_detect = np.flatnonzero(pd.isna(routed))
    unknown = []
    for row in to_detect:
        detected = detect_language(texts[row])
        if detected in supported:
            routed[row] = detected
        else:
            unknown.append(row)
    if unknown:
        if fallback is None:
            raise DataError(
                f"language of {len(unknown)} text(s) is unknown and no fallback is set "
                f"(first: {texts[unknown[0]][:60]!r})",
                row=int(unknown[0]),
                field="lang",
            )
        logger.warning(
            "%d of %d texts are in no supported language %s; scoring them as %r",
            len(unknown),
            len(texts),
            sorted(supported),
            fallback,
        )
        routed[unknown] = fallback
    return routed


class LanguageRouter(ClassifierMixin, BaseEstimator):
    """One sentiment classifier over several languages, each with its own fitted model.

    Args:
        models: Language code → fitted estimator (``predict_proba`` in ``["neg", "pos"]`` order).
        fallback: Language whose model scores text of unknown language; None raises.
    """

    def __init__(
        self, models: Mapping[str, object], fallback: str | None = "en"
    ) -> None:
        self.models = models
        self.fallback = fallback

    def fit(
        self,
        texts: Iterable[object] | None = None,
        labels: Iterable[object] | None = None,
    ) -> LanguageRouter:
        """Adopt the already-fitted per-language models (each is trained on its own corpus)."""
        for model in self.models.values():
            check_is_fitted(model)
        if self.fallback is not None and self.fallback not in self.models:
            raise ConfigError("fallback", self.fallback, sorted(self.models))
        self.models_ = dict(self.models)
        self.classes_ = CLASSES.copy()
        return self

    def route(
        self, texts: Iterable[object], langs: Iterable[object] | None = None
    ) -> np.ndarray:
        """The language code whose model scores each text."""
        check_is_fitted(self, "models_")
        return route_languages(prepare_texts(texts), langs, self.models_, self.fallback)

    def predict_proba(
        self, texts: Iterable[object], langs: Iterable[object] | None = None
    ) -> np.ndarray:
        """``(n, 2)`` probabilities, each row from the model of its (given or detected) language."""
        check_is_fitted(self, "models_")
        docs = prepare_texts(texts)
        routed = route_languages(docs, langs, self.models_, self.fallback)
        proba = np.empty((len(docs), 2), dtype=np.float64)
        for code, model in self.models_.items():
            rows = np.flatnonzero(routed == code)
            if len(rows):
                proba[rows] = model.predict_proba([docs[i] for i in rows])
        return proba

    def predict(
        self, texts: Iterable[object], langs: Iterable[object] | None = None
    ) -> np.ndarray:
        """``"neg"``/``"pos"`` for each text."""
        return self.classes_[
            (self.predict_proba(texts, langs)[:, 1] >= 0.5).astype(int)
        ]
