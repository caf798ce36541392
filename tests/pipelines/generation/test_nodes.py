"""generation nodes on hand-made frames: the corpus they build, bad input, and the blurbs."""

from __future__ import annotations

import pandas as pd
import pytest

from movia.errors import ColumnContractError, ConfigError, DataError
from movia.pipelines.generation.nodes import (
    build_generation_corpus,
    evaluate_generators,
    train_generator_gan,
    train_generator_mle,
    write_generated_reviews,
)


def _corpus_params(strategy: str = "first", min_words: int = 5) -> dict:
    return {
        "max_train_reviews": None,
        "max_test_reviews": None,
        "max_unlabelled_reviews": None,
        "cut": {"strategy": strategy, "min_words": min_words, "max_words": 20},
        "lexicon": {"min_count": 1, "smoothing": 1.0},
        "random_state": 0,
    }


def test_corpus_splits_cuts_and_joins_genres(reviews, movies) -> None:
    corpus = build_generation_corpus(reviews, movies, _corpus_params())
    assert list(corpus.columns) == [
        "review_id",
        "movie_id",
        "split",
        "sentiment",
        "genres",
        "text",
    ]
    assert corpus["split"].value_counts().to_dict() == {
        "train": 12,
        "test": 4,
        "unsup": 2,
    }
    assert "es0" not in set(corpus["review_id"])  # English only
    first = corpus.iloc[0]
    assert first["text"] == "i saw it on a sunday."  # leading sentence, 6 words
    assert corpus.set_index("review_id").loc["r1", "genres"] == ["Animation", "Comedy"]
    assert corpus.set_index("review_id").loc["r0", "genres"] == []
    unlabelled = corpus[corpus["split"] == "unsup"]
    assert unlabelled["sentiment"].isna().all()
    assert reviews["text"].iloc[0].startswith("I saw"), "input must not be modified"


def test_opinionated_windows_follow_the_label(reviews, movies) -> None:
    corpus = build_generation_corpus(reviews, movies, _corpus_params("opinionated"))
    train = corpus[corpus["split"] == "train"].set_index("review_id")["text"]
    assert train["r0"] == "the film was great and the cast was wonderful."
    assert train["r6"] == "the film was awful and the cast was terrible."


def test_corpus_bad_input(reviews, movies) -> None:
    with pytest.raises(DataError, match="empty after cutting"):
        build_generation_corpus(reviews, movies, _corpus_params(min_words=19))
    only_test = reviews[reviews["split"] != "train"]
    with pytest.raises(DataError, match="no English labelled train-split review"):
        build_generation_corpus(only_test, movies, _corpus_params())
    with pytest.raises(
        ColumnContractError, match="reviews: missing columns \\['label'\\]"
    ):
        build_generation_corpus(reviews.drop(columns="label"), movies, _corpus_params())


@pytest.fixture
def fitted(reviews, movies, test_parameters):
    corpus = build_generation_corpus(reviews, movies, _corpus_params("opinionated"))
    mle = train_generator_mle(corpus, test_parameters["generator"])
    gan = train_generator_gan(mle, corpus, test_parameters["gan"])
    return corpus, mle, gan


def test_evaluation_and_blurbs(
    fitted, movies, ratings, classifier, test_parameters
) -> None:
    corpus, mle, gan = fitted
    evaluation = test_parameters["evaluation"] | {"n_samples": 2, "temperatures": [1.0]}
    metrics, history = evaluate_generators(mle, gan, corpus, classifier, evaluation)
    assert metrics["corpus"] == {
        "n_train": 12,
        "n_unlabelled": 2,
        "n_references": 2,
        "n_held_out": 2,
    }
    assert [(p["model"], p["temperature"]) for p in metrics["operating_points"]] == [
        ("real", None),
        ("mle", 1.0),
        ("gan", 1.0),
    ]
    assert set(metrics["gan_vs_mle"]) == {"bleu_2", "bleu_3", "bleu_4", "bleu_5"}
    assert history["mle.test_nll"]["value"] == metrics["models"]["mle"]["test_nll"]
    assert [row["step"] for row in history["gan.d_loss"]] == [1, 2, 3, 4, 5, 6]

    blurbs = write_generated_reviews(
        mle, gan, movies, ratings, classifier, test_parameters["outputs"]
    )
    # the three rated movies, most rated first (Heat: 2 ratings), two sentiments each
    assert blurbs["movie_id"].tolist() == [2, 2, 1, 1, 3, 3]
    assert blurbs["sentiment"].tolist() == ["neg", "pos"] * 3
    assert blurbs["machine_generated"].all() and set(blurbs["model"]) == {"gan"}
    assert blurbs["classifier_score"].between(0, 1).all()
    assert blurbs.loc[blurbs["movie_id"] == 3, "genres"].tolist() == ["IMAX", "IMAX"]


def test_bad_requests(fitted, movies, ratings, classifier, test_parameters) -> None:
    corpus, mle, gan = fitted
    outputs = test_parameters["outputs"]
    with pytest.raises(ConfigError, match="outputs.model='bert'"):
        write_generated_reviews(
            mle, gan, movies, ratings, classifier, outputs | {"model": "bert"}
        )
    with pytest.raises(ConfigError, match="outputs.n_movies=0"):
        write_generated_reviews(
            mle, gan, movies, ratings, classifier, outputs | {"n_movies": 0}
        )
    evaluation = test_parameters["evaluation"]
    with pytest.raises(ConfigError, match="evaluation.n_samples=1000000"):
        evaluate_generators(
            mle, gan, corpus, classifier, evaluation | {"n_samples": 1_000_000}
        )
    with pytest.raises(DataError, match="lower n_samples"):
        evaluate_generators(mle, gan, corpus, classifier, evaluation | {"n_samples": 4})
    assert isinstance(corpus, pd.DataFrame)


def _point(
    model: str, temperature: float | None, bleu: float, self_bleu: float
) -> dict:
    point = {"model": model, "temperature": temperature, "n_samples": 4}
    for n in (2, 3, 4, 5):
        point |= {f"bleu_{n}": bleu, f"bleu_{n}_se": 0.001, f"self_bleu_{n}": self_bleu}
    return point | {
        "distinct_1": 0.5,
        "distinct_2": 0.9,
        "label_control": 0.75,
        "mean_words": 12.0,
    }


def test_report_and_figure_from_metrics() -> None:
    from movia.evaluation.text_generation import curve_dominance
    from movia.pipelines.generation.nodes import report_generation

    points = [
        _point("real", None, 0.2, 0.1),
        _point("mle", 0.7, 0.4, 0.6),
        _point("mle", 1.0, 0.2, 0.2),
        _point("gan", 1.0, 0.35, 0.4),  # the MLE curve gives 0.3 at self-BLEU 0.4
    ]
    metrics = {
        "bleu_orders": [2, 3, 4, 5],
        "corpus": {
            "n_train": 10,
            "n_unlabelled": 0,
            "n_held_out": 4,
            "n_references": 6,
        },
        "models": {
            "mle": {
                "test_nll": 5.0,
                "test_perplexity": 148.4,
                "train_seconds": 60.0,
                "n_train": 10,
            },
            "gan": {
                "test_nll": 5.1,
                "test_perplexity": 164.0,
                "train_seconds": 90.0,
                "n_train": 10,
            },
        },
        "operating_points": points,
        "gan_vs_mle": curve_dominance(points, [2, 3, 4, 5]),
        "samples": [
            {
                "model": "gan",
                "temperature": 1.0,
                "sentiment": "pos",
                "text": "a | b",
                "classifier_score": 0.9,
            }
        ],
    }
    report, figure = report_generation(metrics)
    assert "| real | — | 0.200 |" in report
    assert "| mle | 0.7 | 0.400 |" in report
    assert "lies +0.0500 BLEU from the MLE curve" in report and "it dominates" in report
    assert "| gan | 1 | pos | 0.90 | a \\| b |" in report  # pipes escaped in samples
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == [
        "BLEU-4 vs self-BLEU-4\nbest GAN margin +0.050 (dominates MLE)",
        "BLEU-5 vs self-BLEU-5\nbest GAN margin +0.050 (dominates MLE)",
    ]
