"""Cold start from liked/disliked films, genres and (pre-encoded) text; title matching."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from movia.errors import ConfigError, UnknownIdError
from movia.evaluation.columns import ITEM_ID
from movia.models.recommenders import ColdStartRecommender, EASERecommender
from movia.models.recommenders.cold_start import standardise
from movia.models.recommenders.spanish_lexicon import translate_query
from movia.models.recommenders.text_query import (
    EncodedQuery,
    QueryEncoder,
    WordVectorTable,
    english_genres,
)
from movia.models.recommenders.titles_index import build_title_index


@pytest.fixture
def cold(two_clusters, catalogue) -> ColdStartRecommender:
    return ColdStartRecommender(cf=EASERecommender(l2=1.0), n_neighbors=3).fit(
        two_clusters, catalogue
    )


def test_liked_titles_pull_their_cluster(cold) -> None:
    recs = cold.recommend(liked=[1], k=4, weights={"popularity": 0.0, "sentiment": 0.0})
    # EASE: sci-fi neighbours and the film everybody saw; content adds the unrated item 8.
    assert recs[ITEM_ID].tolist() == [2, 7, 3, 8]
    assert recs.loc[3, "cf"] == 0.0 and recs.loc[3, "content"] > 0
    assert {"cf", "content"} <= set(recs.columns)


def test_disliked_titles_push_away(cold) -> None:
    recs = cold.recommend(liked=[4], disliked=[1], k=2, weights={"popularity": 0.0})
    assert set(recs[ITEM_ID]) == {5, 6}


def test_genres_alone(cold) -> None:
    recs = cold.recommend(
        genres=["Romance"], k=3, weights={"popularity": 0.0, "sentiment": 0.0}
    )
    assert set(recs[ITEM_ID]) == {4, 5, 6}
    with pytest.raises(UnknownIdError, match="genre"):
        cold.recommend(genres=["Telenovela"])

    # a genre guessed from free text that the catalogue lacks is dropped, not an error
    query = EncodedQuery("es", "una telenovela romántica", genres=["Romance", "IMAX"])
    from_text = cold.recommend(
        query=query, k=3, weights={"popularity": 0.0, "sentiment": 0.0}
    )
    assert set(from_text[ITEM_ID]) == {4, 5, 6}


def test_text_vector_is_compared_with_item_embeddings(cold) -> None:
    query = EncodedQuery("en", "space", sentence=np.array([1.0, 0.0], dtype=np.float32))
    recs = cold.recommend(
        query=query, k=1, weights={"popularity": 0.0, "sentiment": 0.0}
    )
    assert recs[ITEM_ID].tolist() == [1]


def test_no_preferences_fall_back_to_popular(cold, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        recs = cold.recommend(k=1)
    assert recs[ITEM_ID].tolist() == [7]
    assert "no preferences" in caplog.text


def test_bad_requests(cold, two_clusters, catalogue) -> None:
    with pytest.raises(UnknownIdError, match="item id"):
        cold.recommend(liked=[404])
    with pytest.raises(ConfigError, match="k="):
        cold.recommend(liked=[1], k=0)
    with pytest.raises(ConfigError, match="weights"):
        ColdStartRecommender(weights={"magic": 1.0}).fit(two_clusters, catalogue)


def test_standardise_constant_signal_is_zero() -> None:
    assert standardise(np.ones(4)).tolist() == [0, 0, 0, 0]


def test_spanish_lexicon_and_english_genres() -> None:
    text, genres = translate_query("Quiero una película de terror con fantasmas")
    assert text == "movie horror ghosts" and genres == ["Horror"]
    assert translate_query("ciencia ficción con naves espaciales")[1] == ["Sci-Fi"]
    assert english_genres("a funny romantic movie") == ["Comedy", "Romance"]


def test_query_encoder_word_vectors_without_minilm() -> None:
    encoder = QueryEncoder(
        model_name="unused",
        word_vectors={
            "fantasmas": np.array([0.0, 2.0]),
            "ghosts": np.array([0.0, 1.0]),
        },
    )
    assert encoder._word_mean("Fantasmas!").tolist() == [0.0, 1.0]
    assert encoder._word_mean("nada conocido") is None
    with pytest.raises(ConfigError, match="lang"):
        encoder.encode("hola", lang="fr")


def test_title_index(catalogue) -> None:
    index = build_title_index(catalogue, np.arange(8, dtype=float))
    assert index.resolve("the matrix") == 2
    assert index.resolve("Matrix, The") == 2
    assert index.resolve("The Matrix (1999)") == 2
    assert index.resolve("Notting Hil") == 3  # a typo still matches
    with pytest.raises(UnknownIdError) as error:
        index.resolve("Completely Unknown Film")
    assert error.value.suggestions  # closest titles are offered
    assert [row for row, _ in index.search("alien", limit=2)] == [0, 1]
    with pytest.raises(ConfigError):
        index.search("alien", limit=0)


def test_word_vector_table_round_trip() -> None:
    import pickle

    class Keyed:
        index_to_key = ["space", "love", "ghosts"]

        def __getitem__(self, word: str) -> np.ndarray:
            return np.full(2, float(self.index_to_key.index(word)))

    table = WordVectorTable.from_keyed_vectors(Keyed(), max_words=2)
    assert list(table) == ["space", "love"] and table["love"].tolist() == [1.0, 1.0]
    assert table.get("ghosts") is None
    restored = pickle.loads(pickle.dumps(table))
    assert restored["love"].tolist() == [1.0, 1.0] and len(restored) == 2
    encoder = QueryEncoder(model_name="unused", word_vectors=restored)
    assert encoder._word_mean("love")[0] == pytest.approx(np.sqrt(0.5))
