"""Nodes of the generation pipeline: reviews → short training texts → MLE and GAN generators →
Texygen-style evaluation with label control → report, figure and AI-written review blurbs.

Nodes unpack parameters and call ``movia.models.generation``, ``movia.evaluation`` and
``movia.analysis``; they never open files (the catalog does) and return new objects.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from movia.analysis.generation_report import (
    build_generation_report,
    plot_quality_diversity,
)
from movia.errors import ColumnContractError, ConfigError, DataError
from movia.evaluation.text_generation import (
    ProbabilisticClassifier,
    compare_generators,
)
from movia.models.generation import (
    ReviewGAN,
    ReviewGenerator,
    SentimentLexicon,
    SubwordTokenizer,
)
from movia.models.generation.blurbs import write_blurbs
from movia.models.generation.conditioning import (
    SENTIMENTS,
    check_sample_count,
    genre_list,
    known_genres,
)
from movia.models.generation.corpus import window_reviews
from movia.models.generation.tokenizer import normalise_review

logger = logging.getLogger(__name__)

REVIEW_COLUMNS = {"review_id", "movie_id", "lang", "split", "label", "text"}


def _require(frame: pd.DataFrame, columns: set[str], name: str) -> None:
    missing = sorted(columns - set(frame.columns))
    if missing:
        raise ColumnContractError(f"missing columns {missing}", path=name)


def _sample_rows(
    frame: pd.DataFrame, limit: int | None, seed: int, by: str | None
) -> pd.DataFrame:
    """At most ``limit`` rows, stratified by ``by`` (equal shares), reproducibly."""
    if limit is None or len(frame) <= limit:
        return frame
    if by is None:
        return frame.sample(limit, random_state=seed)
    groups = frame.groupby(by, sort=True)
    share = max(1, limit // groups.ngroups)
    return pd.concat(
        [g.sample(min(len(g), share), random_state=seed) for _, g in groups]
    )


def build_generation_corpus(
    reviews: pd.DataFrame, movies: pd.DataFrame, corpus: dict[str, Any]
) -> pd.DataFrame:
    """English reviews cut to short windows of whole sentences, with sentiment and genres.

    Labelled train-split reviews train the generators (and the lexicon that picks the
    windows); test-split reviews are held out for BLEU, NLL and label control; unlabelled
    reviews optionally join MLE pre-training with an "unknown" sentiment.

    Args:
        reviews: The ``reviews`` table (``review_id``, ``movie_id``, ``lang``, ``split``,
            ``label``, ``text``).
        movies: The ``movies`` table (``movie_id``, ``genres``).
        corpus: ``max_train_reviews``, ``max_test_reviews``, ``max_unlabelled_reviews``
            (None: all; 0: none), ``cut`` (``strategy``, ``min_words``, ``max_words``),
            ``lexicon`` (``min_count``, ``smoothing``) and ``random_state``.

    Returns:
        Columns ``review_id``, ``movie_id`` (Int64/NA), ``split`` (train/test/unsup),
        ``sentiment`` (neg/pos/NA), ``genres`` (list of str) and ``text`` (the window).

    Raises:
        DataError: No train or no test review is left after filtering and cutting.
    """
    _require(reviews, REVIEW_COLUMNS, "reviews")
    seed = corpus["random_state"]
    english = reviews[reviews["lang"] == "en"]
    labelled = english["label"].isin(SENTIMENTS)
    parts = {
        "train": _sample_rows(
            english[labelled & (english["split"] == "train")],
            corpus["max_train_reviews"],
            seed,
            "label",
        ),
        "test": _sample_rows(
            english[labelled & (english["split"] == "test")],
            corpus["max_test_reviews"],
            seed,
            "label",
        ),
        "unsup": _sample_rows(
            english[english["split"] == "unsup"],
            corpus["max_unlabelled_reviews"],
            seed,
            None,
        ),
    }
    for split in ("train", "test"):
        if parts[split].empty:
            raise DataError(
                f"no English labelled {split}-split review to build the corpus from",
                path="reviews",
                field="label",
            )
    train = parts["train"]
    lexicon = SentimentLexicon(**corpus["lexicon"]).fit(
        train["text"].map(normalise_review), train["label"]
    )
    genres = movies.set_index("movie_id")["genres"].map(genre_list).to_dict()
    kept, without_window = window_reviews(
        parts, genres, lexicon=lexicon, **corpus["cut"]
    )
    counts = kept["split"].value_counts()
    for split in ("train", "test"):
        if counts.get(split, 0) == 0:
            raise DataError(
                f"no {split} review has a window of {corpus['cut']['min_words']}.."
                f"{corpus['cut']['max_words']} words: the corpus is empty after cutting",
                path="reviews",
                field="text",
            )
    logger.info(
        "generation corpus: %d train, %d test, %d unlabelled windows (%d reviews had none)",
        counts.get("train", 0),
        counts.get("test", 0),
        counts.get("unsup", 0),
        without_window,
    )
    return kept


def _columns(
    rows: pd.DataFrame, genres: list[str] | None = None
) -> tuple[list[str], list[Any], list[list[str]]]:
    """Texts, sentiments (None when unlabelled) and genre lists of corpus rows.

    With ``genres`` (a fitted generator's vocabulary), genres it never saw are left out:
    test reviews may be of movies whose rare genre no training review had.
    """
    sentiments = [v if isinstance(v, str) else None for v in rows["sentiment"]]
    lists = [genre_list(g) for g in rows["genres"]]
    if genres is not None:
        lists = known_genres(lists, genres)
    return rows["text"].tolist(), sentiments, lists


def train_generator_mle(
    generation_corpus: pd.DataFrame, generator: dict[str, Any]
) -> ReviewGenerator:
    """Fit the tokenizer and the conditional GRU by maximum likelihood (the baseline).

    Args:
        generation_corpus: From :func:`build_generation_corpus`; train and unlabelled rows
            are used.
        generator: ``tokenizer`` (``SubwordTokenizer`` arguments) and the other
            ``ReviewGenerator`` arguments.
    """
    options = dict(generator)
    tokenizer = SubwordTokenizer(**options.pop("tokenizer"))
    rows = generation_corpus[generation_corpus["split"].isin(["train", "unsup"])]
    texts, sentiments, genres = _columns(rows)
    return ReviewGenerator(tokenizer=tokenizer, **options).fit(
        texts, sentiments, genres
    )


def train_generator_gan(
    generator_mle: ReviewGenerator, generation_corpus: pd.DataFrame, gan: dict[str, Any]
) -> ReviewGenerator:
    """Fine-tune a copy of the MLE generator adversarially on labelled train windows.

    Args:
        generator_mle: The fitted baseline (left unchanged).
        generation_corpus: From :func:`build_generation_corpus`.
        gan: ``ReviewGAN`` arguments.
    """
    rows = generation_corpus[generation_corpus["split"] == "train"]
    texts, sentiments, genres = _columns(rows)
    fitted = ReviewGAN(**gan).fit(texts, sentiments, genres, generator=generator_mle)
    return fitted.generator_


def _held_out_split(
    test: pd.DataFrame, n_samples: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Balanced real rows whose conditions the generators reuse, and the references."""
    per_label = n_samples // len(SENTIMENTS)
    held = pd.concat(
        [
            group.sample(min(len(group), per_label), random_state=seed)
            for _, group in test.groupby("sentiment", sort=True)
        ]
    )
    references = test.drop(index=held.index)
    if references.empty:
        raise DataError(
            f"all {len(test)} test windows were used as conditions; lower n_samples",
            path="generation_corpus",
            field="split",
        )
    return held, references


def _mlflow_metrics(
    metrics: dict[str, Any], generators: dict[str, ReviewGenerator]
) -> dict[str, Any]:
    """Headline figures and training curves as MLflow metric histories."""
    history: dict[str, Any] = {}
    for point in metrics["operating_points"]:
        if point["temperature"] is None:
            continue
        key = f"{point['model']}.t{point['temperature']:.2f}"
        for name in ("bleu_4", "bleu_5", "self_bleu_4", "self_bleu_5", "label_control"):
            history[f"{key}.{name}"] = {"value": point[name], "step": 0}
    for name, generator in generators.items():
        history[f"{name}.test_nll"] = {
            "value": metrics["models"][name]["test_nll"],
            "step": 0,
        }
        history[f"{name}.train_nll"] = [
            {"value": row["train_nll"], "step": row["epoch"]}
            for row in generator.history_
        ]
        adversarial = getattr(generator, "adversarial_history_", [])
        for key in ("d_loss", "g_adv_loss", "g_mle_nll"):
            values = [
                {"value": row[key], "step": row["step"]}
                for row in adversarial
                if key in row
            ]
            if values:
                history[f"{name}.{key}"] = values
    return history


def evaluate_generators(
    generator_mle: ReviewGenerator,
    generator_gan: ReviewGenerator,
    generation_corpus: pd.DataFrame,
    sentiment_baseline_model: ProbabilisticClassifier,
    evaluation: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Texygen metrics across temperatures for both generators, beside real held-out text.

    ``n_samples`` test windows (half per sentiment) are set aside: the generators are asked
    to write for their conditions, and the real texts are scored the same way. The other test
    windows are the BLEU references; test NLL uses every test window.

    Args:
        generator_mle: The MLE baseline.
        generator_gan: The adversarially fine-tuned generator.
        generation_corpus: From :func:`build_generation_corpus`.
        sentiment_baseline_model: The sentiment pipeline's classifier (label control).
        evaluation: ``n_samples``, ``temperatures``, ``bleu_orders``, ``samples_shown``
            (per model, temperature and sentiment) and ``random_state``.

    Returns:
        ``generation_metrics`` (see
        :func:`movia.evaluation.text_generation.compare_generators`, plus ``corpus`` sizes)
        and the MLflow metric histories.
    """
    n_samples = check_sample_count(evaluation["n_samples"], "evaluation.n_samples")
    test = generation_corpus[generation_corpus["split"] == "test"]
    held, reference_rows = _held_out_split(test, n_samples, evaluation["random_state"])
    generators = {"mle": generator_mle, "gan": generator_gan}
    metrics = compare_generators(
        generators,
        held_out=_columns(held, generator_mle.genres_),
        references=reference_rows["text"].tolist(),
        test=_columns(test, generator_mle.genres_),
        classifier=sentiment_baseline_model,
        temperatures=evaluation["temperatures"],
        orders=evaluation["bleu_orders"],
        samples_shown=evaluation["samples_shown"],
        random_state=evaluation["random_state"],
    )
    metrics["bleu_orders"] = list(evaluation["bleu_orders"])
    metrics["label_classifier"] = type(sentiment_baseline_model).__name__
    metrics["corpus"] = {
        "n_train": int((generation_corpus["split"] == "train").sum()),
        "n_unlabelled": int((generation_corpus["split"] == "unsup").sum()),
        "n_references": len(reference_rows),
        "n_held_out": len(held),
    }
    return metrics, _mlflow_metrics(metrics, generators)


def report_generation(generation_metrics: dict[str, Any]) -> tuple[str, Figure]:
    """The Markdown report and the quality-diversity figure of one evaluation."""
    return (
        build_generation_report(generation_metrics),
        plot_quality_diversity(generation_metrics),
    )


def write_generated_reviews(
    generator_mle: ReviewGenerator,
    generator_gan: ReviewGenerator,
    movies: pd.DataFrame,
    ratings: pd.DataFrame,
    sentiment_baseline_model: ProbabilisticClassifier,
    outputs: dict[str, Any],
) -> pd.DataFrame:
    """AI-written review blurbs for the most-rated movies, one per movie and sentiment.

    Args:
        generator_mle: The MLE generator.
        generator_gan: The GAN generator.
        movies: ``movie_id``, ``title``, ``genres``.
        ratings: ``movie_id`` per rating (popularity decides which movies get blurbs).
        sentiment_baseline_model: Scores the candidates.
        outputs: ``model`` (``mle``/``gan``), ``temperature``, ``n_movies``, ``candidates``
            (best of k by classifier score; 1 = no selection) and ``random_state``.

    Returns:
        See :func:`movia.models.generation.blurbs.write_blurbs`.
    """
    generators = {"mle": generator_mle, "gan": generator_gan}
    if outputs["model"] not in generators:
        raise ConfigError("outputs.model", outputs["model"], list(generators))
    n_movies = check_sample_count(outputs["n_movies"], "outputs.n_movies")
    popular = ratings["movie_id"].value_counts().index[:n_movies]
    chosen = movies.set_index("movie_id").loc[
        [m for m in popular if m in set(movies["movie_id"])]
    ]
    return write_blurbs(
        generators[outputs["model"]],
        sentiment_baseline_model,
        movie_ids=chosen.index.tolist(),
        titles=chosen["title"].tolist(),
        genres=[list(g) for g in chosen["genres"]],
        model_name=outputs["model"],
        temperature=outputs["temperature"],
        candidates=outputs["candidates"],
        random_state=outputs["random_state"],
    )
