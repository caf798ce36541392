"""Sentiment models: a TF-IDF baseline (plain or NB-weighted), a fine-tuned BERT-family encoder,
a soft-voting ensemble and a per-language router; all take raw text and return P(neg), P(pos).

``SENTIMENT_MODELS`` maps the ``kind`` used in parameters to its class, so a configuration names
a model without code changes: ``make_sentiment_model("tfidf", nb_weighting=True, C=16)``.
"""

from __future__ import annotations

from movia.errors import ConfigError
from movia.models.sentiment.aggregation import aggregate_movie_sentiment
from movia.models.sentiment.baseline import NBLogCountRatio, TfidfSentimentClassifier
from movia.models.sentiment.ensemble import SoftVotingEnsemble
from movia.models.sentiment.inputs import CLASSES
from movia.models.sentiment.router import LanguageRouter
from movia.models.sentiment.transformer import TransformerSentimentClassifier

SENTIMENT_MODELS: dict[str, type] = {
    "tfidf": TfidfSentimentClassifier,
    "transformer": TransformerSentimentClassifier,
}


def make_sentiment_model(kind: str, **params: object) -> object:
    """An unfitted sentiment model of the registered ``kind`` with ``params``."""
    if kind not in SENTIMENT_MODELS:
        raise ConfigError("kind", kind, sorted(SENTIMENT_MODELS))
    return SENTIMENT_MODELS[kind](**params)


__all__ = [
    "CLASSES",
    "SENTIMENT_MODELS",
    "LanguageRouter",
    "NBLogCountRatio",
    "SoftVotingEnsemble",
    "TfidfSentimentClassifier",
    "TransformerSentimentClassifier",
    "aggregate_movie_sentiment",
    "make_sentiment_model",
]
