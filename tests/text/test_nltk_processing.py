"""NLTK processing of English and Spanish reviews, including the bad inputs of the issue."""

from __future__ import annotations

import pytest
from nltk.tokenize import word_tokenize

from movia.errors import ConfigError, DataError
from movia.text.failures import ItemFailure, check_failure_rate, run_each
from movia.text.nltk_processing import (
    NltkOptions,
    NltkTextProcessor,
    ProcessedText,
    process_texts,
)

pytestmark = pytest.mark.usefixtures("nltk_data")


@pytest.fixture(scope="module")
def english() -> NltkTextProcessor:
    return NltkTextProcessor("en")


@pytest.fixture(scope="module")
def spanish() -> NltkTextProcessor:
    return NltkTextProcessor("es")


def test_english_review(english: NltkTextProcessor) -> None:
    result = english.process("I didn't like the movie's plot. It was boring!")
    assert result.tokens == [
        "i",
        "did",
        "not",  # n't → not: negations are words, and kept
        "like",
        "the",
        "movie",
        "s",  # 's → s, which is on NLTK's stop-word list
        "plot",
        "it",
        "was",
        "boring",
    ]
    assert result.content == ["not", "like", "movie", "plot", "boring"]
    assert result.stems == ["not", "like", "movi", "plot", "bore"]
    assert result.n_sentences == 2


def test_spanish_review_marks_accents_and_clitics(spanish: NltkTextProcessor) -> None:
    text = "¿Qué tal? ¡No me gustó nada! Quiero verla otra vez."
    raw, sentences = spanish.raw_tokens(text)
    assert raw[:5] == ["¿", "Qué", "tal", "?", "¡"]  # NLTK alone keeps "¿Qué" glued
    assert word_tokenize(text, language="spanish")[0] == "¿Qué"
    assert sentences == 3
    result = spanish.process(text)
    assert result.tokens == [
        "qué",
        "tal",
        "no",
        "me",
        "gustó",  # accents stay in tokens: "gustó" is not "gusto"
        "nada",
        "quiero",
        "ver",  # verla → ver + la
        "la",
        "otra",
        "vez",
    ]
    assert result.content == ["tal", "no", "gustó", "nada", "quiero", "ver", "vez"]
    assert result.stems == ["tal", "no", "gust", "nad", "quier", "ver", "vez"]


@pytest.mark.parametrize("text", ["", "   \n\t ", None, 3.5, "<br /><br />", "&nbsp;"])
def test_empty_and_non_text_give_empty_lists(english, text) -> None:  # noqa: ANN001
    assert english.process(text) == ProcessedText([], [], [], 0)


def test_html_emoji_and_mixed_language(english: NltkTextProcessor) -> None:
    result = english.process(
        "Great acting<br /><br />&amp; a 10/10 😀😀 ending. ¡Qué bueno!"
    )
    assert (
        result.tokens
        == [
            "great",
            "acting",
            "a",
            "10/10",
            "😀",  # a run of emoji becomes one token per emoji
            "😀",
            "ending",
            "¡qué",  # the English processor does not know Spanish marks: mixed text degrades,
            "bueno",  # but nothing is lost or fails
        ]
    )


def test_very_long_review_is_processed(english: NltkTextProcessor) -> None:
    text = "The plot was boring but the music was great. " * 5_000  # 45k words
    result = english.process(text)
    assert len(result.tokens) == 45_000 and result.n_sentences == 5_000


def test_one_call_per_review_gives_word_tokenize_tokens(
    english: NltkTextProcessor,
) -> None:
    """Same tokens as nltk.word_tokenize except the direction of straight quotes."""
    text = (
        'He said "wow." Then: it wasn\'t (really) good... Mr. Smith paid $3.50, '
        "didn't he? Yes! The end."
    )
    ours = english.raw_tokens(text)[0]
    theirs = word_tokenize(text)
    assert len(ours) == len(theirs)
    differ = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert all({a, b} <= {"``", "''"} for a, b in differ)


def test_toktok_and_porter_options() -> None:
    processor = NltkTextProcessor(
        "en", NltkOptions(word_tokenizer="toktok", stemmer={"en": "porter"})
    )
    assert processor.process("Generously funny.").stems == ["gener", "funni"]
    with pytest.raises(ConfigError, match="word_tokenizer"):
        NltkTextProcessor("en", NltkOptions(word_tokenizer="spacy"))
    with pytest.raises(ConfigError, match="nltk option"):
        NltkOptions.from_dict({"stemmer": {"en": "porter"}, "lowercase": True})


def test_process_texts_keeps_order_and_languages() -> None:
    results, failures = process_texts(
        ["a", "b", "c"],
        ["Bad movie.", "Película mala.", ""],
        ["en", "es", "en"],
        chunk_size=2,
    )
    assert [r.content for r in results] == [["bad", "movie"], ["película", "mala"], []]
    assert failures == []


@pytest.mark.slow
def test_process_texts_in_two_worker_processes() -> None:
    texts = [f"Review number {i} is fine." for i in range(40)]
    serial, _ = process_texts(range(40), texts, ["en"] * 40, chunk_size=7)
    parallel, failures = process_texts(
        range(40), texts, ["en"] * 40, n_process=2, chunk_size=7
    )
    assert parallel == serial and failures == []


def test_a_failing_item_is_reported_with_its_id_and_the_rest_go_on() -> None:
    def parse(text: str) -> int:
        return int(text)

    results, failures = run_each(["r1", "r2", "r3"], ["1", "x", "3"], parse, lambda: -1)
    assert results == [1, -1, 3]
    assert failures == [
        ItemFailure("r2", "ValueError: invalid literal for int() with base 10: 'x'")
    ]
    check_failure_rate(failures, 3, max_rate=0.5, what="test")  # 1/3 is under the limit
    with pytest.raises(DataError, match=r"1 of 3 items failed .* r2: ValueError"):
        check_failure_rate(failures, 3, max_rate=0.2, what="test")


def test_our_own_errors_are_never_swallowed() -> None:
    def broken(_: str) -> None:
        raise ConfigError("x", 1, [2])

    with pytest.raises(ConfigError):
        run_each(["r1"], ["a"], broken, lambda: None)
