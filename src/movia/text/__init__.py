"""Text utilities shared by the nlp, sentiment, generation and recommendation code (no Kedro)."""

from movia.text.cleaning import clean_review_text, normalise_whitespace, strip_html

__all__ = ["clean_review_text", "normalise_whitespace", "strip_html"]
