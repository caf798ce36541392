"""Movie titles as MovieLens writes them, and as people type them.

MovieLens titles end in the release year and move leading articles to the end
("Matrix, The (1999)"); people type "the matrix". These helpers split the year, restore the
article for display, and build a key for fuzzy matching, so data_processing, the recommender's
cold start and the web page's search all agree on what a title is.
"""

from __future__ import annotations

import re
import unicodedata

_YEAR = re.compile(r"\s*\((\d{4})(?:[-–]\d{0,4})?\)\s*$")
# Articles MovieLens moves to the end, in the languages its catalogue uses most.
_ARTICLES = (
    "The",
    "A",
    "An",
    "Les",
    "La",
    "Le",
    "L'",
    "Il",
    "Lo",
    "Gli",
    "I",
    "El",
    "Los",
    "Las",
    "Un",
    "Una",
    "Das",
    "Der",
    "Die",
    "Den",
    "Det",
    "De",
    "Het",
)
_TRAILING_ARTICLE = re.compile(
    r"^(?P<body>.+), (?P<article>" + "|".join(re.escape(a) for a in _ARTICLES) + r")"
    r"(?P<rest>\s*\(.*\))?$"
)


def split_title_year(raw: str) -> tuple[str, int | None]:
    """``"Toy Story (1995)"`` → ``("Toy Story", 1995)``; no year → ``(title, None)``."""
    text = raw.strip()
    match = _YEAR.search(text)
    if not match:
        return text, None
    return text[: match.start()].strip(), int(match.group(1))


def display_title(title: str) -> str:
    """Move a trailing article back to the front: ``"Matrix, The"`` → ``"The Matrix"``.

    An aka part in parentheses stays after the title:
    ``"City of Lost Children, The (Cité des enfants perdus, La)"`` →
    ``"The City of Lost Children (Cité des enfants perdus, La)"``.
    """
    match = _TRAILING_ARTICLE.match(title.strip())
    if not match:
        return title.strip()
    article = match.group("article")
    joiner = "" if article.endswith("'") else " "
    rest = match.group("rest") or ""
    return f"{article}{joiner}{match.group('body')}{rest}"


def title_key(title: str) -> str:
    """Lower-case, accent-free, punctuation-free form used to match typed titles."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())
