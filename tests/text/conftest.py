"""Fixtures for the text tests: NLTK data from NLTK_DATA or the shared folder beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_NLTK_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "nltk_data"


@pytest.fixture(scope="session")
def nltk_data() -> None:
    """Make punkt_tab and the stop words findable, or skip naming the variable to set.

    CI sets ``NLTK_DATA=../shared/nltk_data``; a developer checkout beside ``shared/`` works
    without it.
    """
    import nltk

    def found() -> bool:
        try:
            nltk.data.find("tokenizers/punkt_tab/spanish/")
            nltk.data.find("corpora/stopwords/")
        except LookupError:
            return False
        return True

    if not found() and SHARED_NLTK_DATA.is_dir():
        nltk.data.path.insert(0, str(SHARED_NLTK_DATA))
    if not found():
        pytest.skip("NLTK data absent: set NLTK_DATA to ../shared/nltk_data (CI does)")
