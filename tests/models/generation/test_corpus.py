"""Cutting reviews into training windows: sentence split, log-odds lexicon, window choice."""

from __future__ import annotations

import math

import pytest

from movia.errors import ConfigError, DataError
from movia.models.generation.corpus import (
    SentimentLexicon,
    cut_review,
    cut_reviews,
    split_sentences,
)

REVIEW = (
    "I saw it on Monday. The acting was good and the plot was good. "
    "Bad<br />ending though."
)


@pytest.fixture
def lexicon() -> SentimentLexicon:
    # document frequencies: pos good 2, plot 1, acting 1; neg bad 2, ending 1 (5 words)
    return SentimentLexicon(min_count=1, smoothing=1.0).fit(
        ["good plot", "good acting", "bad ending", "bad"], ["pos", "pos", "neg", "neg"]
    )


def test_split_sentences() -> None:
    assert split_sentences("One. Two! Three? four...five") == [
        "One.",
        "Two!",
        "Three?",
        "four...five",
    ]
    assert split_sentences("") == []


def test_lexicon_log_odds_by_hand(lexicon: SentimentLexicon) -> None:
    # smoothed totals: pos 4 + 5 = 9, neg 3 + 5 = 8
    assert lexicon.log_odds_["good"] == pytest.approx(math.log(3 / 9) - math.log(1 / 8))
    assert lexicon.log_odds_["plot"] == pytest.approx(math.log(2 / 9) - math.log(1 / 8))
    assert lexicon.log_odds_["bad"] == pytest.approx(math.log(1 / 9) - math.log(3 / 8))
    assert lexicon.score(["good", "bad", "unseen"]) == pytest.approx(
        math.log(8 / 3) + math.log(8 / 27)
    )


def test_lexicon_drops_rare_words_and_rejects_unknown_labels() -> None:
    fitted = SentimentLexicon(min_count=2).fit(
        ["good film", "bad film"], ["pos", "neg"]
    )
    assert set(fitted.log_odds_) == {"film"}
    assert fitted.log_odds_["film"] == pytest.approx(0.0)
    with pytest.raises(ConfigError, match="label='meh'"):
        SentimentLexicon().fit(["x"], ["meh"])


def test_first_strategy_takes_leading_sentences_within_limits() -> None:
    cut = cut_review(REVIEW, "pos", strategy="first", min_words=3, max_words=10)
    assert cut == "i saw it on monday."
    # 5 words are too few, 5 + 9 too many: no window
    assert (
        cut_review(REVIEW, "pos", strategy="first", min_words=6, max_words=10) is None
    )
    assert (
        cut_review(REVIEW, "pos", strategy="first", min_words=6, max_words=14)
        == "i saw it on monday. the acting was good and the plot was good."
    )


def test_opinionated_strategy_picks_the_window_leaning_to_the_label(
    lexicon: SentimentLexicon,
) -> None:
    options = {"strategy": "opinionated", "min_words": 3, "max_words": 20}
    # mean log-odds: sentence 2 = (2 x 0.981 + 2 x 0.575) / 9 = +0.35, sentence 3 = -0.68
    positive = cut_review(REVIEW, "pos", lexicon=lexicon, **options)
    assert positive == "the acting was good and the plot was good."
    assert cut_review(REVIEW, "neg", lexicon=lexicon, **options) == "bad ending though."
    # unlabelled: the window leaning hardest either way
    assert cut_review(REVIEW, None, lexicon=lexicon, **options) == "bad ending though."
    # with 4 words at least, the neutral opening beats every mixed window for "neg"
    options["min_words"] = 4
    assert (
        cut_review(REVIEW, "neg", lexicon=lexicon, **options) == "i saw it on monday."
    )


def test_cut_reviews_errors(lexicon: SentimentLexicon) -> None:
    with pytest.raises(ConfigError, match="cut.strategy='last'"):
        cut_reviews([REVIEW], ["pos"], strategy="last", min_words=1, max_words=5)
    with pytest.raises(ConfigError, match="cut.lexicon"):
        cut_reviews([REVIEW], ["pos"], strategy="opinionated", min_words=1, max_words=5)
    with pytest.raises(ConfigError, match="min_words/max_words"):
        cut_reviews([REVIEW], ["pos"], strategy="first", min_words=0, max_words=5)
    with pytest.raises(DataError, match="1 texts but 2 labels"):
        cut_reviews(
            [REVIEW], ["pos", "neg"], strategy="first", min_words=1, max_words=5
        )
