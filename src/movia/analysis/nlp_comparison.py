"""NLTK vs spaCy on the same reviews: speed, token boundaries, vocabulary, stems vs lemmas.

Everything here runs on a seeded sample of real reviews per language, processed by both
toolkits in this process (one core), so the speeds are comparable with each other; the
absolute figures depend on the machine and its load, which the report records.

Token-boundary agreement is the F1 of the two tokenisations' character spans: a token counts
as agreed when both toolkits cut exactly the same characters. NLTK's Treebank tokenizer
rewrites straight double quotes as ````''``/``````, so spans are found by searching each token
in the text from the end of the previous one, with those quotes mapped back.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence

from movia.text.nltk_processing import NltkOptions, NltkTextProcessor
from movia.text.spacy_pipelines import SpacyPipeline
from movia.text.stemming import CachedStemmer
from movia.text.stopwords import compare_stop_words, stop_words

_QUOTES = {"``": ('"', "``"), "''": ('"', "''")}

#: Hand-written inputs where tokenizers are known to differ, shown in the report as is.
PROBES = {
    "en": [
        "I didn't like it... 3.5/10 :( but the soundtrack rocks 😀😀",
        "The movie's plot—a mess—wasn't worth $12.50! \"Avoid,\" they said.",
        "Check www.imdb.com or e-mail me at fan@example.com; it's a must-see.",
        "Mr. Smith's sci-fi B-movie (1984) isn't bad.",
    ],
    "es": [
        "¿Qué pasó? ¡No me gustó nada!",
        "Dámelo ya; quiero verla otra vez y contárselo a todos.",
        "La actuación del protagonista fue excelente, pero el guion no es bueno.",
        "Aunque el filme es lento, merece la pena: 8/10 😀",
    ],
}


def token_spans(text: str, tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of ``tokens`` in ``text``; tokens not found (rewritten) are skipped."""
    spans: list[tuple[int, int]] = []
    position = 0
    for token in tokens:
        best: tuple[int, int] | None = None
        for form in _QUOTES.get(token, (token,)):
            start = text.find(form, position)
            if start >= 0 and (best is None or start < best[0]):
                best = (start, start + len(form))
        if best is not None:
            spans.append(best)
            position = best[1]
    return spans


def spacy_spans(tokens: Sequence[str], offsets: Sequence[int]) -> list[tuple[int, int]]:
    """Spans of spaCy tokens, whitespace tokens left out (NLTK never emits them)."""
    return [
        (start, start + len(token))
        for token, start in zip(tokens, offsets, strict=True)
        if token.strip()
    ]


def boundary_f1(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> float:
    """F1 of two span sets (1.0 when both are empty)."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _disagreement(
    text: str,
    nltk_spans: list[tuple[int, int]],
    spacy_spans_: list[tuple[int, int]],
    width: int = 25,
) -> dict | None:
    differ = sorted(set(nltk_spans) ^ set(spacy_spans_))
    if not differ:
        return None
    start, end = differ[0]
    lo, hi = max(0, start - width), min(len(text), end + width)

    def inside(spans: list[tuple[int, int]]) -> list[str]:
        return [text[s:e] for s, e in spans if s >= lo and e <= hi]

    return {
        "context": text[lo:hi],
        "nltk": inside(nltk_spans),
        "spacy": inside(spacy_spans_),
    }


def _timed(func, items: Sequence) -> tuple[list, float, float]:  # noqa: ANN001
    wall, cpu = time.perf_counter(), time.process_time()
    results = [func(item) for item in items]
    return results, time.perf_counter() - wall, time.process_time() - cpu


def compare_language(
    texts: Sequence[str],
    lang: str,
    pipeline: SpacyPipeline,
    nltk_options: NltkOptions,
    examples: int = 8,
    batch_size: int = 64,
) -> dict:
    """Speed, boundary agreement, vocabulary and examples for one language's sample."""
    processor = NltkTextProcessor(lang, nltk_options)
    nlp = pipeline.nlp
    raw, nltk_wall, nltk_cpu = _timed(processor.raw_tokens, texts)
    processed, proc_wall, proc_cpu = _timed(processor.process, texts)
    wall, cpu = time.perf_counter(), time.process_time()
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    spacy_wall, spacy_cpu = time.perf_counter() - wall, time.process_time() - cpu
    nltk_tokens = sum(len(tokens) for tokens, _ in raw)
    spacy_tokens = sum(1 for doc in docs for t in doc if not t.is_space)

    f1s, disagreements = [], []
    for text, (tokens, _), doc in zip(texts, raw, docs, strict=True):
        a = token_spans(text, tokens)
        b = spacy_spans([t.text for t in doc], [t.idx for t in doc])
        f1s.append(boundary_f1(set(a), set(b)))
        if len(disagreements) < examples:
            found = _disagreement(text, a, b)
            if found:
                disagreements.append(found)
    agreed = sum(f1s) / len(f1s) if f1s else 1.0

    spacy_stop = stop_words(lang, "spacy", keep_negations=nltk_options.keep_negations)
    lemmas = Counter()
    pairs = Counter()
    for doc in docs:
        for t in doc:
            word = t.text.lower()
            if t.is_space or t.is_punct or word in spacy_stop:
                continue
            lemmas[t.lemma_.lower()] += 1
            pairs[(word, t.lemma_.lower())] += 1
    nltk_words = Counter(w for p in processed for w in p.content)
    stems = Counter(s for p in processed for s in p.stems)
    porter = CachedStemmer("en", "porter") if lang == "en" else None
    side_by_side = [
        {
            "word": word,
            "count": count,
            "snowball": processor.stem(word),
            **({"porter": porter(word)} if porter else {}),
            "spacy_lemma": lemma,
        }
        for (word, lemma), count in pairs.most_common()
        if word != lemma or processor.stem(word) != word
    ][: examples * 2]
    conflated = Counter()
    lemma_sets: dict[str, set[str]] = {}
    for (word, lemma), count in pairs.items():
        stem = processor.stem(word)
        lemma_sets.setdefault(stem, set()).add(lemma)
        conflated[stem] += count
    over_stemmed = [
        {"stem": stem, "spacy_lemmas": sorted(lemma_sets[stem])[:6], "count": count}
        for stem, count in conflated.most_common()
        if len(lemma_sets[stem]) >= 3
    ][:examples]
    return {
        "reviews": len(texts),
        "spacy_pipeline": pipeline.name,
        "spacy_trained": pipeline.trained,
        "speed": {
            "nltk_tokens": nltk_tokens,
            "nltk_tokenize_tokens_per_second": nltk_tokens / nltk_cpu
            if nltk_cpu
            else 0.0,
            "nltk_full_tokens_per_second": nltk_tokens / proc_cpu if proc_cpu else 0.0,
            "spacy_tokens": spacy_tokens,
            "spacy_tokens_per_second": spacy_tokens / spacy_cpu if spacy_cpu else 0.0,
            "wall_seconds": {
                "nltk_tokenize": nltk_wall,
                "nltk_full": proc_wall,
                "spacy": spacy_wall,
            },
            "clock": "CPU seconds of this process (one core)",
        },
        "boundary_f1": agreed,
        "vocabulary": {
            "nltk_content_words": len(nltk_words),
            "nltk_stems": len(stems),
            "spacy_content_words": len({w for w, _ in pairs}),
            "spacy_lemmas": len(lemmas),
        },
        "stop_words": compare_stop_words(lang),
        "stems_vs_lemmas": side_by_side,
        "over_stemmed": over_stemmed,
        "boundary_disagreements": disagreements,
        "probes": [
            {
                "text": probe,
                "nltk": processor.raw_tokens(probe)[0],
                "nltk_stems": processor.process(probe).stems,
                "spacy": [t.text for t in nlp(probe)],
                "spacy_lemmas": [t.lemma_ for t in nlp(probe) if not t.is_punct],
            }
            for probe in PROBES[lang]
        ],
    }


def sample_texts(
    texts: Sequence[str], size: int | None, random_state: int
) -> list[str]:
    """A seeded sample of at most ``size`` non-empty texts (all of them when size is None)."""
    pool = [t for t in texts if isinstance(t, str) and t.strip()]
    if size is None or len(pool) <= size:
        return pool
    return random.Random(random_state).sample(pool, size)
