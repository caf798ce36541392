"""Spanish orthography that generic tokenizers get wrong: ``¿``/``¡``, accents and clitics.

- ``¿`` and ``¡`` open a question or exclamation; NLTK's Treebank tokenizer glues them to the
  next word (``¿Qué`` stays one token), so :func:`space_inverted_marks` detaches them first.
- Acute accents distinguish words (``él``/``el``, ``sí``/``si``, ``más``/``mas``), so tokens keep
  them; :func:`strip_accents` removes acute accents and the diaeresis only when a caller wants an
  accent-blind key, and never touches ``ñ`` (``año`` is not ``ano``), unlike NFKD folding.
- Object pronouns attach to infinitives, gerunds and imperatives (``verla``, ``diciéndole``,
  ``dámelo``). :func:`split_clitics` separates them when the remaining verb form is known (a verb
  of spacy-lookups-data's Spanish lemma index), so ``charla`` or ``película`` stay whole. It is
  deliberately conservative: imperatives with an irregular stem (``dígame``) are left joined.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache

from movia.errors import ResourceMissingError

_INVERTED = re.compile(r"([¿¡«»])")
_ACCENTS = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")
_ACCENTED = re.compile(r"[áéíóú]")
# Enclitic chains, longest first: an indirect pronoun may precede a direct one ("se" + "lo").
_DIRECT = ("los", "las", "les", "lo", "la", "le")
_INDIRECT = ("nos", "me", "te", "se")
_CLITICS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    sorted(
        [(i + d, (i, d)) for i in _INDIRECT for d in _DIRECT]
        + [(c, (c,)) for c in _DIRECT + _INDIRECT],
        key=lambda item: len(item[0]),
        reverse=True,
    )
)
_GERUND = ("ándo", "iéndo", "yéndo")
_INFINITIVE = ("ar", "er", "ir")
_MIN_BASE = 2


def space_inverted_marks(text: str) -> str:
    """Put spaces around ``¿ ¡ « »`` so every tokenizer sees them as separate tokens."""
    return _INVERTED.sub(r" \1 ", text)


def strip_accents(text: str) -> str:
    """Remove acute accents and the diaeresis, keep ``ñ``: ``"Acción, pingüino, año"`` →
    ``"Accion, pinguino, año"``."""
    return text.translate(_ACCENTS)


@cache
def spanish_verbs() -> frozenset[str]:
    """Infinitives of spacy-lookups-data's Spanish lemma index (~2,300 common verbs)."""
    # Read the gzip JSON directly: importing spaCy for one word list costs seconds per worker.
    try:
        import spacy_lookups_data
    except ImportError as error:
        raise ResourceMissingError(
            "spacy-lookups-data is not installed; it provides the Spanish verb list used to"
            " split clitics (pip install spacy-lookups-data==1.0.5)"
        ) from error
    path = spacy_lookups_data.get_file("es_lemma_index.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(json.load(handle)["verb"])


def _verb_form(base: str, verbs: frozenset[str]) -> str | None:
    """The verb a clitic was attached to, in its clitic-free spelling, or None."""
    if base.endswith(_GERUND):
        return strip_accents(base)
    if strip_accents(base).endswith(_INFINITIVE):
        # Two clitics put an accent on the infinitive ("dárselo"); "oír" has its own.
        plain = base if base in verbs else strip_accents(base)
        return plain if plain in verbs else None
    if _ACCENTED.search(base):
        # Imperative: the clitic moved the stress, hence the written accent ("mira" → "mírala").
        plain = strip_accents(base)
        stems = (plain + "r", plain[:-1] + "ar", plain[:-1] + "er", plain[:-1] + "ir")
        if any(stem in verbs for stem in stems):
            return plain
    return None


def split_clitics(word: str, verbs: frozenset[str] | None = None) -> list[str]:
    """``"dámelo"`` → ``["da", "me", "lo"]``; words that are not verb + clitics come back whole.

    Args:
        word: One lower-case token.
        verbs: Known infinitives (default: :func:`spanish_verbs`).
    """
    if len(word) < _MIN_BASE + 2 or not word.isalpha():
        return [word]
    known = spanish_verbs() if verbs is None else verbs
    for suffix, parts in _CLITICS:
        base = word[: -len(suffix)]
        if len(base) >= _MIN_BASE and word.endswith(suffix):
            verb = _verb_form(base, known)
            if verb is not None:
                return [verb, *parts]
    return [word]
