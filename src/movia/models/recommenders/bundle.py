"""The serving artifact: everything a request needs, precomputed, loadable without Kedro.

``RecommenderBundle`` is what the recommendation pipeline saves as ``recommendation_artifact``
and what the deployment code serves. Known users get their precomputed top lists (the fitted
hybrid's, with and without films they have seen), so a request is a lookup plus explanations
(≤ 5 ms). Visitors without history go through the cold-start scorer (≤ 50 ms with text, most
of it one MiniLM forward pass). Every answer is a list of JSON-ready dicts::

    {
        "movie_id": 2571,
        "title": "The Matrix",
        "year": 1999,
        "genres": [...],
        "score": 3.1,
        "explanation": {
            "nearest_liked_movies": [...],
            "shared_genres": [...],
            "shared_tags": [...],
            "sentiment": {...} | None,
            "opinion_pairs": [...],
        },
    }

Errors: unknown titles raise :class:`~movia.errors.UnknownIdError` with suggestions; ``k``
outside ``1..max_k`` raises :class:`~movia.errors.ConfigError`; an unknown user gets the most
popular films (logged at WARNING), as documented in docs/recommendation.md.

``save(folder)`` writes ``bundle.pkl`` (tagged with a format version) and a readable
``manifest.json``; ``load`` reads such a folder, a plain pickle, or a Kedro versioned folder
(latest version).
"""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from movia.errors import ConfigError, DataError, UnknownIdError
from movia.evaluation.columns import ITEM_ID, RATING, USER_ID
from movia.models.recommenders.base import BaseRecommender
from movia.models.recommenders.cold_start import ColdStartRecommender
from movia.models.recommenders.explain import (
    Explainer,
    genre_lists,
    opinion_summaries,
    reason_text,
    sentiment_summaries,
    top_tags,
)
from movia.models.recommenders.spanish_lexicon import GENRES_ES, strip_accents
from movia.models.recommenders.text_query import QueryEncoder, load_sentence_model
from movia.models.recommenders.titles_index import TitleIndex, build_title_index

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
BUNDLE_FILE = "bundle.pkl"
MANIFEST_FILE = "manifest.json"
MAX_LIKED_FOR_EXPLANATIONS = 30


@dataclass
class RecommenderBundle:
    """Precomputed recommendations, cold-start scorer, title index and explanations.

    Build it with :meth:`build`; the fields are its saved state.
    """

    movies: pd.DataFrame
    user_ids: np.ndarray
    top_unseen: np.ndarray
    top_unseen_scores: np.ndarray
    top_all: np.ndarray
    top_all_scores: np.ndarray
    liked_rows: list[np.ndarray]
    popular_rows: np.ndarray
    cold_start: ColdStartRecommender
    explainer: Explainer
    titles: TitleIndex
    encoder: QueryEncoder
    max_k: int = 100
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._user_index = pd.Index(self.user_ids)
        self._item_index = pd.Index(self.movies[ITEM_ID].to_numpy())

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        recommender: BaseRecommender,
        cold_start: ColdStartRecommender,
        items: pd.DataFrame,
        interactions: pd.DataFrame,
        tags: pd.DataFrame | None = None,
        movie_sentiment: pd.DataFrame | None = None,
        opinion_pairs: pd.DataFrame | None = None,
        encoder: QueryEncoder | None = None,
        max_k: int = 100,
        metadata: Mapping[str, Any] | None = None,
    ) -> RecommenderBundle:
        """Precompute everything from a fitted recommender and cold-start scorer.

        Args:
            recommender: Fitted on ``interactions`` (the served model, e.g. the hybrid).
            cold_start: Fitted on the same data.
            items: Catalogue: ``item_id, title, year, genres`` (+ ``title_raw``).
            interactions: Evaluation-contract frame the models were fitted on.
            tags: ``item_id, tag`` user tags (for shared-tag explanations).
            movie_sentiment: ``item_id, n_reviews, smoothed_score, ci_low, ci_high``.
            opinion_pairs: ``item_id, aspect, opinion, count`` (+ ``negated``, ``lang``).
            encoder: Text encoder for free-text requests.
            max_k: Longest list served (and precomputed).
            metadata: Free-form facts recorded in the bundle (parameters, metrics, dates).
        """
        if not np.array_equal(recommender.item_ids_, cold_start.item_ids_):
            raise DataError(
                "recommender and cold-start scorer index different catalogues"
            )
        item_ids = recommender.item_ids_
        movies = (
            items.drop_duplicates(ITEM_ID)
            .set_index(ITEM_ID)
            .reindex(item_ids)
            .reset_index()
        )
        missing = movies["title"].isna().to_numpy()
        if missing.any():
            raise DataError(
                f"{int(missing.sum())} catalogue item(s) lack a title, e.g. "
                f"{item_ids[np.flatnonzero(missing)[0]]}",
                path="items",
                field="title",
            )
        movies = movies[
            [
                c
                for c in (ITEM_ID, "title", "title_raw", "year", "genres")
                if c in movies
            ]
        ]
        movies["genres"] = genre_lists(items, item_ids)
        max_k = min(max_k, len(item_ids))
        users = recommender.user_ids_
        top_unseen, unseen_scores = _top_matrix(recommender, users, max_k, True)
        top_all, all_scores = _top_matrix(recommender, users, max_k, False)
        explainer = Explainer(
            item_ids=item_ids,
            titles=movies["title"].astype(str).tolist(),
            genres=movies["genres"].tolist(),
            tags=top_tags(tags, item_ids),
            embeddings=cold_start.embeddings_,
            neighbors=cold_start.neighbors_,
            sentiment=sentiment_summaries(movie_sentiment),
            opinions=opinion_summaries(opinion_pairs),
        )
        return cls(
            movies=movies,
            user_ids=users,
            top_unseen=top_unseen,
            top_unseen_scores=unseen_scores,
            top_all=top_all,
            top_all_scores=all_scores,
            liked_rows=_liked_rows(interactions, users, pd.Index(item_ids)),
            popular_rows=np.argsort(-recommender.item_popularity_, kind="stable")[
                :max_k
            ],
            cold_start=cold_start,
            explainer=explainer,
            titles=build_title_index(movies, recommender.item_popularity_),
            encoder=encoder or QueryEncoder(),
            max_k=max_k,
            metadata=dict(metadata or {}),
        )

    # --- persistence ------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the bundle into the folder ``path``: ``bundle.pkl`` and ``manifest.json``.

        A folder (not a single file) is what the deployment packaging copies into
        ``model.tar.gz`` under ``recommendation/``; the manifest says what is inside without
        unpickling anything.
        """
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / BUNDLE_FILE).open("wb") as handle:
            pickle.dump(
                {"format_version": FORMAT_VERSION, "bundle": self},
                handle,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        manifest = {
            "format_version": FORMAT_VERSION,
            "n_items": self.n_items,
            "n_users": len(self.user_ids),
            "max_k": self.max_k,
            "genres": self.genres,
            "sentence_model": self.encoder.model_name,
            "metadata": self.metadata,
        }
        (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, default=str))

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Read a bundle from a :meth:`save` folder, a pickle file, or a Kedro versioned folder.

        Kedro's ``pickle.PickleDataset`` writes ``<name>.pkl/<version>/<name>.pkl`` holding the
        object itself; the latest version is read. Only load bundles you built: unpickling
        runs code.

        Raises:
            DataError: Nothing loadable there, not a bundle, or an unreadable format version.
        """
        path = _resolve_bundle_file(Path(path))
        with path.open("rb") as handle:
            payload = pickle.load(handle)
        if isinstance(payload, cls):
            return payload
        if not isinstance(payload, dict) or not isinstance(payload.get("bundle"), cls):
            raise DataError("not a RecommenderBundle file", path=str(path))
        if payload.get("format_version") != FORMAT_VERSION:
            raise DataError(
                f"bundle format {payload.get('format_version')} is not {FORMAT_VERSION}; "
                "re-run `kedro run --pipeline recommendation`",
                path=str(path),
            )
        return payload["bundle"]

    @property
    def n_items(self) -> int:
        """Films in the catalogue."""
        return len(self.movies)

    @property
    def genres(self) -> list[str]:
        """Genre names a preference request may use (English MovieLens names)."""
        return list(self.cold_start.genre_names_)

    def warm_up(self) -> None:
        """Load the sentence model now, so the first free-text request is not slow."""
        load_sentence_model(self.encoder.model_name)

    # --- requests ---------------------------------------------------------------------------

    def _check_k(self, k: object) -> int:
        if (
            isinstance(k, bool)
            or not isinstance(k, (int, np.integer))
            or not 1 <= k <= self.max_k
        ):
            raise ConfigError("k", k, [f"an integer from 1 to {self.max_k}"])
        return int(k)

    def recommend_user(
        self, user_id: object, k: int = 10, exclude_seen: bool = True
    ) -> list[dict]:
        """Top-``k`` films for a known user; an unknown user gets the most popular films."""
        k = self._check_k(k)
        position = self._user_index.get_indexer([user_id])[0]
        if position < 0:
            logger.warning(
                "unknown user %r: answering with the most popular films", user_id
            )
            rows = self.popular_rows[:k]
            share = self.cold_start.popularity_[rows]
            return [
                self._item(
                    row,
                    score,
                    explanation=self.explainer.explain(self.explainer.item_ids[row]),
                    popular=True,
                )
                for row, score in zip(rows, share, strict=True)
            ]
        table, scores = (
            (self.top_unseen, self.top_unseen_scores)
            if exclude_seen
            else (self.top_all, self.top_all_scores)
        )
        rows, values = table[position, :k], scores[position, :k]
        liked = self.explainer.item_ids[self.liked_rows[position]]
        return [
            self._item(
                row, value, self.explainer.explain(self.explainer.item_ids[row], liked)
            )
            for row, value in zip(rows, values, strict=True)
            if row >= 0
        ]

    def resolve_titles(self, titles: Iterable[str]) -> list[dict]:
        """The films typed titles resolve to (exact, then fuzzy); unknown ones raise."""
        return [self._item(self.titles.resolve(title), None) for title in titles]

    def recommend_from_preferences(
        self,
        liked_titles: Iterable[str] = (),
        disliked_titles: Iterable[str] = (),
        genres: Iterable[str] = (),
        text: str = "",
        lang: str | None = None,
        k: int = 10,
    ) -> list[dict]:
        """Top-``k`` films for a visitor from stated preferences alone.

        Args:
            liked_titles: Titles as typed ("the matrix", "Toy Story (1995)").
            disliked_titles: Titles the visitor disliked.
            genres: MovieLens genre names (English) or their Spanish names ("terror").
            text: Free text in English or Spanish.
            lang: ``"en"``, ``"es"`` or None to detect.
            k: List length, 1 to ``max_k``.

        Raises:
            UnknownIdError: A title or genre that matches nothing (with suggestions).
            ConfigError: ``k`` outside ``1..max_k`` or an unsupported ``lang``.
        """
        k = self._check_k(k)
        liked = [self.explainer.item_ids[self.titles.resolve(t)] for t in liked_titles]
        disliked = [
            self.explainer.item_ids[self.titles.resolve(t)] for t in disliked_titles
        ]
        genre_names = [self._genre(g) for g in genres]
        query = self.encoder.encode(text, lang) if text and text.strip() else None
        frame = self.cold_start.recommend(liked, disliked, genre_names, query, k=k)
        wanted = genre_names + (query.genres if query else [])
        signal_columns = [
            c for c in frame.columns if c not in (ITEM_ID, "score", "rank")
        ]
        out = []
        for record in frame.to_dict("records"):
            row = int(self._item_index.get_loc(record[ITEM_ID]))
            signals = {name: record[name] for name in signal_columns}
            explanation = self.explainer.explain(
                record[ITEM_ID], liked, wanted, signals
            )
            out.append(self._item(row, record["score"], explanation))
        return out

    def search_titles(self, query: str, limit: int = 10) -> list[dict]:
        """Films whose titles best match ``query`` (``score`` is the match score, 0-100)."""
        return [
            self._item(row, score) for row, score in self.titles.search(query, limit)
        ]

    # --- helpers ----------------------------------------------------------------------------

    def _genre(self, name: str) -> str:
        if name in self.cold_start.genre_names_:
            return name
        by_key = {g.casefold(): g for g in self.cold_start.genre_names_}
        key = strip_accents(str(name))
        if key in by_key:
            return by_key[key]
        if key in GENRES_ES:
            return GENRES_ES[key]
        raise UnknownIdError("genre", [name], self.cold_start.genre_names_)

    def _item(
        self,
        row: int,
        score: float | None,
        explanation: dict | None = None,
        popular: bool = False,
    ) -> dict:
        movie = self.movies.iloc[int(row)]
        year = movie.get("year")
        item = {
            "movie_id": _plain(movie[ITEM_ID]),
            "title": str(movie["title"]),
            "year": None if pd.isna(year) else int(year),
            "genres": list(movie["genres"]),
            "score": None if score is None else round(float(score), 4),
        }
        if explanation is not None:
            item["explanation"] = explanation
            item["reason"] = reason_text(explanation, popular)
        return item


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _top_matrix(
    model: BaseRecommender, users: np.ndarray, k: int, exclude_seen: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Each user's top-k catalogue rows and scores (-1 / NaN pads short lists)."""
    frame = model.recommend(users, k=k, exclude_seen=exclude_seen, on_unknown="raise")
    rows = np.full((len(users), k), -1, dtype=np.int32)
    scores = np.full((len(users), k), np.nan, dtype=np.float32)
    user_pos = pd.Index(users).get_indexer(frame[USER_ID])
    rows[user_pos, frame["rank"].to_numpy() - 1] = model.item_index_.get_indexer(
        frame[ITEM_ID]
    )
    scores[user_pos, frame["rank"].to_numpy() - 1] = frame["score"].to_numpy()
    return rows, scores


def _liked_rows(
    interactions: pd.DataFrame, users: np.ndarray, items: pd.Index
) -> list[np.ndarray]:
    """Per user, the catalogue rows of films rated at or above their own mean, best first."""
    frame = interactions[[USER_ID, ITEM_ID]].copy()
    frame[RATING] = interactions[RATING] if RATING in interactions else 1.0
    frame["mean"] = frame.groupby(USER_ID)[RATING].transform("mean")
    liked = frame[frame[RATING] >= frame["mean"]].sort_values(
        [USER_ID, RATING], ascending=[True, False]
    )
    grouped = {
        user: items.get_indexer(group[ITEM_ID].head(MAX_LIKED_FOR_EXPLANATIONS))
        for user, group in liked.groupby(USER_ID, sort=False)
    }
    return [grouped.get(user, np.zeros(0, dtype=int)) for user in users]


def _resolve_bundle_file(path: Path) -> Path:
    """The pickle to read: a file, a save() folder, or the latest Kedro version."""
    if path.is_file():
        return path
    if (path / BUNDLE_FILE).is_file():
        return path / BUNDLE_FILE
    if path.is_dir():
        versions = sorted(p for p in path.iterdir() if p.is_dir())
        for version in reversed(versions):
            for candidate in (version / path.name, version / path.name / BUNDLE_FILE):
                if candidate.is_file():
                    return candidate
    raise DataError("no recommendation bundle here", path=str(path))
