"""sentiment: English and Spanish sentiment models, their evaluation, per-review and per-movie
sentiment, and explanations."""

from movia.pipelines.sentiment.pipeline import create_pipeline

__all__ = ["create_pipeline"]
