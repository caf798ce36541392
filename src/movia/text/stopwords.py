"""Stop-word lists of NLTK and spaCy for English and Spanish, with negations kept apart.

Both libraries ship lists that drop "not", "no", "nunca", "sin" … Removing negations is harmless
for topic words but reverses opinions ("not good" → "good"), and sentiment, opinion extraction
and explanations all read our content tokens. So :func:`stop_words` removes the negation words of
:data:`NEGATIONS` from the list by default; pass ``keep_negations=False`` for the library's list
as shipped. The NLTK lists need the ``stopwords`` corpus (see :mod:`movia.text.nltk_resources`);
spaCy's ship with the library, no model needed.
"""

from __future__ import annotations

from functools import cache

from movia.errors import ConfigError
from movia.text.nltk_resources import STOPWORDS, nltk_language, require_nltk_resource

SOURCES = ("nltk", "spacy")

#: Words that flip the polarity of what follows; kept as content tokens by default.
NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "no not nor never n't nothing none nobody neither cannot without "
        "aren't couldn't didn't doesn't don't hadn't hasn't haven't isn't mightn't "
        "mustn't needn't shan't shouldn't wasn't weren't won't wouldn't".split()
    ),
    "es": frozenset(
        "no ni nunca jamás tampoco nada nadie sin ninguno ninguna ningún".split()
    ),
}


def _library_list(lang: str, source: str, allow_download: bool) -> frozenset[str]:
    if source == "nltk":
        from nltk.corpus import stopwords

        require_nltk_resource(STOPWORDS, allow_download=allow_download)
        return frozenset(stopwords.words(nltk_language(lang)))
    if source == "spacy":
        from spacy.util import get_lang_class

        return frozenset(get_lang_class(lang).Defaults.stop_words)
    raise ConfigError("stop_words.source", source, SOURCES)


@cache
def stop_words(
    lang: str,
    source: str = "nltk",
    keep_negations: bool = True,
    allow_download: bool = True,
) -> frozenset[str]:
    """The lower-case stop-word set of ``source`` for ``lang``.

    Args:
        lang: ``"en"`` or ``"es"``.
        source: ``"nltk"`` or ``"spacy"``.
        keep_negations: Leave the words of :data:`NEGATIONS` out of the list (see module doc).
        allow_download: Passed to :func:`~movia.text.nltk_resources.require_nltk_resource`.
    """
    nltk_language(lang)  # validates lang for both sources
    words = _library_list(lang, source, allow_download)
    return words - NEGATIONS[lang] if keep_negations else words


def compare_stop_words(lang: str, examples: int = 15) -> dict:
    """How NLTK's and spaCy's lists differ for ``lang`` (as shipped, negations included).

    Returns:
        Sizes, the overlap, and up to ``examples`` words found only in each list (sorted), so
        a report can show why the same text keeps different content words.
    """
    nltk_words = stop_words(lang, "nltk", keep_negations=False)
    spacy_words = stop_words(lang, "spacy", keep_negations=False)
    only_nltk, only_spacy = nltk_words - spacy_words, spacy_words - nltk_words
    return {
        "nltk_size": len(nltk_words),
        "spacy_size": len(spacy_words),
        "shared": len(nltk_words & spacy_words),
        "only_nltk": len(only_nltk),
        "only_spacy": len(only_spacy),
        "only_nltk_examples": sorted(only_nltk)[:examples],
        "only_spacy_examples": sorted(only_spacy)[:examples],
        "negations_in_nltk": sorted(nltk_words & NEGATIONS[lang]),
        "negations_in_spacy": sorted(spacy_words & NEGATIONS[lang]),
    }
