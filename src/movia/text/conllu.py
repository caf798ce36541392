"""Read CoNLL-U (Universal Dependencies treebanks) into plain sentences.

Only what parser evaluation needs is kept: the syntactic words (multi-word token ranges such as
``del`` = ``de`` + ``el`` and empty nodes are skipped, as the CoNLL 2018 evaluation does for
gold-tokenised scoring), their UPOS tags, heads, relations and whether a space follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from movia.errors import DataError

_COLUMNS = 10


@dataclass
class ConlluSentence:
    """One sentence; ``heads`` are 1-based word indices, 0 for the root (as in the file)."""

    sent_id: str
    words: list[str] = field(default_factory=list)
    upos: list[str] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    deprels: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)


def parse_conllu(
    text: str, source: str = "<conllu>", max_sentences: int | None = None
) -> list[ConlluSentence]:
    """Sentences of a CoNLL-U document.

    Args:
        text: The file's content.
        source: Its name, for error messages.
        max_sentences: Stop after this many (None: all).

    Raises:
        DataError: A word line without 10 tab-separated fields or with a non-integer head;
            the message names the source, the line and the field.
    """
    sentences: list[ConlluSentence] = []
    current = ConlluSentence(sent_id="")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if current.words:
                sentences.append(current)
                if max_sentences is not None and len(sentences) >= max_sentences:
                    return sentences
            current = ConlluSentence(sent_id="")
            continue
        if line.startswith("#"):
            if line.startswith("# sent_id"):
                current.sent_id = line.split("=", 1)[-1].strip()
            continue
        fields = line.split("\t")
        if len(fields) != _COLUMNS:
            raise DataError(
                f"expected {_COLUMNS} tab-separated fields, found {len(fields)}",
                path=source,
                row=number,
                field="line",
            )
        word_id = fields[0]
        if "-" in word_id or "." in word_id:  # multi-word token range or empty node
            continue
        try:
            head = int(fields[6])
        except ValueError:
            raise DataError(
                f"head {fields[6]!r} is not an integer",
                path=source,
                row=number,
                field="HEAD",
            ) from None
        current.words.append(fields[1])
        current.upos.append(fields[3])
        current.heads.append(head)
        current.deprels.append(fields[7])
        current.spaces.append("SpaceAfter=No" not in fields[9])
    if current.words and (max_sentences is None or len(sentences) < max_sentences):
        sentences.append(current)
    return sentences
