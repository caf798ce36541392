"""How well cold start works: held-out users who reveal a few ratings, and EN/ES text requests.

Two honest checks, both on data the cold-start scorer never saw:

- :func:`evaluate_revealed_users`: users removed from training reveal their first ratings
  (liked: rating ≥ ``like_threshold``; disliked: ≤ ``dislike_threshold``; all of them as liked
  when every rating is in between); their remaining
  ratings are the relevant set. The popularity list is the baseline every new visitor gets.
- :func:`evaluate_text_queries`: the same request written in English and in Spanish; a
  recommended film counts as relevant when it has the genre the request is about. Reported per
  language, for the scorer as configured and for text alone (genre signal off), and for raw
  Spanish fed to MiniLM without the lexicon, so the lexicon's contribution is visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from movia.evaluation.columns import ITEM_ID, RATING, SCORE, USER_ID
from movia.evaluation.metrics import evaluate_ranking
from movia.models.recommenders.cold_start import ColdStartRecommender
from movia.models.recommenders.text_query import QueryEncoder


def evaluate_revealed_users(
    cold_start: ColdStartRecommender,
    revealed: pd.DataFrame,
    hidden: pd.DataFrame,
    k: int = 10,
    like_threshold: float = 4.0,
    dislike_threshold: float = 2.0,
    metrics: Iterable[str] = ("ndcg@k", "precision@k", "recall@k", "hit_rate@k"),
    weights: Mapping[str, float] | None = None,
) -> dict[str, dict[str, float]]:
    """Cold-start lists vs the popularity list for held-out users.

    Returns:
        ``{"cold_start": {metric: value}, "popularity": {...}}`` (display metric names), plus
        ``n_users`` in each.
    """
    known = set(cold_start.item_ids_)
    rows_cold, rows_pop = [], []
    popular = pd.DataFrame(
        {ITEM_ID: cold_start.item_ids_, SCORE: cold_start.popularity_}
    )
    usable = revealed[revealed[ITEM_ID].isin(known)]
    for user, mine in usable.groupby(USER_ID, sort=True):
        liked = mine.loc[mine[RATING] >= like_threshold, ITEM_ID].tolist()
        disliked = mine.loc[mine[RATING] <= dislike_threshold, ITEM_ID].tolist()
        if not liked and not disliked:
            liked = mine[
                ITEM_ID
            ].tolist()  # lukewarm ratings: they still chose these films
        recs = cold_start.recommend(liked, disliked, k=k, weights=weights)
        rows_cold.append(recs[[ITEM_ID, SCORE]].assign(**{USER_ID: user}))
        seen = set(mine[ITEM_ID])
        top = popular[~popular[ITEM_ID].isin(seen)].nlargest(k, SCORE)
        rows_pop.append(top.assign(**{USER_ID: user}))
    truth = hidden[hidden[USER_ID].isin(revealed[USER_ID].unique())]
    out = {}
    for name, rows in (("cold_start", rows_cold), ("popularity", rows_pop)):
        recommendations = pd.concat(rows, ignore_index=True)
        report = evaluate_ranking(truth, recommendations, k, metrics)
        report["n_users"] = float(recommendations[USER_ID].nunique())
        out[name] = report
    return out


def genre_precision(
    recommendations: pd.DataFrame,
    genres_by_item: Mapping[object, list[str]],
    genre: str,
) -> float:
    """Share of recommended films that have ``genre``."""
    if recommendations.empty:
        return 0.0
    hits = [genre in genres_by_item.get(item, []) for item in recommendations[ITEM_ID]]
    return float(np.mean(hits))


def evaluate_text_queries(
    cold_start: ColdStartRecommender,
    encoder: QueryEncoder,
    queries: Iterable[Mapping[str, str]],
    genres_by_item: Mapping[object, list[str]],
    k: int = 10,
) -> dict[str, float]:
    """Genre precision@k of text-only requests, per language and variant.

    Args:
        cold_start: Fitted scorer.
        encoder: Text encoder (its lexicon switch is varied here).
        queries: Dicts with ``en``, ``es`` and ``genre`` (the genre the request is about).
        genres_by_item: Item id → genres.
        k: List length.

    Returns:
        ``{"en": ..., "es": ..., "es_without_lexicon": ..., "en_text_only": ...,
        "es_text_only": ..., "n_queries": ...}`` (means over queries).
    """
    raw_encoder = QueryEncoder(encoder.model_name, encoder.word_vectors, False)
    text_only = {"genre": 0.0, "popularity": 0.0, "sentiment": 0.0}
    scores: dict[str, list[float]] = {}
    queries = list(queries)
    for query in queries:
        genre = query["genre"]
        variants = {
            "en": (encoder.encode(query["en"], "en"), None),
            "es": (encoder.encode(query["es"], "es"), None),
            "es_without_lexicon": (raw_encoder.encode(query["es"], "es"), text_only),
            "en_text_only": (encoder.encode(query["en"], "en"), text_only),
            "es_text_only": (encoder.encode(query["es"], "es"), text_only),
        }
        for name, (encoded, weights) in variants.items():
            if name == "es_without_lexicon":
                encoded.genres = []  # raw Spanish: no lexicon, so no genres picked out either
            recs = cold_start.recommend(query=encoded, k=k, weights=weights)
            scores.setdefault(name, []).append(
                genre_precision(recs, genres_by_item, genre)
            )
    report = {name: float(np.mean(values)) for name, values in scores.items()}
    report["n_queries"] = float(len(queries))
    return report


def select_cold_start_weights(
    cold_start: ColdStartRecommender,
    warm: pd.DataFrame,
    items: pd.DataFrame,
    grid: Mapping[str, Iterable[float]],
    holdout: Mapping[str, Any],
    k: int = 10,
    like_threshold: float = 4.0,
    dislike_threshold: float = 2.0,
    metric: str = "ndcg@k",
) -> tuple[dict[str, float], pd.DataFrame]:
    """Choose the rating-driven signal weights (``cf``, ``content``, ``popularity`` ...) on
    validation users held out from the *training* users, so the test cold users stay unseen.

    Args:
        cold_start: Unfitted scorer (its other weights are kept).
        warm: Training interactions of warm users.
        items: Catalogue.
        grid: Signal → candidate weights; every combination is tried.
        holdout: ``fraction``, ``n_revealed``, ``min_test``, ``seed`` for :func:`holdout_users`.

    Returns:
        The best weights and a table of every combination's validation score.
    """
    from sklearn.base import clone
    from sklearn.model_selection import ParameterGrid

    from movia.evaluation.splitters import holdout_users

    rest, revealed, hidden = holdout_users(
        warm,
        fraction=holdout["fraction"],
        n_revealed=holdout["n_revealed"],
        min_test=holdout["min_test"],
        seed=holdout["seed"],
    )
    model = clone(cold_start).fit(rest, items)
    rows, points = [], []
    for weights in ParameterGrid({name: list(values) for name, values in grid.items()}):
        report = evaluate_revealed_users(
            model,
            revealed,
            hidden,
            k,
            like_threshold,
            dislike_threshold,
            [metric],
            weights,
        )["cold_start"]
        value = report[metric.replace("@k", f"@{k}")]
        rows.append({**weights, metric: value})
        points.append(dict(weights))
    table = pd.DataFrame(rows)
    best = points[int(np.argmax(table[metric].to_numpy()))]
    return {name: float(value) for name, value in best.items()}, table
