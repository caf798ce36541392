"""Wiring of the deployment pipeline: recommendation artifact (+ optional sentiment and
generated reviews, ratings to pick blurbs) → ``model.tar.gz`` (SageMaker layout) → validated
deployment manifest."""

from kedro.pipeline import Node, Pipeline

from movia.pipelines.deployment.nodes import (
    package_model,
    prepare_serving_extras,
    validate_model_package,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Build the deployment pipeline."""
    return Pipeline(
        [
            Node(
                func=prepare_serving_extras,
                inputs=[
                    "deployment_movie_sentiment",
                    "deployment_generated_reviews",
                    "ratings",
                    "params:deployment.extras",
                ],
                outputs="serving_extras",
                name="prepare_serving_extras_node",
            ),
            Node(
                func=package_model,
                inputs=[
                    "recommendation_artifact",
                    "serving_extras",
                    "params:deployment.package",
                ],
                outputs="model_archive",
                name="package_model_node",
            ),
            Node(
                func=validate_model_package,
                inputs=[
                    "model_archive",
                    "params:deployment.validation",
                    "params:deployment.sagemaker",
                ],
                outputs=["deployment_manifest", "deployment_metrics"],
                name="validate_model_package_node",
            ),
        ]
    )
