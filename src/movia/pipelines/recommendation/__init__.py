"""The recommendation pipeline: interactions, item features, tuning, evaluation, artifact."""

from movia.pipelines.recommendation.pipeline import create_pipeline

__all__ = ["create_pipeline"]
