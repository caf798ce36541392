"""Stop-word lists (negations kept apart), cached stemmers and NLTK resource errors."""

from __future__ import annotations

import pytest

from movia.errors import ConfigError, ResourceMissingError
from movia.text.nltk_resources import NltkResource, require_nltk_resource
from movia.text.stemming import CachedStemmer
from movia.text.stopwords import NEGATIONS, compare_stop_words, stop_words


@pytest.mark.usefixtures("nltk_data")
def test_negations_are_kept_out_of_the_stop_words_unless_asked() -> None:
    kept = stop_words("en", "nltk")
    shipped = stop_words("en", "nltk", keep_negations=False)
    assert {"not", "no", "nor", "don't"} <= shipped
    assert not kept & NEGATIONS["en"]
    assert shipped - kept == shipped & NEGATIONS["en"]
    assert {"no", "ni", "sin", "nada"} <= stop_words("es", "nltk", keep_negations=False)
    assert "no" not in stop_words("es", "nltk") and "el" in stop_words("es", "nltk")


@pytest.mark.usefixtures("nltk_data")
def test_compare_stop_words_counts_add_up() -> None:
    comparison = compare_stop_words("es")
    assert comparison["nltk_size"] == 313  # NLTK's Spanish list (Snowball)
    assert comparison["nltk_size"] == comparison["shared"] + comparison["only_nltk"]
    assert comparison["spacy_size"] == comparison["shared"] + comparison["only_spacy"]
    assert "nunca" in comparison["negations_in_spacy"]
    assert "nunca" not in comparison["negations_in_nltk"]


def test_unknown_stop_word_source_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="choose one of: nltk, spacy"):
        stop_words("en", "gensim")


def test_snowball_and_porter_stems_and_the_cache() -> None:
    snowball, porter = CachedStemmer("en"), CachedStemmer("en", "porter")
    assert [snowball(w) for w in ("generously", "movies", "running")] == [
        "generous",
        "movi",
        "run",
    ]
    assert (
        porter("generously") == "gener"
    )  # Porter strips harder than Snowball (English 2)
    spanish = CachedStemmer("es")
    assert [spanish(w) for w in ("películas", "actuación", "aburrida")] == [
        "pelicul",
        "actuacion",
        "aburr",
    ]
    assert len(spanish) == 3
    spanish("películas")
    assert len(spanish) == 3  # cached, not recomputed


def test_porter_is_english_only() -> None:
    with pytest.raises(ConfigError, match=r"stemmer\[es\]"):
        CachedStemmer("es", "porter")


def test_missing_nltk_resource_names_it_and_says_how_to_get_it() -> None:
    resource = NltkResource("tokenizers/punkt_tab/klingon/", "punkt_tab")
    with pytest.raises(ResourceMissingError) as error:
        require_nltk_resource(resource, allow_download=False)
    message = str(error.value)
    assert "tokenizers/punkt_tab/klingon/" in message
    assert "NLTK_DATA" in message and "python -m nltk.downloader punkt_tab" in message
