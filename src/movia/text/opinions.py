"""(aspect, opinion) pairs from parsed reviews: "plot → boring", "actuación → excelente".

Pairs feed recommendation explanations, so precision matters more than recall: we take only
a noun and an adjective joined by one of three dependency patterns, and lemmas (``aburrida`` →
``aburrido``) so counts add up across inflections.

1. Attributive: an ADJ attached to a NOUN as ``amod`` ("a boring plot", "una actuación
   excelente").
2. Predicative: an ADJ with a NOUN subject, either as the head of a copula (UD, as in
   es_core_news_sm: "la trama es aburrida") or as the complement of a verb whose subject is the
   NOUN (``acomp``/``xcomp``/``attr``: English ClearNLP labels, "the plot was boring"; "la
   película resulta lenta").
3. Coordination: an ADJ in ``conj`` with an ADJ that has an aspect shares it ("lenta y
   aburrida").

A pair is ``negated`` when a negation word ("not", "n't", "never", "no", "nunca" …) modifies
the adjective or, for predicative pairs, the verb or copula that links it ("the plot was not
boring", "la trama no es buena").

Pipelines without a parser (spaCy's blank English, the only English pipeline installable
offline) get :func:`pattern_opinions`: the same pairs found by word order over a POS lexicon
(spacy-lookups-data's lemma index: ADJ + NOUN, NOUN + be-verb + [negation] + [intensifier] + ADJ).
It is less precise, and the output says which method produced each pair.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

NEGATION_WORDS = {
    "en": frozenset({"not", "n't", "never", "no"}),
    "es": frozenset({"no", "nunca", "jamás", "tampoco", "nada", "ni"}),
}
# Adjectives that quantify, order or classify instead of judging ("the other film", "el mismo
# actor", "special effects", "personaje principal", nationalities): frequent in reviews, useless
# in an explanation.
NON_OPINION_ADJECTIVES = {
    "en": frozenset(
        "other same own many much few first last next such several whole certain former "
        "latter main only various more most less least entire previous final new old "
        "able sure due special main real different sexual human social political "
        "american british english french german italian japanese spanish young big "
        "high low full black white early late recent supporting romantic".split()
    ),
    "es": frozenset(
        "otro mismo primero primer último cierto vario tal propio siguiente demás cualquiera "
        "mucho poco todo único solo nuevo viejo anterior final tanto especial principal "
        "mayor menor social político sexual humano americano español inglés francés "
        "alemán italiano japonés joven pequeño grande ficción real".split()
    ),
}
_SUBJECTS = frozenset({"nsubj", "nsubj:pass", "nsubjpass"})
_COMPLEMENTS = frozenset({"acomp", "xcomp", "attr", "oprd"})
_NEGATORS = frozenset({"advmod", "neg"})
# Pattern method: linking verbs and degree adverbs allowed between the noun and the adjective.
_LINKING = {
    "en": frozenset(
        "is was are were be been 's seems seemed seem looks looked look feels felt "
        "remains remained becomes became".split()
    ),
    "es": frozenset(
        "es era fue son eran fueron está están estaba estaban estuvo resulta resultó "
        "parece pareció queda quedó".split()
    ),
}
_DEGREE = {
    "en": frozenset(
        "very really so too quite pretty extremely rather incredibly just totally truly "
        "absolutely utterly simply fairly somewhat".split()
    ),
    "es": frozenset(
        "muy tan bastante demasiado realmente sumamente súper super totalmente "
        "verdaderamente simplemente algo".split()
    ),
}

METHOD_DEPENDENCY = "dependency"
METHOD_PATTERN = "pattern"


@dataclass(frozen=True)
class OpinionPair:
    """One adjective judging one noun in one review."""

    aspect: str
    opinion: str
    negated: bool


def _children(heads: Sequence[int]) -> list[list[int]]:
    children: list[list[int]] = [[] for _ in heads]
    for index, head in enumerate(heads):
        if head != index:
            children[head].append(index)
    return children


def dependency_opinions(
    lemmas: Sequence[str],
    pos: Sequence[str],
    dep: Sequence[str],
    heads: Sequence[int],
    lang: str,
) -> list[OpinionPair]:
    """Pairs from one parsed text (lists as stored in ``spacy_annotations``).

    Args:
        lemmas, pos, dep, heads: One entry per token; ``heads[i]`` is the index of token
            ``i``'s head (a root points to itself).
        lang: ``"en"`` or ``"es"`` (negation words and non-opinion adjectives).
    """
    words = [lemma.lower() for lemma in lemmas]
    children = _children(heads)
    negation = NEGATION_WORDS[lang]
    skip = NON_OPINION_ADJECTIVES[lang]

    def negated(*indices: int) -> bool:
        return any(
            dep[c] in _NEGATORS and words[c] in negation
            for i in indices
            for c in children[i]
        )

    def subject_noun(index: int) -> int | None:
        for child in children[index]:
            if dep[child] in _SUBJECTS and pos[child] == "NOUN":
                return child
        return None

    found: dict[int, tuple[int, bool]] = {}  # adjective index -> (noun index, negated)
    for i, tag in enumerate(pos):
        if tag != "ADJ" or words[i] in skip or not words[i].isalpha():
            continue
        head = heads[i]
        if dep[i] == "amod" and pos[head] == "NOUN":
            found[i] = (head, negated(i))
            continue
        noun = subject_noun(i)  # UD copula: the adjective heads its subject
        if noun is not None:
            found[i] = (noun, negated(i))
            continue
        if dep[i] in _COMPLEMENTS and head != i:
            noun = subject_noun(head)
            if noun is not None:
                found[i] = (noun, negated(i, head))
    for i, tag in enumerate(pos):  # coordination: "lenta y aburrida"
        if tag == "ADJ" and dep[i] == "conj" and i not in found and heads[i] in found:
            if words[i] not in skip:
                noun, _ = found[heads[i]]
                found[i] = (noun, negated(i) or found[heads[i]][1])
    return [
        OpinionPair(words[noun], words[adj], neg)
        for adj, (noun, neg) in sorted(found.items())
    ]


@cache
def pos_lexicon(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """Adjectives and nouns of spacy-lookups-data's lemma index for ``lang``."""
    import spacy_lookups_data

    path = spacy_lookups_data.get_file(f"{lang}_lemma_index.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        index = json.load(handle)
    return frozenset(index["adj"]), frozenset(index["noun"])


def pattern_opinions(
    tokens: Sequence[str], lemmas: Sequence[str], lang: str, stop: frozenset[str]
) -> list[OpinionPair]:
    """Pairs by word order over a POS lexicon, for pipelines without a parser.

    Args:
        tokens: Surface tokens (linking verbs and negations are matched on these).
        lemmas: Lemmas (aspects and opinions are reported as lemmas).
        lang: ``"en"`` or ``"es"``.
        stop: Stop words, never taken as aspects or opinions.
    """
    adjectives, nouns = pos_lexicon(lang)
    lower = [t.lower() for t in tokens]
    base = [lemma.lower() for lemma in lemmas]
    skip = NON_OPINION_ADJECTIVES[lang] | stop
    negation, linking, degree = NEGATION_WORDS[lang], _LINKING[lang], _DEGREE[lang]

    def adjective(i: int) -> str | None:
        # Surface form first: lookup lemmas ignore POS ("boring" → "bore"). WordNet lists
        # numerals as adjectives ("1"): letters only.
        for word in (lower[i], base[i]):
            if word in adjectives and word not in skip and word.isalpha():
                return word
        return None

    def noun(i: int, unambiguous: bool) -> str | None:
        # The index lists base forms: a surface form found there is one ("acting"), else
        # the lemma ("actors" → "actor").
        for word in (lower[i], base[i]):
            if word in nouns and word not in skip:
                if unambiguous and adjective(i) is not None:
                    return None
                return word
        return None

    pairs: list[OpinionPair] = []
    n = len(lower)
    for i in range(n - 1):
        opinion, aspect = adjective(i), noun(i + 1, unambiguous=True)
        if opinion and aspect:  # "boring plot"; Spanish also "buena película"
            pairs.append(OpinionPair(aspect, opinion, False))
        elif lang == "es":  # "actuación excelente"
            aspect, opinion = noun(i, unambiguous=True), adjective(i + 1)
            if aspect and opinion:
                pairs.append(OpinionPair(aspect, opinion, False))
        aspect = noun(i, unambiguous=False)
        if aspect and lower[i + 1] in linking:  # "the plot was not very good"
            j, neg = i + 2, False
            while j < n and (lower[j] in negation or lower[j] in degree):
                neg = neg or lower[j] in negation
                j += 1
            opinion = adjective(j) if j < n else None
            if opinion:
                pairs.append(OpinionPair(aspect, opinion, neg))
    return pairs
