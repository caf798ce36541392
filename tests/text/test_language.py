from __future__ import annotations

import pytest

from movia.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("This movie was one of the best films I have seen this year.", "en"),
        ("La película es muy buena, pero el final no me gustó.", "es"),
        ("¿Qué tal? ¡Una joya!", "es"),
        ("Quiero ver una comedia romántica con final feliz", "es"),
        ("something scary with ghosts", "en"),
        ("", "unknown"),
        ("Matrix", "unknown"),
        ("1234 5678", "unknown"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.real_data
def test_accuracy_on_real_reviews(mirror) -> None:
    """English reviews are English; the "Spanish" ones called English really are English.

    The machine-translated sample holds untranslated English reviews (90 of 2,000): whatever
    is not detected as Spanish must be made of English, not Spanish, function words.
    """
    import pandas as pd

    from movia.text.language import language_scores

    en = pd.read_csv(
        mirror / "imdb_aclImdb" / "imdb_reviews_labeled.csv.gz", nrows=400
    )["text"]
    assert sum(detect_language(t) == "en" for t in en) / len(en) >= 0.99
    es = pd.read_csv(mirror / "spanish_reviews_imdb_es" / "imdb_es_reviews.csv.gz")[
        "text"
    ]
    detected = es.map(detect_language)
    assert (detected == "es").mean() >= 0.95
    for text in es[detected != "es"]:
        scores = language_scores(text)
        assert scores["en"] > 2 * scores["es"]
