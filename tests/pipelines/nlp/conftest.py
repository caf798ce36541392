"""The nlp node tests need the same NLTK data as the text tests."""

from tests.text.conftest import nltk_data  # noqa: F401 - re-exported fixture
