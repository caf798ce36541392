"""Text clean-up shared by every pipeline that reads reviews.

IMDB reviews carry ``<br />`` line breaks and HTML entities (``&amp;``, ``&#39;``); user input may
carry tags of any kind. We turn breaks into newlines (sentence splitters rely on them), drop other
tags, decode entities and fold runs of spaces, but keep case, accents and punctuation: Spanish
``¿``/``¡`` and emoji carry meaning that later steps decide about.
"""

from __future__ import annotations

import html
import re
import unicodedata

_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</\s*(p|div|li|h[1-6])\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,200}>")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def strip_html(text: str) -> str:
    """Remove markup and decode entities; ``<br />`` becomes a newline, not a glued word.

    Entities are decoded after tags are removed, so an escaped ``&lt;script&gt;`` in a review
    stays visible text instead of becoming markup.
    """
    text = _BREAK.sub("\n", text)
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text)


def normalise_whitespace(text: str) -> str:
    """Fold spaces within lines and blank lines between them; trim the ends."""
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def clean_review_text(text: object) -> str:
    """Markup-free, NFC-normalised, whitespace-folded text; non-strings become ``""``.

    NFC matters for Spanish: ``é`` typed as ``e`` + combining accent must equal the precomposed
    character, or tokens and stop-word look-ups silently disagree.
    """
    if not isinstance(text, str):
        return ""
    return normalise_whitespace(unicodedata.normalize("NFC", strip_html(text)))
