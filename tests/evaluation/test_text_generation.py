"""Texygen metrics: BLEU and self-BLEU worked out by hand and checked against NLTK, distinct-n,
NLL, label control, and where a point lies against a quality-diversity curve."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

from movia.errors import ColumnContractError, ConfigError
from movia.evaluation.text_generation import (
    ReferenceSet,
    bleu,
    curve_dominance,
    distinct_n,
    label_control,
    margin_over_curve,
    self_bleu,
    text_quality,
    token_nll,
    word_tokens,
)


def test_word_tokens() -> None:
    assert word_tokens("It's GREAT, isn't it?!") == [
        "it's",
        "great",
        ",",
        "isn't",
        "it",
        "?",
        "!",
    ]


def test_bleu_by_hand() -> None:
    hypothesis = "the cat sat on the mat"
    reference = "the cat is on the mat"
    # unigrams 5/6 (sat unmatched), bigrams 3/5 (the cat, on the, the mat), trigrams 1/4
    # (on the mat), 4-grams 0/3 and 5-grams 0/2 smoothed to 0.1/3 and 0.1/2; equal lengths: BP 1
    scores = bleu([hypothesis], [reference])
    assert scores[2] == pytest.approx(math.sqrt(5 / 6 * 3 / 5))
    assert scores[3] == pytest.approx((5 / 6 * 3 / 5 * 1 / 4) ** (1 / 3))  # = 0.5
    assert scores[3] == pytest.approx(0.5)
    assert scores[4] == pytest.approx((1 / 8 * 0.1 / 3) ** (1 / 4))
    assert scores[5] == pytest.approx((1 / 8 * 0.1 / 3 * 0.1 / 2) ** (1 / 5))


def test_bleu_brevity_penalty_and_no_match() -> None:
    # 3 words against a 6-word reference: all n-grams match, BP = exp(1 - 6/3)
    assert bleu(["the cat sat"], ["the cat sat on the mat"], [2])[2] == pytest.approx(
        math.exp(-1)
    )
    # ties in reference length go to the shorter one (NLTK): 3 is as close as 5 to 4
    assert bleu(["a b c d"], ["a b c", "a b c d e"], [2])[2] == pytest.approx(1.0)
    assert bleu(["x y"], ["a b"], [2])[2] == 0.0
    assert bleu([""], ["a b"], [2])[2] == 0.0


def test_self_bleu_leaves_each_text_out() -> None:
    # "a b" has its twin as reference (BLEU 1); "c d" shares nothing with the others (0)
    assert self_bleu(["a b", "a b", "c d"], [2])[2] == pytest.approx(2 / 3)
    # clipping must not count a text's own n-grams: only one other text has "a" twice
    texts = ["a a b", "a b c", "a a c"]
    expected = np.mean(
        [
            sentence_bleu(
                [word_tokens(o) for j, o in enumerate(texts) if j != i],
                word_tokens(t),
                (0.5, 0.5),
                smoothing_function=SmoothingFunction().method1,
            )
            for i, t in enumerate(texts)
        ]
    )
    assert self_bleu(texts, [2])[2] == pytest.approx(expected)


def test_bleu_and_self_bleu_match_nltk_on_random_texts() -> None:
    rng = random.Random(7)
    words = "a b c d e f . ,".split()

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, 9)))

    hypotheses = [text() for _ in range(25)]
    references = [text() for _ in range(15)]
    smoothing = SmoothingFunction().method1
    tokens = [word_tokens(h) for h in hypotheses]
    refs = [word_tokens(r) for r in references]
    ours, ours_self = bleu(hypotheses, references), self_bleu(hypotheses)
    for n in (2, 3, 4, 5):
        weights = (1 / n,) * n
        nltk_bleu = np.mean(
            [
                sentence_bleu(refs, h, weights, smoothing_function=smoothing)
                for h in tokens
            ]
        )
        nltk_self = np.mean(
            [
                sentence_bleu(
                    tokens[:i] + tokens[i + 1 :],
                    h,
                    weights,
                    smoothing_function=smoothing,
                )
                for i, h in enumerate(tokens)
            ]
        )
        assert ours[n] == pytest.approx(nltk_bleu, abs=1e-12)
        assert ours_self[n] == pytest.approx(nltk_self, abs=1e-12)


def test_reference_set_is_reusable_and_errors_are_clear() -> None:
    references = ReferenceSet([word_tokens("the cat is on the mat")])
    assert bleu(["the cat sat on the mat"], references, [3])[3] == pytest.approx(0.5)
    with pytest.raises(ConfigError, match="references"):
        ReferenceSet([])
    with pytest.raises(ConfigError, match="at least two texts"):
        self_bleu(["only one"])
    with pytest.raises(ConfigError, match="hypotheses"):
        bleu([], ["a"])
    with pytest.raises(ConfigError, match="orders"):
        bleu(["a"], ["a"], [0])


def test_distinct_n() -> None:
    texts = ["a b a", "a c"]
    assert distinct_n(texts, 1) == pytest.approx(3 / 5)  # a, b, c among a b a a c
    assert distinct_n(texts, 2) == pytest.approx(1.0)  # (a b), (b a), (a c)
    assert distinct_n(["a"], 2) == 0.0


def test_token_nll() -> None:
    assert token_nll([3.0, 1.0], [2, 2]) == pytest.approx(1.0)
    with pytest.raises(ConfigError):
        token_nll([1.0], [0])


class _FixedClassifier:
    """A real object with the sentiment contract, scoring by a word list (no training)."""

    classes_ = np.array(["neg", "pos"])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        pos = np.array([0.9 if "good" in t else 0.2 for t in texts])
        return np.column_stack([1 - pos, pos])


def test_label_control() -> None:
    accuracy, scores = label_control(
        _FixedClassifier(), ["good", "bad", "good"], ["pos", "neg", "neg"]
    )
    assert accuracy == pytest.approx(2 / 3)
    assert scores.tolist() == pytest.approx([0.9, 0.8, 0.1])
    with pytest.raises(ColumnContractError, match="requested labels \\['neutral'\\]"):
        label_control(_FixedClassifier(), ["x"], ["neutral"])


def test_margin_over_curve() -> None:
    curve = [(0.2, 0.1), (0.6, 0.3)]  # (self-BLEU, BLEU) of two MLE temperatures
    assert margin_over_curve((0.4, 0.25), curve) == pytest.approx(0.05)  # curve: 0.2
    assert margin_over_curve((0.4, 0.15), curve) == pytest.approx(-0.05)
    assert margin_over_curve((0.1, 0.12), curve) == pytest.approx(0.02)  # more diverse
    assert margin_over_curve((0.7, 0.9), curve) is None  # less diverse: not comparable


def test_curve_dominance_picks_the_best_gan_point() -> None:
    points = [
        {"model": "mle", "temperature": 1.0, "self_bleu_4": 0.2, "bleu_4": 0.1},
        {"model": "mle", "temperature": 0.7, "self_bleu_4": 0.6, "bleu_4": 0.3},
        {"model": "gan", "temperature": 1.0, "self_bleu_4": 0.4, "bleu_4": 0.19},
        {"model": "gan", "temperature": 0.7, "self_bleu_4": 0.9, "bleu_4": 0.5},
    ]
    verdict = curve_dominance(points, [4])["bleu_4"]
    assert verdict == {
        "dominates": False,
        "margin": pytest.approx(-0.01),
        "margin_se": 0.0,
        "temperature": 1.0,
    }
    # 0.03 above the curve: dominance only if that exceeds twice the point's standard error
    points[2]["bleu_4"] = 0.23
    points[2]["bleu_4_se"] = 0.01
    assert curve_dominance(points, [4])["bleu_4"]["dominates"] is True
    points[2]["bleu_4_se"] = 0.02
    assert curve_dominance(points, [4])["bleu_4"]["dominates"] is False


def test_text_quality_reports_standard_errors() -> None:
    references = ReferenceSet([word_tokens("the cat is on the mat")])
    quality = text_quality(["the cat sat on the mat", "a dog"], references, [3])
    # sentence BLEU-3: 0.5 and 0 (no unigram match); sample std 0.3536, n = 2
    assert quality["bleu_3"] == pytest.approx(0.25)
    assert quality["bleu_3_se"] == pytest.approx(math.sqrt(0.125) / math.sqrt(2))
    assert quality["mean_words"] == 4.0
