"""NLTK text processing: punkt_tab sentences, word tokens, stop words and stems, per language.

:class:`NltkTextProcessor` is the one place that turns a review into the ``tokens``,
``content`` and ``stems`` lists every later step reads (sentiment features, Word2Vec, the
generator's vocabulary), so they all agree on what a word is:

0. Markup is removed and the text NFC-normalised (:mod:`movia.text.cleaning`).
1. Spanish ``¿ ¡ « »`` are detached (:mod:`movia.text.spanish`): NLTK glues them to words.
2. punkt_tab splits sentences; the word tokenizer (NLTK's Treebank-style ``word_tokenize``
   tokenizer, or Toktok) splits words. ``word_tokenize`` calls the word tokenizer once per
   sentence; we call it once per review, after detaching each sentence's final period (the only
   rule the tokenizer applies at the end of its input alone). Same tokens, about three times
   faster: ~30 regular-expression passes per call dominate the cost on short sentences.
3. Tokens are lower-cased; punctuation-only tokens are dropped (emoji are kept: they carry
   opinion); English contraction pieces lose their apostrophe (``'s`` → ``s``, ``n't`` →
   ``not``) so they meet NLTK's stop-word list; runs of emoji become one token per emoji; Spanish clitics are split (``verla`` → ``ver
   la``) when asked.
4. ``content`` drops stop words (negations kept, see :mod:`movia.text.stopwords`) and ``stems``
   holds the stem of each content token, position by position.

Every per-token step is cached by the token's surface form, so cost grows with the vocabulary,
not the corpus. Nothing is loaded at import; a missing NLTK resource raises
:class:`~movia.errors.ResourceMissingError` when a processor is built.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, partial

from movia.errors import ConfigError
from movia.text.cleaning import clean_review_text
from movia.text.failures import ItemFailure, run_each
from movia.text.nltk_resources import (
    nltk_language,
    punkt_resource,
    require_nltk_resource,
)
from movia.text.parallel import chunked, map_chunks
from movia.text.spanish import space_inverted_marks, split_clitics
from movia.text.stemming import CachedStemmer
from movia.text.stopwords import stop_words

WORD_TOKENIZERS = ("treebank", "toktok")

# The Treebank tokenizer's final-period rule, applied to each punkt sentence.
_FINAL_PERIOD = re.compile(r"([^.])(\.)([\]\)}>\"'»”’ ]*)\s*$")
# A token is a word if it has a letter or digit, or is an emoji / pictographic symbol.
_WORDLIKE = re.compile(r"[^\W_]|[\u2600-\u27bf\U0001f000-\U0001faff]")
# A run of emoji ("😀😀") is split into one token per emoji, as spaCy does.
_EMOJI_RUN = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]+")
# English contraction pieces as the Treebank tokenizer emits them, and their plain spelling.
_ENGLISH_PIECES = {
    "n't": "not",
    "'s": "s",
    "'re": "re",
    "'ve": "ve",
    "'ll": "ll",
    "'d": "d",
    "'m": "m",
    "’s": "s",
    "n’t": "not",
}


@dataclass(frozen=True)
class NltkOptions:
    """How reviews are processed; the same values must be used wherever tokens are compared.

    Attributes:
        word_tokenizer: ``"treebank"`` (what ``nltk.word_tokenize`` uses) or ``"toktok"``.
        stemmer: ``{"en": "snowball" | "porter", "es": "snowball"}``.
        keep_negations: Keep "not", "no", "nunca" … as content tokens.
        split_clitics: Split Spanish enclitic pronouns off verbs.
        allow_download: Try ``nltk.download`` for missing resources when online.
    """

    word_tokenizer: str = "treebank"
    stemmer: dict[str, str] = field(
        default_factory=lambda: {"en": "snowball", "es": "snowball"}
    )
    keep_negations: bool = True
    split_clitics: bool = True
    allow_download: bool = True

    @classmethod
    def from_dict(cls, values: dict | None) -> NltkOptions:
        """Build from a parameters block; unknown keys are a configuration error."""
        values = dict(values or {})
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ConfigError(
                "nltk option", sorted(unknown)[0], cls.__dataclass_fields__
            )
        return cls(**values)


@dataclass
class ProcessedText:
    """One text after NLTK processing.

    Attributes:
        tokens: Lower-case word tokens in order, punctuation dropped, stop words kept.
        content: ``tokens`` without stop words.
        stems: The stem of each ``content`` token (same length and order).
        n_sentences: Sentences found by punkt.
    """

    tokens: list[str]
    content: list[str]
    stems: list[str]
    n_sentences: int


def _word_tokenizer(name: str) -> Callable[[str], list[str]]:
    from nltk.tokenize import NLTKWordTokenizer, ToktokTokenizer

    if name == "treebank":
        return NLTKWordTokenizer().tokenize
    if name == "toktok":
        return ToktokTokenizer().tokenize
    raise ConfigError("word_tokenizer", name, WORD_TOKENIZERS)


class NltkTextProcessor:
    """Sentence split, tokenize, filter stop words and stem texts of one language.

    Args:
        lang: ``"en"`` or ``"es"``.
        options: See :class:`NltkOptions`.

    Raises:
        ResourceMissingError: punkt_tab or the stop-word corpus is not available.
        ConfigError: An unknown tokenizer, stemmer or language.
    """

    def __init__(self, lang: str, options: NltkOptions | None = None) -> None:
        from nltk.tokenize.punkt import PunktTokenizer

        options = options or NltkOptions()
        resource = punkt_resource(lang)
        require_nltk_resource(resource, allow_download=options.allow_download)
        self.lang, self.options = lang, options
        self._sentences = PunktTokenizer(nltk_language(lang)).tokenize
        self._words = _word_tokenizer(options.word_tokenizer)
        self._stop = stop_words(
            lang,
            "nltk",
            keep_negations=options.keep_negations,
            allow_download=options.allow_download,
        )
        self.stem = CachedStemmer(lang, options.stemmer.get(lang, "snowball"))
        self._split_clitics = options.split_clitics and lang == "es"
        self._normal: dict[str, tuple[str, ...]] = {}

    def sentences(self, text: str) -> list[str]:
        """punkt_tab sentences of ``text`` (Spanish marks already detached)."""
        if self.lang == "es":
            text = space_inverted_marks(text)
        return self._sentences(text)

    def raw_tokens(self, text: str) -> tuple[list[str], int]:
        """Word tokens as the tokenizer emits them (case and punctuation kept), and the
        number of sentences."""
        sentences = self.sentences(text)
        joined = " ".join(_FINAL_PERIOD.sub(r"\1 \2 \3 ", s) for s in sentences)
        return self._words(joined), len(sentences)

    def normalise(self, token: str) -> tuple[str, ...]:
        """The lower-case word(s) a raw token stands for; ``()`` for punctuation."""
        normal = self._normal.get(token)
        if normal is None:
            normal = self._normal[token] = self._normalise(token)
        return normal

    def _normalise(self, token: str) -> tuple[str, ...]:
        word = token.lower()
        if self.lang == "en":
            word = _ENGLISH_PIECES.get(word, word)
        if not _WORDLIKE.search(word):
            return ()
        if _EMOJI_RUN.fullmatch(word):
            return tuple(ch for ch in word if _WORDLIKE.match(ch))
        if self._split_clitics:
            return tuple(split_clitics(word))
        return (word,)

    def process(self, text: object) -> ProcessedText:
        """Tokens, content tokens and stems of ``text``; non-strings and blanks give empty lists.

        Markup is removed first (:func:`~movia.text.cleaning.clean_review_text`, idempotent on
        already clean reviews), so user input with ``<br />`` or ``&amp;`` is safe too.
        """
        text = clean_review_text(text)
        if not text:
            return ProcessedText([], [], [], 0)
        raw, n_sentences = self.raw_tokens(text)
        tokens = [word for token in raw for word in self.normalise(token)]
        stop, stem = self._stop, self.stem
        content = [word for word in tokens if word not in stop]
        return ProcessedText(tokens, content, [stem(w) for w in content], n_sentences)


@cache
def _processor(lang: str, options_json: str) -> NltkTextProcessor:
    """One processor per language and options in each process (punkt and caches load once)."""
    return NltkTextProcessor(lang, NltkOptions.from_dict(json.loads(options_json)))


def _process_chunk(
    options_json: str, chunk: Sequence[tuple[str, object, str]]
) -> tuple[list[ProcessedText], list[ItemFailure]]:
    ids = [item_id for item_id, _, _ in chunk]
    return run_each(
        ids,
        chunk,
        lambda item: _processor(item[2], options_json).process(item[1]),
        lambda: ProcessedText([], [], [], 0),
    )


def process_texts(
    ids: Sequence[object],
    texts: Sequence[object],
    langs: Sequence[str],
    options: NltkOptions | None = None,
    n_process: int = 1,
    chunk_size: int = 500,
) -> tuple[list[ProcessedText], list[ItemFailure]]:
    """Process many texts of mixed languages, in ``n_process`` worker processes.

    A text that raises is reported with its id (an :class:`ItemFailure`) and gets empty lists;
    the rest go on. Configuration and missing-resource errors stop the whole call.

    Returns:
        One :class:`ProcessedText` per input, in input order, and the failures.
    """
    options_json = json.dumps(asdict(options or NltkOptions()), sort_keys=True)
    for lang in sorted(set(langs)):
        _processor(lang, options_json)  # fail fast, here, on a missing resource
    items = list(zip(map(str, ids), texts, langs, strict=True))
    chunks = chunked(items, chunk_size)
    parts = map_chunks(partial(_process_chunk, options_json), chunks, n_process, "NLTK")
    results = [result for part, _ in parts for result in part]
    failures = [failure for _, part in parts for failure in part]
    return results, failures
