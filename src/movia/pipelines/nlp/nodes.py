"""Nodes of the nlp pipeline: reviews → NLTK tokens, spaCy annotations, opinion pairs,
Word2Vec and the NLTK-vs-spaCy comparison report.

Nodes unpack their parameter block, call :mod:`movia.text` and :mod:`movia.analysis`, and
return new frames; they never open files (the catalog does) and never edit their inputs.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from movia.analysis.nlp_comparison import compare_language, sample_texts
from movia.analysis.nlp_report import plot_comparison, render_markdown, report_metrics
from movia.analysis.word2vec_checks import genre_neighbour_overlap, similarity_probes
from movia.errors import ColumnContractError, ConfigError
from movia.text.conllu import parse_conllu
from movia.text.failures import ItemFailure, check_failure_rate
from movia.text.nltk_processing import NltkOptions, process_texts
from movia.text.opinions import (
    METHOD_DEPENDENCY,
    METHOD_PATTERN,
    dependency_opinions,
    pattern_opinions,
)
from movia.text.parser_evaluation import evaluate_parser
from movia.text.spacy_annotation import ANNOTATION_COLUMNS, annotate_texts
from movia.text.spacy_pipelines import load_spacy_pipeline, model_meta
from movia.text.stopwords import stop_words
from movia.text.word2vec import Word2VecEmbedder, document_vectors

logger = logging.getLogger(__name__)

REVIEW_TOKEN_COLUMNS = [
    "review_id",
    "movie_id",
    "lang",
    "tokens",
    "content",
    "stems",
    "n_sentences",
    "error",
]
OPINION_COLUMNS = [
    "movie_id",
    "lang",
    "aspect",
    "opinion",
    "negated",
    "count",
    "n_reviews",
    "method",
]


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnContractError(f"missing columns {missing}", path=name)


def _errors(ids: pd.Series, failures: list[ItemFailure]) -> pd.Series:
    by_id = {f.item_id: f.error for f in failures}
    return pd.Series([by_id.get(str(i)) for i in ids], index=ids.index, dtype="string")


def tokenize_reviews(reviews: pd.DataFrame, options: dict) -> pd.DataFrame:
    """NLTK tokens, content tokens (stop words out, negations kept) and stems of every review.

    Args:
        options: ``nltk`` (see :class:`~movia.text.nltk_processing.NltkOptions`),
            ``n_process``, ``chunk_size``, ``max_failure_rate``.

    Returns:
        One row per review: ``review_id``, ``movie_id``, ``lang``, ``tokens``, ``content``,
        ``stems`` (lists of str), ``n_sentences`` and ``error`` (NA unless the review failed,
        in which case its lists are empty).
    """
    _require(reviews, ["review_id", "movie_id", "lang", "text"], "reviews")
    results, failures = process_texts(
        reviews["review_id"].tolist(),
        reviews["text"].tolist(),
        reviews["lang"].tolist(),
        NltkOptions.from_dict(options.get("nltk")),
        n_process=int(options.get("n_process", 1)),
        chunk_size=int(options.get("chunk_size", 500)),
    )
    check_failure_rate(
        failures, len(reviews), float(options.get("max_failure_rate", 0.01)), "NLTK"
    )
    tokens = pd.DataFrame(
        {
            "review_id": reviews["review_id"].to_numpy(),
            "movie_id": reviews["movie_id"].to_numpy(),
            "lang": reviews["lang"].to_numpy(),
            "tokens": [r.tokens for r in results],
            "content": [r.content for r in results],
            "stems": [r.stems for r in results],
            "n_sentences": np.array([r.n_sentences for r in results], dtype="int32"),
            "error": _errors(reviews["review_id"], failures).to_numpy(),
        }
    )
    tokens["movie_id"] = tokens["movie_id"].astype("Int64")
    logger.info(
        "NLTK: %d reviews, %d tokens, %d content tokens, %d failures",
        len(tokens),
        sum(map(len, tokens["tokens"])),
        sum(map(len, tokens["content"])),
        len(failures),
    )
    return tokens[REVIEW_TOKEN_COLUMNS]


def _select_for_spacy(reviews: pd.DataFrame, options: dict) -> pd.DataFrame:
    """Every Spanish review (or a sample) and a sample of English ones, linked movies first.

    English reviews joined to a movie come first because only they can explain a
    recommendation; the rest fill the sample if it is larger.
    """
    seed = int(options.get("random_state", 42))
    parts = []
    for lang, size in options.get("sample", {"es": None, "en": 1000}).items():
        pool = reviews[reviews["lang"] == lang]
        pool = pool.sample(frac=1.0, random_state=seed)
        if options.get("prefer_linked", True):
            pool = pool.sort_values("movie_id", key=lambda s: s.isna(), kind="stable")
        parts.append(pool if size is None else pool.head(int(size)))
    return pd.concat(parts).sort_index()


def annotate_reviews(reviews: pd.DataFrame, options: dict) -> pd.DataFrame:
    """spaCy annotations (lemmas, POS, morphology, dependencies, entities) of sampled reviews.

    Args:
        options: ``models`` ({lang: [package names in preference order]}), ``sample``
            ({lang: int or null}), ``prefer_linked``, ``random_state``, ``batch_size``,
            ``n_process``, ``max_chars``, ``chunk_size``, ``max_failure_rate``.

    Returns:
        One row per annotated review: ``review_id``, ``movie_id``, ``lang``, ``pipeline``
        (which spaCy pipeline produced it), the list columns of
        :data:`~movia.text.spacy_annotation.ANNOTATION_COLUMNS`, ``error`` and ``truncated``
        (the text was cut to ``max_chars`` first).
    """
    _require(reviews, ["review_id", "movie_id", "lang", "text"], "reviews")
    selected = _select_for_spacy(reviews, options)
    frames, failures, truncated = [], [], []
    for lang, group in selected.groupby("lang", sort=True):
        pipeline = load_spacy_pipeline(
            lang, tuple(options.get("models", {}).get(lang, ()))
        )
        batch = annotate_texts(
            pipeline.nlp,
            group["review_id"].tolist(),
            group["text"].tolist(),
            batch_size=int(options.get("batch_size", 64)),
            n_process=int(options.get("n_process", 1)),
            max_chars=int(options.get("max_chars", 20_000)),
            chunk_size=int(options.get("chunk_size", 1_000)),
            desc=f"spaCy {lang}",
        )
        failures += batch.failures
        truncated += batch.truncated
        frame = pd.DataFrame(
            {
                "review_id": group["review_id"].to_numpy(),
                "movie_id": group["movie_id"].to_numpy(),
                "lang": lang,
                "pipeline": pipeline.name,
                **batch.columns,
                "error": _errors(group["review_id"], batch.failures).to_numpy(),
                "truncated": group["review_id"].isin(batch.truncated).to_numpy(),
            }
        )
        frames.append(frame)
        logger.info(
            "spaCy %s (%s): %d reviews, %d words",
            lang,
            pipeline.name,
            len(group),
            batch.words,
        )
    check_failure_rate(
        failures, len(selected), float(options.get("max_failure_rate", 0.01)), "spaCy"
    )
    if truncated:
        logger.warning(
            "spaCy: %d reviews longer than max_chars were truncated: %s",
            len(truncated),
            truncated[:10],
        )
    annotations = pd.concat(frames, ignore_index=True)
    annotations["movie_id"] = annotations["movie_id"].astype("Int64")
    columns = [
        "review_id",
        "movie_id",
        "lang",
        "pipeline",
        *ANNOTATION_COLUMNS,
        "error",
        "truncated",
    ]
    return annotations[columns]


def extract_opinion_pairs(
    spacy_annotations: pd.DataFrame, options: dict
) -> pd.DataFrame:
    """(aspect, opinion) pairs of each movie's annotated reviews, counted.

    Parsed reviews use dependency patterns; reviews from a pipeline without a parser use word
    order over a POS lexicon (see :mod:`movia.text.opinions`); ``method`` says which.

    Args:
        options: ``max_pairs_per_movie`` (the most frequent are kept).

    Returns:
        ``movie_id``, ``lang``, ``aspect``, ``opinion``, ``negated``, ``count`` (occurrences),
        ``n_reviews`` (reviews with the pair) and ``method``, most frequent first per movie.
    """
    linked = spacy_annotations[spacy_annotations["movie_id"].notna()]
    rows = []
    for record in linked.itertuples(index=False):
        dep = list(record.dep)
        if any(dep):
            pairs, method = (
                dependency_opinions(
                    list(record.lemmas),
                    list(record.pos),
                    dep,
                    list(record.heads),
                    record.lang,
                ),
                METHOD_DEPENDENCY,
            )
        else:
            stop = stop_words(record.lang, "nltk")
            pairs = pattern_opinions(
                list(record.tokens), list(record.lemmas), record.lang, stop
            )
            method = METHOD_PATTERN
        rows += [
            (
                record.movie_id,
                record.lang,
                p.aspect,
                p.opinion,
                p.negated,
                record.review_id,
                method,
            )
            for p in pairs
        ]
    found = pd.DataFrame(
        rows,
        columns=[
            "movie_id",
            "lang",
            "aspect",
            "opinion",
            "negated",
            "review_id",
            "method",
        ],
    )
    keys = ["movie_id", "lang", "aspect", "opinion", "negated", "method"]
    pairs = (
        found.groupby(keys, sort=False)
        .agg(count=("review_id", "size"), n_reviews=("review_id", "nunique"))
        .reset_index()
        .sort_values(
            ["movie_id", "count", "aspect", "opinion"],
            ascending=[True, False, True, True],
        )
    )
    limit = options.get("max_pairs_per_movie")
    if limit is not None:
        pairs = pairs.groupby("movie_id", sort=False).head(int(limit))
    pairs = pairs.astype({"movie_id": "int64", "count": "int64", "n_reviews": "int64"})
    logger.info(
        "opinion pairs: %d over %d movies", len(pairs), pairs["movie_id"].nunique()
    )
    return pairs.reset_index(drop=True)[OPINION_COLUMNS]


def build_text_documents(
    review_tokens: pd.DataFrame, tags: pd.DataFrame, movies: pd.DataFrame, options: dict
) -> pd.DataFrame:
    """The Word2Vec corpus: every review's content tokens, each movie's tags and overview.

    Tags and overviews (English) go through the same NLTK processing as reviews, so a word
    is spelled the same wherever it comes from.

    Returns:
        ``movie_id`` (NA for reviews of movies outside MovieLens), ``source`` (review, tags,
        overview), ``lang`` and ``tokens``.
    """
    reviews = review_tokens[["movie_id", "lang", "content"]].rename(
        columns={"content": "tokens"}
    )
    reviews = reviews.assign(source="review")
    tag_text = tags.groupby("movie_id")["tag"].agg(lambda t: ". ".join(map(str, t)))
    overview = movies.set_index("movie_id")[["overview", "tagline"]]
    overview_text = (
        overview["overview"].fillna("") + " " + overview["tagline"].fillna("")
    ).str.strip()
    overview_text = overview_text[overview_text != ""]
    extra = pd.concat(
        [
            pd.DataFrame(
                {"movie_id": tag_text.index, "source": "tags", "text": tag_text.values}
            ),
            pd.DataFrame(
                {
                    "movie_id": overview_text.index,
                    "source": "overview",
                    "text": overview_text.values,
                }
            ),
        ],
        ignore_index=True,
    )
    results, failures = process_texts(
        [f"{s}_{m}" for s, m in zip(extra["source"], extra["movie_id"], strict=True)],
        extra["text"].tolist(),
        ["en"] * len(extra),
        NltkOptions.from_dict(options.get("nltk")),
    )
    check_failure_rate(failures, len(extra), 0.01, "NLTK tags/overviews")
    extra = extra.drop(columns="text").assign(
        lang="en", tokens=[r.content for r in results]
    )
    documents = pd.concat([reviews, extra], ignore_index=True)
    documents["movie_id"] = documents["movie_id"].astype("Int64")
    return documents[["movie_id", "source", "lang", "tokens"]]


def train_word2vec(text_documents: pd.DataFrame, options: dict):  # noqa: ANN201 - gensim
    """Train Word2Vec on every document (see :class:`~movia.text.word2vec.Word2VecEmbedder`).

    Args:
        options: The embedder's hyper-parameters (``vector_size``, ``window``, ``min_count``,
            ``epochs``, ``sg``, ``negative``, ``sample``, ``workers``, ``random_state``,
            ``tensorboard_dir``).

    Returns:
        The trained ``gensim.models.Word2Vec``.
    """
    embedder = Word2VecEmbedder(**options).fit(text_documents["tokens"].tolist())
    model = embedder.model_
    model.movia_loss_history = (
        embedder.loss_history_
    )  # kept with the model for the report
    return model


def build_movie_vectors(word2vec_model, text_documents: pd.DataFrame) -> pd.DataFrame:  # noqa: ANN001
    """Mean Word2Vec vector of each movie's documents (reviews, tags, overview).

    Returns:
        ``movie_id`` and ``vector`` (list of float32), for every movie with at least one
        in-vocabulary word.
    """
    linked = text_documents[text_documents["movie_id"].notna()]
    vectors, known = document_vectors(word2vec_model.wv, linked["tokens"])
    frame = pd.DataFrame(vectors[known]).assign(
        movie_id=linked["movie_id"].to_numpy()[known]
    )
    means = frame.groupby("movie_id", sort=True).mean().astype("float32")
    return pd.DataFrame(
        {
            "movie_id": means.index.astype("int64"),
            "vector": [row for row in means.to_numpy()],
        }
    )


def check_word2vec(
    word2vec_model,
    movie_vectors_word2vec: pd.DataFrame,
    movies: pd.DataFrame,
    options: dict,  # noqa: ANN001
) -> dict:
    """Genre overlap of nearest neighbours vs random, and similarity probes.

    Args:
        options: ``k``, ``min_lift``, ``probes`` (list of {lang, word, similar, dissimilar}).
    """
    genre = genre_neighbour_overlap(
        movie_vectors_word2vec,
        movies,
        k=int(options.get("k", 10)),
        min_lift=float(options.get("min_lift", 1.2)),
    )
    if not genre["passed"]:
        logger.warning("word2vec genre-neighbour check FAILED: %s", genre)
    probes = similarity_probes(word2vec_model.wv, options.get("probes", []))
    return {
        "vocabulary": len(word2vec_model.wv),
        "documents": int(word2vec_model.corpus_count),
        "epochs": int(word2vec_model.epochs),
        "loss": [float(x) for x in getattr(word2vec_model, "movia_loss_history", [])],
        "genre_overlap": genre,
        "probes": probes,
    }


def evaluate_spanish_parser(
    ud_spanish_gsd_dev: str,
    ud_spanish_gsd_test: str,
    ud_spanish_pud_test: str,
    ud_spanish_coser_test: str,
    options: dict,
) -> dict:
    """UPOS, UAS and LAS of the Spanish pipeline on the UD test sets, beside its meta.json.

    Args:
        options: ``models`` (Spanish package names in preference order), ``treebanks`` (which
            of the four to score; GSD dev is extra data, the test sets are the figures),
            ``max_sentences`` per treebank (null: all), ``batch_size``, ``notes``.
    """
    pipeline = load_spacy_pipeline("es", tuple(options.get("models", ())))
    limit = options.get("max_sentences")
    treebanks = {
        "GSD dev": ud_spanish_gsd_dev,
        "GSD test": ud_spanish_gsd_test,
        "PUD test": ud_spanish_pud_test,
        "COSER test": ud_spanish_coser_test,
    }
    chosen = options.get("treebanks") or list(treebanks)
    unknown = sorted(set(chosen) - set(treebanks))
    if unknown:
        raise ConfigError("parser_evaluation.treebanks", unknown[0], treebanks)
    scores = {
        name: evaluate_parser(
            pipeline.nlp,
            parse_conllu(text, name, None if limit is None else int(limit)),
            batch_size=int(options.get("batch_size", 64)),
        )
        for name, text in treebanks.items()
        if name in chosen
    }
    return {
        "pipeline": pipeline.name,
        "degraded": pipeline.degraded,
        "meta": model_meta(pipeline),
        "treebanks": scores,
        "notes": options.get("notes", []),
    }


def compare_nlp_tools(
    reviews: pd.DataFrame,
    review_tokens: pd.DataFrame,
    spacy_annotations: pd.DataFrame,
    opinion_pairs: pd.DataFrame,
    spanish_parser_scores: dict,
    word2vec_checks: dict,
    options: dict,
) -> dict:
    """The comparison report (JSON-ready): per-language NLTK vs spaCy, parser, opinions,
    Word2Vec checks and failures.

    Args:
        options: ``sample_size`` (reviews per language), ``random_state``, ``nltk``,
            ``models`` ({lang: [...]}), ``examples``.
    """
    nltk_options = NltkOptions.from_dict(options.get("nltk"))
    languages = {}
    degraded_reasons = []
    for lang in sorted(reviews["lang"].unique()):
        texts = sample_texts(
            reviews.loc[reviews["lang"] == lang, "text"].tolist(),
            options.get("sample_size"),
            int(options.get("random_state", 42)),
        )
        pipeline = load_spacy_pipeline(
            lang, tuple(options.get("models", {}).get(lang, ()))
        )
        if pipeline.degraded:
            degraded_reasons.append(
                f"{lang}: no trained spaCy pipeline, used {pipeline.name}"
            )
        languages[lang] = compare_language(
            texts,
            lang,
            pipeline,
            nltk_options,
            examples=int(options.get("examples", 8)),
        )
    failures = {
        "nltk": [
            {"item_id": r, "error": e}
            for r, e in review_tokens.loc[
                review_tokens["error"].notna(), ["review_id", "error"]
            ].itertuples(index=False)
        ],
        "spacy": [
            {"item_id": r, "error": e}
            for r, e in spacy_annotations.loc[
                spacy_annotations["error"].notna(), ["review_id", "error"]
            ].itertuples(index=False)
        ],
        "spacy_truncated": int(spacy_annotations["truncated"].sum()),
    }
    top = (
        opinion_pairs.groupby(["aspect", "opinion", "negated"])["count"]
        .sum()
        .nlargest(10)
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": [round(x, 2) for x in load],
        "cpu_count": os.cpu_count(),
        "degraded": bool(degraded_reasons),
        "degraded_reasons": degraded_reasons,
        "corpus": {
            "reviews": int(len(review_tokens)),
            "tokens": int(review_tokens["tokens"].map(len).sum()),
            "spacy_annotated": spacy_annotations.groupby("lang")
            .size()
            .astype(int)
            .to_dict(),
        },
        "languages": languages,
        "spanish_parser": spanish_parser_scores,
        "opinions": {
            "pairs": int(len(opinion_pairs)),
            "movies": int(opinion_pairs["movie_id"].nunique()),
            "methods": opinion_pairs["method"].value_counts().astype(int).to_dict(),
            "top": [
                f"{aspect} → {'not ' if negated else ''}{opinion} ({count})"
                for (aspect, opinion, negated), count in top.items()
            ],
        },
        "word2vec": word2vec_checks,
        "failures": failures,
    }


def render_nlp_comparison(
    nlp_comparison_report: dict,
) -> tuple[str, object, dict]:
    """Markdown, figure and MLflow metrics of the report (all from the same dict)."""
    return (
        render_markdown(nlp_comparison_report),
        plot_comparison(nlp_comparison_report),
        report_metrics(nlp_comparison_report),
    )
