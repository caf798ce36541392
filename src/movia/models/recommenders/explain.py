"""Why a film was recommended: nearest liked films, shared genres and tags, sentiment, opinions.

Explanations are computed from what the models already hold, never from a second model that
would guess after the fact: similarity between the recommended film and the films the user
liked (MiniLM cosine where both have text, otherwise the CF neighbour weight), genres and user
tags they share, the sentiment pipeline's summary of the film's reviews, and the aspect-opinion
pairs the NLP pipeline extracted from them (when those pipelines have run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from movia.evaluation.columns import ITEM_ID
from movia.models.recommenders.item_features import as_list

MAX_NEAREST = 3
MAX_TAGS = 5
MAX_OPINIONS = 3


@dataclass
class Explainer:
    """Everything needed to explain a recommendation, keyed by catalogue row.

    Attributes:
        item_ids: Catalogue item ids (row order).
        titles: Display title per row.
        genres: Genre list per row.
        tags: Most frequent user tags per row (lower-case).
        embeddings: Unit MiniLM vectors per row (zero rows where absent), or None.
        neighbors: Sparse CF weights (row i → how much liking i raises j), or None.
        sentiment: Item id → sentiment summary dict.
        opinions: Item id → list of opinion-pair dicts, most frequent first.
    """

    item_ids: np.ndarray
    titles: list[str]
    genres: list[list[str]]
    tags: list[list[str]]
    embeddings: np.ndarray | None = None
    neighbors: sp.csr_matrix | None = None
    sentiment: Mapping[object, dict] = field(default_factory=dict)
    opinions: Mapping[object, list[dict]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = pd.Index(self.item_ids)

    def rows(self, item_ids: Iterable[object]) -> np.ndarray:
        rows = self._index.get_indexer(np.asarray(list(item_ids)))
        return rows[rows >= 0]

    def nearest_liked(self, row: int, liked_rows: np.ndarray) -> list[dict]:
        """The liked films most similar to the recommended one, most similar first."""
        if liked_rows.size == 0:
            return []
        similarity = np.zeros(liked_rows.size)
        if self.embeddings is not None:
            similarity = self.embeddings[liked_rows] @ self.embeddings[row]
        if self.neighbors is not None and not np.any(similarity):
            similarity = np.asarray(
                self.neighbors[liked_rows][:, row].todense()
            ).ravel()
        order = np.argsort(-similarity, kind="stable")[:MAX_NEAREST]
        return [
            {
                "movie_id": _plain(self.item_ids[liked_rows[i]]),
                "title": self.titles[liked_rows[i]],
                "similarity": round(float(similarity[i]), 3),
            }
            for i in order
            if similarity[i] > 0
        ]

    def explain(
        self,
        item_id: object,
        liked: Iterable[object] = (),
        requested_genres: Iterable[str] = (),
        signals: Mapping[str, float] | None = None,
    ) -> dict:
        """A JSON-ready explanation of one recommended film.

        Args:
            item_id: The recommended film.
            liked: Films the user liked (history or stated preferences).
            requested_genres: Genres the user asked for (cold start).
            signals: Signal → contribution to the score, when the scorer reports them.
        """
        row = int(self._index.get_loc(item_id))
        liked_rows = self.rows(liked)
        liked_genres = Counter(g for r in liked_rows for g in self.genres[r])
        wanted = set(requested_genres)
        shared_genres = [
            g
            for g in sorted(self.genres[row], key=lambda g: -liked_genres[g])
            if liked_genres[g] or g in wanted
        ]
        liked_tags = {t for r in liked_rows for t in self.tags[r]}
        explanation = {
            "nearest_liked_movies": self.nearest_liked(row, liked_rows),
            "shared_genres": shared_genres,
            "shared_tags": [t for t in self.tags[row] if t in liked_tags][:MAX_TAGS],
            "sentiment": self.sentiment.get(item_id),
            "opinion_pairs": list(self.opinions.get(item_id, []))[:MAX_OPINIONS],
        }
        if signals:
            explanation["signals"] = {
                name: round(float(value), 3) for name, value in signals.items()
            }
        return explanation


def reason_text(explanation: Mapping[str, object], popular: bool = False) -> str:
    """One readable sentence from an explanation dict, for pages that show plain text."""
    parts = []
    nearest = explanation.get("nearest_liked_movies") or []
    if nearest:
        titles = [str(movie["title"]) for movie in nearest[:2]]
        parts.append("Because you liked " + " and ".join(titles))
    elif popular:
        parts.append("Popular with MovieLens users")
    genres = explanation.get("shared_genres") or []
    if genres:
        parts.append("genres you like: " + ", ".join(genres[:3]))
    tags = explanation.get("shared_tags") or []
    if tags:
        parts.append("tagged " + ", ".join(tags[:3]))
    sentiment = explanation.get("sentiment")
    if sentiment:
        parts.append(
            f"reviews {round(100 * sentiment['score'])} % positive "
            f"({sentiment['n_reviews']} reviews)"
        )
    opinions = explanation.get("opinion_pairs") or []
    if opinions:
        pairs = [
            f"{'not ' if o['negated'] else ''}{o['opinion']} {o['aspect']}"
            for o in opinions[:2]
        ]
        parts.append("reviewers mention " + "; ".join(pairs))
    return ("; ".join(parts) + ".") if parts else ""


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def top_tags(
    tags: pd.DataFrame, item_ids: np.ndarray, limit: int = 10
) -> list[list[str]]:
    """Most frequent lower-cased user tags per item, in ``item_ids`` order."""
    per_item: dict[object, list[str]] = {}
    if tags is not None and len(tags):
        cleaned = tags.assign(tag=tags["tag"].astype("string").str.strip().str.lower())
        cleaned = cleaned[cleaned["tag"].fillna("").str.len() > 0]
        counts = cleaned.groupby([ITEM_ID, "tag"]).size().reset_index(name="n")
        counts = counts.sort_values(
            [ITEM_ID, "n", "tag"], ascending=[True, False, True]
        )
        for item, group in counts.groupby(ITEM_ID, sort=False):
            per_item[item] = group["tag"].head(limit).tolist()
    return [per_item.get(item, []) for item in item_ids]


def sentiment_summaries(movie_sentiment: pd.DataFrame | None) -> dict[object, dict]:
    """Item id → ``{score, n_reviews, ci_low, ci_high}`` from the sentiment pipeline."""
    if movie_sentiment is None or movie_sentiment.empty:
        return {}
    out = {}
    for row in movie_sentiment.itertuples(index=False):
        out[_plain(getattr(row, ITEM_ID))] = {
            "score": round(float(row.smoothed_score), 3),
            "n_reviews": int(row.n_reviews),
            "ci_low": round(float(row.ci_low), 3),
            "ci_high": round(float(row.ci_high), 3),
        }
    return out


def opinion_summaries(opinion_pairs: pd.DataFrame | None) -> dict[object, list[dict]]:
    """Item id → most frequent (aspect, opinion) pairs from the NLP pipeline."""
    if opinion_pairs is None or opinion_pairs.empty:
        return {}
    frame = opinion_pairs.sort_values([ITEM_ID, "count"], ascending=[True, False])
    out: dict[object, list[dict]] = {}
    for item, group in frame.groupby(ITEM_ID, sort=False):
        out[_plain(item)] = [
            {
                "aspect": str(r.aspect),
                "opinion": str(r.opinion),
                "negated": bool(getattr(r, "negated", False)),
                "lang": str(getattr(r, "lang", "")),
                "count": int(r.count),
            }
            for r in group.head(MAX_OPINIONS).itertuples(index=False)
        ]
    return out


def genre_lists(items: pd.DataFrame, item_ids: np.ndarray) -> list[list[str]]:
    """Genre list per item in ``item_ids`` order."""
    by_item = dict(zip(items[ITEM_ID], items["genres"], strict=True))
    return [as_list(by_item.get(item)) for item in item_ids]
