"""deployment: package the recommender (and sentiment, blurbs) as a SageMaker ``model.tar.gz``."""

from movia.pipelines.deployment.pipeline import create_pipeline

__all__ = ["create_pipeline"]
