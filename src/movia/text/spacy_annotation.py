"""Run a spaCy pipeline over many texts and keep its annotations as plain lists.

Docs are turned into one record per text (token texts, character offsets, lemmas, UPOS tags,
morphology, dependency labels, head indices, entities) so they can be stored in Parquet and
read back by code that never imports spaCy (opinion extraction, reports, notebooks).

``nlp.pipe`` is used with batching (and worker processes when asked), over chunks of texts. A
component that fails aborts ``nlp.pipe`` (spaCy's per-component error handlers cannot be set on
the parser of a pipeline trained with spaCy 3.1), so a failed chunk is retried one text at a
time: the texts that still fail are reported with their ids and the run goes on. Texts longer than ``max_chars`` are cut at the last
space before the limit (spaCy refuses texts over ``nlp.max_length`` and a parser's memory grows
with length); the ids of the texts cut are returned.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tqdm.auto import tqdm

from movia.text.cleaning import clean_review_text
from movia.text.failures import ItemFailure, run_each

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

ANNOTATION_COLUMNS = (
    "tokens",
    "offsets",
    "lemmas",
    "pos",
    "morph",
    "dep",
    "heads",
    "entities",
)


@dataclass
class AnnotationBatch:
    """Annotations of many texts, column by column, in input order.

    Attributes:
        columns: One list per name in :data:`ANNOTATION_COLUMNS`, one entry per text.
        failures: Texts spaCy dropped, with the reason.
        truncated: Ids of the texts cut to ``max_chars``.
        words: Tokens produced (for speed figures).
    """

    columns: dict[str, list] = field(
        default_factory=lambda: {name: [] for name in ANNOTATION_COLUMNS}
    )
    failures: list[ItemFailure] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    words: int = 0


def doc_record(doc: Doc) -> dict[str, list]:
    """One doc as lists: heads are token indices within the doc (a root points to itself)."""
    return {
        "tokens": [t.text for t in doc],
        "offsets": [t.idx for t in doc],
        "lemmas": [t.lemma_ for t in doc],
        "pos": [t.pos_ for t in doc],
        "morph": [str(t.morph) for t in doc],
        "dep": [t.dep_ for t in doc],
        "heads": [t.head.i for t in doc],
        "entities": [
            {"text": e.text, "label": e.label_, "start": e.start, "end": e.end}
            for e in doc.ents
        ],
    }


def truncate(text: str, max_chars: int) -> str:
    """``text`` cut at the last whitespace before ``max_chars`` (hard cut if there is none)."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars)
    return text[: cut if cut > 0 else max_chars]


def _annotate_chunk(
    nlp: Language,
    ids: Sequence[str],
    texts: list[str],
    batch_size: int,
    n_process: int,
) -> tuple[list[Doc | None], list[ItemFailure]]:
    """Docs of one chunk; if the chunk fails, each text alone, to name the one that fails."""
    try:
        docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
        return list(docs), []
    except Exception as error:  # located and reported per text just below
        logger.warning(
            "spaCy failed on a chunk of %d texts (%s: %s); retrying them one by one",
            len(texts),
            type(error).__name__,
            error,
        )
    return run_each(ids, texts, nlp, lambda: None)


def annotate_texts(
    nlp: Language,
    ids: Sequence[object],
    texts: Sequence[object],
    batch_size: int = 64,
    n_process: int = 1,
    max_chars: int = 20_000,
    chunk_size: int = 1_000,
    desc: str = "spaCy",
) -> AnnotationBatch:
    """Annotate ``texts`` with ``nlp``; see the module doc for failures and truncation.

    Args:
        nlp: A loaded pipeline (see :mod:`movia.text.spacy_pipelines`).
        ids: One id per text, used to report failures.
        texts: The texts; markup is removed first (offsets refer to the clean text, which is
            the text itself for reviews from data_processing); non-strings count as empty.
        batch_size: Texts per ``nlp.pipe`` batch.
        n_process: Worker processes for ``nlp.pipe`` (1 = this process).
        max_chars: Longer texts are truncated.
        chunk_size: Texts per ``nlp.pipe`` call; a failure costs a one-by-one retry of one
            chunk, and each call with ``n_process > 1`` starts its workers anew.
    """
    ids = [str(item_id) for item_id in ids]
    cleaned = [clean_review_text(t) for t in texts]  # idempotent on clean reviews
    prepared = [truncate(t, max_chars) for t in cleaned]
    batch = AnnotationBatch()
    batch.truncated = [
        item_id
        for item_id, cut, text in zip(ids, prepared, cleaned, strict=True)
        if len(cut) < len(text)
    ]
    empty = {name: [] for name in ANNOTATION_COLUMNS}
    progress = tqdm(total=len(ids), desc=desc, unit="doc", disable=None)
    with progress:
        for start in range(0, len(ids), chunk_size):
            chunk_ids = ids[start : start + chunk_size]
            docs, failures = _annotate_chunk(
                nlp,
                chunk_ids,
                prepared[start : start + chunk_size],
                batch_size,
                n_process,
            )
            batch.failures.extend(failures)
            for doc in docs:
                record = empty if doc is None else doc_record(doc)
                batch.words += 0 if doc is None else len(doc)
                for name in ANNOTATION_COLUMNS:
                    batch.columns[name].append(record[name])
            progress.update(len(chunk_ids))
    return batch
