"""The text each film is embedded from: title, genres, tagline, overview, tags, review snippets.

MiniLM reads at most a few hundred word pieces, so the text is ordered by how much each part
says about the film per word: its title and genres, the TMDB tagline and overview, the most
frequent user tags, then the opening of a few English reviews (Spanish reviews are left to the
Word2Vec path: MiniLM here is English-only). Films without any TMDB text still get their title,
year, genres and tags, which is enough to place most of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from movia.evaluation.columns import ITEM_ID
from movia.models.recommenders.item_features import as_list


def _snippets(reviews: pd.DataFrame, per_movie: int, chars: int) -> pd.Series:
    """Up to ``per_movie`` English review openings per film, each cut at a word boundary."""
    english = reviews[(reviews["lang"] == "en") & reviews["movie_id"].notna()]
    if english.empty:
        return pd.Series(dtype=object)
    english = english.sort_values(["movie_id", "review_id"])
    top = english.groupby("movie_id", sort=False).head(per_movie)

    def cut(text: str) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " ..."

    return (
        top.assign(snippet=top["text"].map(cut))
        .groupby("movie_id")["snippet"]
        .agg(" ".join)
    )


def _tag_lists(tags: pd.DataFrame, limit: int) -> pd.Series:
    if tags is None or tags.empty:
        return pd.Series(dtype=object)
    cleaned = tags.assign(
        tag=tags["tag"].astype("string").str.strip().str.lower()
    ).dropna(subset=["tag"])
    counts = cleaned.groupby(["movie_id", "tag"]).size().reset_index(name="n")
    counts = counts.sort_values(["movie_id", "n", "tag"], ascending=[True, False, True])
    return counts.groupby("movie_id")["tag"].agg(lambda s: list(s.head(limit)))


def build_item_texts(
    movies: pd.DataFrame,
    tags: pd.DataFrame,
    reviews: pd.DataFrame,
    review_snippets: int = 2,
    snippet_chars: int = 300,
    max_tags: int = 10,
) -> pd.DataFrame:
    """One text per film.

    Args:
        movies: The primary ``movies`` table.
        tags: The primary ``tags`` table.
        reviews: The primary ``reviews`` table.
        review_snippets: English reviews quoted per film.
        snippet_chars: Characters kept of each review.
        max_tags: Most frequent tags kept per film.

    Returns:
        ``item_id, text``.
    """
    snippets = _snippets(reviews, review_snippets, snippet_chars)
    tag_lists = _tag_lists(tags, max_tags)
    texts = []
    for row in movies.itertuples(index=False):
        year = "" if pd.isna(row.year) else f" ({int(row.year)})"
        parts = [f"{row.title}{year}."]
        genres = as_list(row.genres)
        if genres:
            parts.append("Genres: " + ", ".join(genres) + ".")
        for field in ("tagline", "overview"):
            value = getattr(row, field, None)
            if isinstance(value, str) and value.strip():
                parts.append(value.strip())
        tag_list = tag_lists.get(row.movie_id)
        if isinstance(tag_list, list) and tag_list:
            parts.append("Tags: " + ", ".join(tag_list) + ".")
        snippet = snippets.get(row.movie_id)
        if isinstance(snippet, str) and snippet:
            parts.append("Reviews: " + snippet)
        texts.append(" ".join(parts))
    return pd.DataFrame({ITEM_ID: movies["movie_id"].to_numpy(), "text": texts})


def vectors_column(frame: pd.DataFrame, column: str) -> list[np.ndarray | None]:
    """A column of list-like vectors as float32 arrays (None where missing)."""
    out = []
    for value in frame[column]:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            out.append(None)
        else:
            out.append(np.asarray(value, dtype=np.float32))
    return out
