"""NLTK stemmers (Snowball for English and Spanish, Porter for English) behind a cache.

Stemming runs once per token over ~24 million tokens, but the vocabulary is Zipfian: a few
hundred thousand distinct words. A dictionary in front of the stemmer turns the Snowball
algorithm (~130k words/s) into a hash look-up, which is what lets the NLTK pass meet its
100k tokens/s budget. The cache grows with the vocabulary only, and the returned strings are
shared, so millions of stems cost one pointer each.
"""

from __future__ import annotations

from movia.errors import ConfigError
from movia.text.nltk_resources import nltk_language

ALGORITHMS = ("snowball", "porter")


class CachedStemmer:
    """Callable ``word -> stem`` that remembers every stem it computed.

    Args:
        lang: ``"en"`` or ``"es"``.
        algorithm: ``"snowball"`` (both languages) or ``"porter"`` (English only).

    Raises:
        ConfigError: Unknown algorithm, or Porter asked for Spanish.
    """

    def __init__(self, lang: str, algorithm: str = "snowball") -> None:
        from nltk.stem import PorterStemmer, SnowballStemmer

        if algorithm == "snowball":
            stemmer = SnowballStemmer(nltk_language(lang))
        elif algorithm == "porter" and lang == "en":
            stemmer = PorterStemmer()
        else:
            valid = ALGORITHMS if lang == "en" else ("snowball",)
            raise ConfigError(f"stemmer[{lang}]", algorithm, valid)
        self.lang, self.algorithm = lang, algorithm
        self._stem = stemmer.stem
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            stem = self._cache[word] = self._stem(word)
        return stem

    def __len__(self) -> int:
        """How many distinct words have been stemmed."""
        return len(self._cache)
