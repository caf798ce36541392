"""Tell Spanish from English without a model download.

Reviews arrive with a ``lang`` field from their corpus; user input (cold-start free text, a review
typed into the web page) does not. Function words are the most reliable cheap signal for these two
languages: they are frequent, short, and rarely shared ("de", "que", "el" vs "the", "of", "and").
Accented letters and ``¿``/``¡`` add Spanish evidence. Anything with too little evidence is
``"unknown"``, and the caller decides the fallback, never this function.
"""

from __future__ import annotations

import re

SUPPORTED = ("en", "es")
UNKNOWN = "unknown"

# Closed-class words, frequent in reviews, chosen not to overlap between the two languages.
_FUNCTION_WORDS = {
    "en": frozenset(
        "the of and to is it that this was in for with as but on not you are his her they "
        "have be one all at by an who so from like there or just about out if what some "
        "would can which when more very really my their has had than been were its only "
        "movie film watch story acting plot good bad great worst best".split()
    ),
    "es": frozenset(
        "el la los las de del que y en un una es por con para se lo no su sus pero muy "
        "más como al le este esta esto fue ha son está era ser hay también porque sin sobre "
        "cuando todo ya yo me mi nos película peli historia actuación trama buena mala "
        "mejor peor bueno malo gran aburrida".split()
    ),
}
_SPANISH_MARKS = re.compile(r"[ñáéíóúü¿¡]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def language_scores(text: str) -> dict[str, float]:
    """Share of words that are function words of each language, plus accent evidence for Spanish."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return dict.fromkeys(SUPPORTED, 0.0)
    scores = {
        lang: sum(w in vocabulary for w in words) / len(words)
        for lang, vocabulary in _FUNCTION_WORDS.items()
    }
    scores["es"] += min(0.2, 0.05 * len(_SPANISH_MARKS.findall(text)))
    return scores


def detect_language(text: str, min_words: int = 2, margin: float = 0.05) -> str:
    """Return ``"en"``, ``"es"`` or ``"unknown"``.

    Args:
        text: Any text (markup should be stripped first).
        min_words: Fewer words than this is too little evidence.
        margin: The winning score must beat the other by this much; mixed-language text that
            is close to even stays ``"unknown"``.
    """
    if not isinstance(text, str) or len(_WORD.findall(text)) < min_words:
        return UNKNOWN
    scores = language_scores(text)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top <= 0 or top - second < margin:
        return UNKNOWN
    return best
