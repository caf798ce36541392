"""Find films by what people type: exact title (with or without year), then fuzzy matches.

Keys come from :func:`movia.text.titles.title_key` (case-, accent- and punctuation-free), for
both the display title ("The Matrix") and MovieLens' form ("Matrix, The"), so either spelling
matches exactly. Everything else goes through RapidFuzz's ``WRatio``; a match below the
acceptance threshold is not guessed: the caller gets :class:`~movia.errors.UnknownIdError`
with the closest titles as suggestions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from movia.errors import ConfigError, UnknownIdError
from movia.text.titles import split_title_year, title_key

_CANDIDATES = 30  # closest titles by edit ratio that get a full WRatio score


@dataclass
class TitleIndex:
    """Title lookup over a catalogue.

    Attributes:
        titles: Display title per catalogue row.
        years: Release year per row (None when unknown).
        popularity: Interaction count per row (ties go to the more popular film).
        accept_score: Minimum WRatio (0-100) to accept a fuzzy match without asking.
    """

    titles: list[str]
    years: list[int | None]
    popularity: np.ndarray
    raw_titles: list[str] | None = None
    accept_score: float = 90.0
    _exact: dict[str, list[int]] = field(init=False, repr=False)
    _keys: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._keys = [title_key(t) for t in self.titles]
        exact: dict[str, list[int]] = defaultdict(list)
        for row, key in enumerate(self._keys):
            exact[key].append(row)
        for row, raw in enumerate(self.raw_titles or []):
            raw_key = title_key(raw)
            if row not in exact[raw_key]:
                exact[raw_key].append(row)
        self._exact = dict(exact)

    def label(self, row: int) -> str:
        year = self.years[row]
        return f"{self.titles[row]} ({year})" if year else self.titles[row]

    def search(self, query: str, limit: int = 10) -> list[tuple[int, float]]:
        """Best ``limit`` rows for ``query`` as ``(row, score 0-100)``, best first."""
        if not isinstance(limit, int) or limit < 1:
            raise ConfigError("limit", limit, ["a positive integer"])
        name, year = split_title_year(query or "")
        key = title_key(name)
        if not key:
            return []
        scored = {}
        for row in self._candidates(key):
            score = float(fuzz.WRatio(key, self._keys[row]))
            bonus = 5.0 if year is not None and self.years[row] == year else 0.0
            scored[row] = min(100.0, score + bonus)
        for row in self._exact.get(key, []):
            scored[row] = 100.0 if year is None or self.years[row] == year else 95.0
        ranked = sorted(
            scored.items(), key=lambda kv: (-kv[1], -self.popularity[kv[0]])
        )
        return ranked[:limit]

    def _candidates(self, key: str) -> set[int]:
        """Rows worth a full WRatio score: the closest by plain edit ratio (typos) and every
        title containing the typed text (prefixes, long original titles).

        WRatio over the whole catalogue costs ~14 ms per query and rewards very short titles
        for partial matches ("m" for "amelie"); this preselection costs ~1 ms.
        """
        close = process.extract(key, self._keys, scorer=fuzz.QRatio, limit=_CANDIDATES)
        rows = {row for _, _, row in close}
        rows.update(row for row, candidate in enumerate(self._keys) if key in candidate)
        return rows

    def resolve(self, query: str) -> int:
        """The catalogue row a typed title means: an exact title first (no fuzzy search), the
        year deciding between remakes and popularity between the rest; else the best fuzzy match.

        Raises:
            UnknownIdError: No exact match and no fuzzy match at ``accept_score`` or above;
                the three closest titles are offered as suggestions.
        """
        name, year = split_title_year(query or "")
        exact = self._exact.get(title_key(name), [])
        if exact:
            return max(
                exact, key=lambda row: (self.years[row] == year, self.popularity[row])
            )
        ranked = self.search(query, limit=3)
        if ranked and ranked[0][1] >= self.accept_score:
            return ranked[0][0]
        raise UnknownIdError("title", [query], [self.label(row) for row, _ in ranked])


def build_title_index(
    movies: pd.DataFrame, popularity: np.ndarray, accept_score: float = 90.0
) -> TitleIndex:
    """Index ``movies`` rows (``title``, optional ``year`` and ``title_raw``)."""
    years = (
        movies["year"] if "year" in movies.columns else pd.Series([None] * len(movies))
    )
    return TitleIndex(
        titles=movies["title"].astype(str).tolist(),
        years=[None if pd.isna(y) else int(y) for y in years],
        popularity=np.asarray(popularity, dtype=float),
        raw_titles=movies["title_raw"].astype(str).tolist()
        if "title_raw" in movies.columns
        else None,
        accept_score=accept_score,
    )
