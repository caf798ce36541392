"""Nodes of the recommendation pipeline: thin wrappers over ``movia.models.recommenders`` and
``movia.evaluation``.

Flow: ratings → interactions (``movie_id`` becomes ``item_id`` here, once) → train/test split
per user in time, plus held-out cold-start users → item texts and embeddings (MiniLM computed
here, Word2Vec from the NLP pipeline) → choices made on a validation split of train → test
metrics for every model, the hybrid with and without sentiment, cold start → the served model
refitted on every rating → the serving bundle and figures. Nodes return new frames and never
write files themselves; the catalog does.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from movia.analysis.recommendation_figures import (
    plot_cold_start,
    plot_metrics_by_model,
    plot_popularity_bias,
)
from movia.errors import ColumnContractError
from movia.evaluation.columns import ITEM_ID, RATING, TIMESTAMP, USER_ID
from movia.evaluation.comparison import comparison_table, run_model
from movia.evaluation.significance import paired_test
from movia.evaluation.splitters import holdout_users, leave_last_n_out
from movia.models.recommenders import (
    BaseRecommender,
    ColdStartRecommender,
    EASERecommender,
    RecommenderBundle,
)
from movia.models.recommenders.cold_start_evaluation import (
    evaluate_revealed_users,
    evaluate_text_queries,
    select_cold_start_weights,
)
from movia.models.recommenders.item_features import as_list
from movia.models.recommenders.item_text import build_item_texts, vectors_column
from movia.models.recommenders.selection import (
    build_candidates,
    build_hybrid,
    select_recommenders,
)
from movia.models.recommenders.text_query import (
    QueryEncoder,
    WordVectorTable,
    encode_texts,
)

logger = logging.getLogger(__name__)

PURE_CF = ("item_knn", "ease", "als")


def prepare_interactions(
    ratings: pd.DataFrame, movies: pd.DataFrame, data: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ratings in the evaluation contract, and the catalogue the models may recommend.

    Args:
        ratings: Primary ``ratings`` (one row per user and movie).
        movies: Primary ``movies``.
        data: ``max_items`` (keep the N most-rated films; null = all), ``catalogue``
            (``"all"`` films or only ``"rated"`` ones).

    Returns:
        ``interactions`` (``user_id, item_id, rating, timestamp``) and the catalogue movies.
    """
    missing = {"user_id", "movie_id", "rating", "timestamp"} - set(ratings.columns)
    if missing:
        raise ColumnContractError(f"ratings lack {sorted(missing)}", path="ratings")
    frame = ratings.rename(columns={"movie_id": ITEM_ID})[
        [USER_ID, ITEM_ID, RATING, TIMESTAMP]
    ]
    if data.get("max_items"):
        top = frame[ITEM_ID].value_counts().index[: int(data["max_items"])]
        frame = frame[frame[ITEM_ID].isin(top)]
    catalogue = movies
    if data.get("catalogue", "all") == "rated":
        catalogue = movies[movies["movie_id"].isin(frame[ITEM_ID])]
    logger.info(
        "interactions: %d ratings, %d users, %d rated films; catalogue %d films",
        len(frame),
        frame[USER_ID].nunique(),
        frame[ITEM_ID].nunique(),
        len(catalogue),
    )
    return frame.reset_index(drop=True), catalogue.reset_index(drop=True)


def build_item_table(
    catalogue: pd.DataFrame,
    tags: pd.DataFrame,
    reviews: pd.DataFrame,
    movie_sentiment: pd.DataFrame,
    features: dict,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Texts to embed and the item table (metadata + review sentiment) of every catalogue film.

    Returns:
        ``item_texts`` (``item_id, text``) and ``item_table`` (``item_id, title, title_raw,
        year, genres, sentiment``; sentiment is the sentiment pipeline's ``smoothed_score``,
        NA for films without reviews).
    """
    texts = build_item_texts(
        catalogue,
        tags,
        reviews,
        features["review_snippets"],
        features["snippet_chars"],
        features["max_tags"],
    )
    sentiment = movie_sentiment.set_index("movie_id")["smoothed_score"]
    table = pd.DataFrame(
        {
            ITEM_ID: catalogue["movie_id"].to_numpy(),
            "title": catalogue["title"].astype(str).to_numpy(),
            "title_raw": catalogue["title_raw"].astype(str).to_numpy(),
            "year": catalogue["year"].astype("Int64").to_numpy(),
            "genres": [as_list(g) for g in catalogue["genres"]],
            "sentiment": catalogue["movie_id"].map(sentiment).astype(float).to_numpy(),
        }
    )
    logger.info(
        "item table: %d films, %d with review sentiment",
        len(table),
        table["sentiment"].notna().sum(),
    )
    return texts, table


def embed_items(
    item_texts: pd.DataFrame, movie_vectors_word2vec: pd.DataFrame, embeddings: dict
) -> pd.DataFrame:
    """MiniLM embedding of each film's text, beside the NLP pipeline's Word2Vec vector.

    Returns:
        ``item_id, minilm`` (list of float32) ``, word2vec`` (list of float32 or None).
    """
    order = item_texts["text"].str.len().sort_values(ascending=False).index
    vectors = encode_texts(
        item_texts.loc[order, "text"].tolist(),
        embeddings["model"],
        batch_size=embeddings["batch_size"],
        show_progress=embeddings.get("show_progress", False),
        max_seq_length=embeddings.get("max_seq_length"),
    )
    minilm = pd.Series(list(vectors), index=order).reindex(item_texts.index)
    word2vec = movie_vectors_word2vec.set_index("movie_id")["vector"]
    return pd.DataFrame(
        {
            ITEM_ID: item_texts[ITEM_ID].to_numpy(),
            "minilm": [list(map(float, v)) for v in minilm],
            "word2vec": [
                None if not isinstance(v, (list, np.ndarray)) else list(map(float, v))
                for v in item_texts[ITEM_ID].map(word2vec)
            ],
        }
    )


def assemble_items(
    item_table: pd.DataFrame, item_embeddings: pd.DataFrame
) -> pd.DataFrame:
    """The item table with its MiniLM and Word2Vec vectors (as float32 arrays)."""
    merged = item_table.merge(item_embeddings, on=ITEM_ID, how="left")
    merged["minilm"] = vectors_column(merged, "minilm")
    merged["word2vec"] = vectors_column(merged, "word2vec")
    return merged


def split_interactions(
    interactions: pd.DataFrame, split: dict
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Cold-start users out first, then each remaining user's latest ratings as test.

    Returns:
        ``interactions_train``, ``interactions_test`` (warm users), ``cold_start_revealed``
        and ``cold_start_hidden`` (held-out users' first ratings and the rest).
    """
    cold = split["cold_start"]
    warm, revealed, hidden = holdout_users(
        interactions,
        fraction=cold["fraction"],
        n_revealed=cold["n_revealed"],
        min_test=cold["min_test"],
        seed=split["random_state"],
    )
    train, test = leave_last_n_out(
        warm, n=split["test_per_user"], min_train=split["min_train"]
    )
    logger.info(
        "split: train %d, test %d (%d users), cold-start users %d",
        len(train),
        len(test),
        test[USER_ID].nunique(),
        revealed[USER_ID].nunique(),
    )
    return train, test, revealed, hidden


def tune_recommenders(
    interactions_train: pd.DataFrame,
    items: pd.DataFrame,
    tuning: dict,
    split: dict,
    cold_start: dict,
) -> dict[str, Any]:
    """Hyper-parameters, blend weights and cold-start weights, all chosen on validation data
    carved from the training split (validation users for cold start are training users)."""
    choices = select_recommenders(interactions_train, items, tuning)
    holdout = {**split["cold_start"], "seed": split["random_state"] + 1}
    weights, table = select_cold_start_weights(
        _cold_start_estimator(choices, cold_start),
        interactions_train,
        items,
        tuning["cold_start_weights"],
        holdout,
        cold_start["k"],
        cold_start["like_threshold"],
        cold_start["dislike_threshold"],
        tuning["metric"],
    )
    choices["cold_start"] = {
        "weights": weights,
        "validation": float(table[tuning["metric"]].max()),
    }
    logger.info("cold start: chose %s", weights)
    return choices


def evaluate_recommenders(
    interactions_train: pd.DataFrame,
    interactions_test: pd.DataFrame,
    items: pd.DataFrame,
    recommender_choices: dict,
    evaluation: dict,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict[str, Any]]:
    """Every model on the test split: accuracy, beyond-accuracy, timings, significance.

    Returns:
        The long metrics table (``model, metric, value``), each model's top-k lists (for the
        figures) and paired tests of the hybrid against the best pure-CF model and against
        itself without sentiment.
    """
    k = evaluation["k"]
    models: dict[str, BaseRecommender] = build_candidates(recommender_choices, items)
    models["hybrid_without_sentiment"] = build_hybrid(recommender_choices, items, False)
    models["hybrid"] = build_hybrid(recommender_choices, items, True)
    vectors = {
        item: vector
        for item, vector in zip(items[ITEM_ID], items["minilm"], strict=True)
        if vector is not None
    }
    runs = [
        run_model(name, model, interactions_train, interactions_test, k=k, items=items,
                  metrics=evaluation["metrics"], catalogue_size=len(items), item_vectors=vectors)
        for name, model in models.items()
    ]  # fmt: skip
    by_name = {run.name: run for run in runs}
    key = f"ndcg@{k}"
    best_cf = max(PURE_CF, key=lambda name: by_name[name].metrics[key])
    tests = {
        "best_pure_cf": best_cf,
        "hybrid_vs_best_pure_cf": paired_test(
            by_name["hybrid"].per_user[key], by_name[best_cf].per_user[key]
        ),
        "hybrid_vs_without_sentiment": paired_test(
            by_name["hybrid"].per_user[key],
            by_name["hybrid_without_sentiment"].per_user[key],
        ),
    }
    return (
        comparison_table(runs),
        {run.name: run.recommendations for run in runs},
        tests,
    )


def _cold_start_estimator(choices: dict, cold_start: dict) -> ColdStartRecommender:
    """The unfitted cold-start scorer: EASE as chosen, weights from parameters and tuning."""
    weights = {
        **cold_start["weights"],
        **choices.get("cold_start", {}).get("weights", {}),
    }
    return ColdStartRecommender(
        cf=EASERecommender(**choices["ease"]),
        n_neighbors=cold_start["n_neighbors"],
        weights=weights,
        embedding_column="minilm",
        word_embedding_column="word2vec",
    )


def _cold_start_model(
    interactions: pd.DataFrame, items: pd.DataFrame, choices: dict, cold_start: dict
) -> ColdStartRecommender:
    return _cold_start_estimator(choices, cold_start).fit(interactions, items)


def _word_vectors(word2vec_model: Any, max_words: int) -> WordVectorTable | None:
    """The most frequent words of the NLP pipeline's Word2Vec (gensim ``wv``), if any."""
    wv = getattr(word2vec_model, "wv", None)
    return None if wv is None else WordVectorTable.from_keyed_vectors(wv, max_words)


def evaluate_cold_start(
    interactions_train: pd.DataFrame,
    interactions_test: pd.DataFrame,
    cold_start_revealed: pd.DataFrame,
    cold_start_hidden: pd.DataFrame,
    items: pd.DataFrame,
    word2vec_model: Any,
    recommender_choices: dict,
    cold_start: dict,
    embeddings: dict,
) -> pd.DataFrame:
    """Cold start for held-out users (vs popularity) and for EN/ES text requests.

    The scorer learns from every warm user's ratings (train and test: the held-out users are
    disjoint from them), as it would in production.
    """
    warm = pd.concat([interactions_train, interactions_test], ignore_index=True)
    model = _cold_start_model(warm, items, recommender_choices, cold_start)
    k = cold_start["k"]
    users = evaluate_revealed_users(
        model,
        cold_start_revealed,
        cold_start_hidden,
        k,
        cold_start["like_threshold"],
        cold_start["dislike_threshold"],
    )
    encoder = QueryEncoder(
        embeddings["model"], _word_vectors(word2vec_model, cold_start["max_words"])
    )
    genres = dict(zip(items[ITEM_ID], items["genres"], strict=True))
    text = evaluate_text_queries(
        model, encoder, cold_start["language_queries"], genres, k
    )
    rows = [
        {"model": "cold_start" if name == "cold_start" else "cold_start_popularity",
         "metric": metric, "value": value}
        for name, report in users.items()
        for metric, value in report.items()
    ]  # fmt: skip
    rows += [
        {"model": "cold_start_text", "metric": m, "value": v} for m, v in text.items()
    ]
    return pd.DataFrame(rows, columns=["model", "metric", "value"])


def report_recommendation_metrics(
    ranking_metrics: pd.DataFrame,
    cold_start_metrics: pd.DataFrame,
    significance: dict,
    recommender_choices: dict,
    evaluation: dict,
) -> tuple[pd.DataFrame, dict, dict]:
    """One metrics table, a summary of the headline comparisons, and the MLflow metrics.

    Returns:
        ``recommendation_metrics`` (``model, metric, value``), ``recommendation_summary``
        (hybrid gain over the best pure-CF model, with vs without sentiment, cold start, chosen
        parameters) and the MLflow metrics dict (``model.metric`` → value).
    """
    table = pd.concat([ranking_metrics, cold_start_metrics], ignore_index=True)
    key = f"ndcg@{evaluation['k']}"
    value = table.set_index(["model", "metric"])["value"]
    best_cf = significance["best_pure_cf"]
    summary = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "metric": key,
        "hybrid": float(value["hybrid", key]),
        "hybrid_without_sentiment": float(value["hybrid_without_sentiment", key]),
        "best_pure_cf": best_cf,
        "best_pure_cf_value": float(value[best_cf, key]),
        "hybrid_gain_over_best_pure_cf": float(
            value["hybrid", key] - value[best_cf, key]
        ),
        "sentiment_gain": float(
            value["hybrid", key] - value["hybrid_without_sentiment", key]
        ),
        "served": recommender_choices.get("hybrid", {}).get("served"),
        "significance": {k: v for k, v in significance.items() if k != "best_pure_cf"},
        "cold_start": {
            f"{model}/{metric}": float(v)
            for (model, metric), v in value.items()
            if model.startswith("cold_start")
        },
        "choices": recommender_choices,
    }
    mlflow_metrics = {
        f"{model}.{metric}".replace("@", "_at_"): {"value": float(v), "step": 0}
        for (model, metric), v in value.items()
        if np.isfinite(v)
    }
    return table, summary, mlflow_metrics


def train_recommender(
    interactions: pd.DataFrame,
    items: pd.DataFrame,
    recommender_choices: dict,
    training: dict,
) -> BaseRecommender:
    """The served hybrid (with or without sentiment, whichever won on validation), refitted
    on every rating."""
    model = build_hybrid(
        recommender_choices, items, None, training.get("tensorboard_dir")
    )
    return model.fit(interactions, items)


def build_recommendation_artifact(
    recommender: BaseRecommender,
    interactions: pd.DataFrame,
    items: pd.DataFrame,
    tags: pd.DataFrame,
    movie_sentiment: pd.DataFrame,
    opinion_pairs: pd.DataFrame,
    word2vec_model: Any,
    recommender_choices: dict,
    recommendation_summary: dict,
    cold_start: dict,
    embeddings: dict,
    artifact: dict,
) -> RecommenderBundle:
    """The serving bundle: recommender, cold-start model and what explanations need, in one file."""
    cold = _cold_start_model(interactions, items, recommender_choices, cold_start)
    bundle = RecommenderBundle.build(
        recommender,
        cold,
        items,
        interactions,
        tags=tags.rename(columns={"movie_id": ITEM_ID}),
        movie_sentiment=movie_sentiment.rename(columns={"movie_id": ITEM_ID}),
        opinion_pairs=opinion_pairs.rename(columns={"movie_id": ITEM_ID}),
        encoder=QueryEncoder(
            embeddings["model"], _word_vectors(word2vec_model, cold_start["max_words"])
        ),
        max_k=artifact["max_k"],
        metadata={
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "choices": recommender_choices,
            "test_metrics": {
                k: v for k, v in recommendation_summary.items() if k not in ("choices",)
            },
        },
    )
    return bundle


def plot_recommendation_figures(
    recommendation_metrics: pd.DataFrame,
    recommendation_lists: dict[str, pd.DataFrame],
    interactions_train: pd.DataFrame,
    evaluation: dict,
) -> dict[str, Figure]:
    """Metric-by-model bars, popularity bias of recommendations, cold start."""
    k = evaluation["k"]
    ranking = recommendation_metrics[
        ~recommendation_metrics["model"].str.startswith("cold_start")
    ]
    names = (f"ndcg@{k}", "map", f"precision@{k}", f"recall@{k}")
    shown = {
        name: frame
        for name, frame in recommendation_lists.items()
        if name in ("popularity", "ease", "als", "content_minilm", "hybrid")
    }
    return {
        "metrics_by_model.png": plot_metrics_by_model(ranking, names),
        "popularity_bias.png": plot_popularity_bias(shown, interactions_train, k),
        "cold_start.png": plot_cold_start(recommendation_metrics),
    }
