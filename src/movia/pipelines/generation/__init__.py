"""Generation pipeline: a sentiment-conditioned review generator (MLE baseline and GAN)."""

from movia.pipelines.generation.pipeline import create_pipeline

__all__ = ["create_pipeline"]
