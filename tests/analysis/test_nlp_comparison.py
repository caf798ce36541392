"""NLTK vs spaCy comparison: span alignment, agreement, and the rendered report."""

from __future__ import annotations

import pytest

from movia.analysis.nlp_comparison import (
    boundary_f1,
    compare_language,
    sample_texts,
    spacy_spans,
    token_spans,
)
from movia.analysis.nlp_report import plot_comparison, render_markdown, report_metrics
from movia.text.nltk_processing import NltkOptions
from movia.text.spacy_pipelines import load_spacy_pipeline
from tests.text.conftest import nltk_data  # noqa: F401 - fixture shared with the text tests


def test_token_spans_map_treebank_quotes_back() -> None:
    text = 'He said "no."'
    assert token_spans(text, ["He", "said", "``", "no", ".", "''"]) == [
        (0, 2),
        (3, 7),
        (8, 9),
        (9, 11),
        (11, 12),
        (12, 13),
    ]
    assert spacy_spans(["He", " ", "said"], [0, 2, 3]) == [(0, 2), (3, 7)]


def test_boundary_f1_by_hand() -> None:
    nltk = {(0, 5), (6, 9), (9, 10)}  # "can't" split as NLTK does it differently
    spacy = {(0, 5), (6, 10)}
    assert boundary_f1(nltk, spacy) == pytest.approx(2 * 1 / 5)
    assert boundary_f1(set(), set()) == 1.0


def test_sample_texts_is_seeded_and_skips_blanks() -> None:
    texts = ["a", " ", "b", "c", "d", None]
    assert sample_texts(texts, None, 1) == ["a", "b", "c", "d"]
    assert sample_texts(texts, 2, 1) == sample_texts(texts, 2, 1)
    assert len(sample_texts(texts, 2, 1)) == 2


@pytest.mark.usefixtures("nltk_data")
def test_compare_english_and_render_the_report() -> None:
    pipeline = load_spacy_pipeline("en", ("movia_no_such_model",))
    texts = ["I didn't like the movies.", "Great acting, e-mail me!"]
    part = compare_language(texts, "en", pipeline, NltkOptions(), examples=2)
    assert part["reviews"] == 2 and part["spacy_pipeline"] == "blank:en+lookup"
    # The first review is cut alike (7 tokens). In the second NLTK keeps "e-mail" whole and
    # spaCy splits it: 6 vs 8 tokens, 5 shared → F1 10/14.
    assert part["speed"]["nltk_tokens"] == 13 and part["speed"]["spacy_tokens"] == 15
    assert part["boundary_f1"] == pytest.approx((1.0 + 10 / 14) / 2)
    assert part["boundary_disagreements"][0]["nltk"][-3:] == ["e-mail", "me", "!"]
    report = {
        "generated_at": "2026-01-01T00:00:00+00:00",
        "load_average": [0.1, 0.1, 0.1],
        "degraded": True,
        "degraded_reasons": ["en: no trained spaCy pipeline"],
        "languages": {"en": part},
        "spanish_parser": {
            "pipeline": "x",
            "meta": {
                "pos_acc": 0.98,
                "dep_uas": 0.9,
                "dep_las": 0.87,
                "sources": ["AnCora"],
            },
            "treebanks": {
                "GSD test": {
                    "sentences": 1,
                    "words": 5,
                    "upos": 0.8,
                    "uas": 0.75,
                    "las": 0.5,
                    "las_base": 0.75,
                    "words_per_second": 100.0,
                }
            },
        },
        "opinions": {
            "pairs": 1,
            "movies": 1,
            "methods": {"pattern": 1},
            "top": ["plot → boring (1)"],
        },
        "word2vec": {
            "vocabulary": 10,
            "documents": 2,
            "epochs": 1,
            "loss": [3.0],
            "genre_overlap": {
                "movies": 1,
                "k": 5,
                "passed": False,
                "reason": "too few movies",
            },
            "probes": [],
        },
        "failures": {
            "nltk": [],
            "spacy": [{"item_id": "r9", "error": "boom"}],
            "spacy_truncated": 0,
        },
    }
    markdown = render_markdown(report)
    assert (
        "**Degraded run:**" in markdown
        and "| GSD test | 1 | 5 | 80.0 | 75.0 | 50.0 | 75.0 |" in markdown
    )
    assert "`r9`: boom" in markdown and "too few movies" in markdown
    assert len(plot_comparison(report).axes) == 3
    metrics = report_metrics(report)
    assert metrics["ud.GSD test.las_base"] == {"value": 0.75, "step": 0}
    assert metrics["en.boundary_f1"]["value"] == pytest.approx(part["boundary_f1"])
