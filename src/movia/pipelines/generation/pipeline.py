"""Wiring of the generation pipeline: reviews → windows → MLE and GAN generators → metrics,
report and figure → AI-written review blurbs."""

from kedro.pipeline import Node, Pipeline

from movia.pipelines.generation.nodes import (
    build_generation_corpus,
    evaluate_generators,
    report_generation,
    train_generator_gan,
    train_generator_mle,
    write_generated_reviews,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Build the generation pipeline (label control reads ``sentiment_baseline_model``)."""
    return Pipeline(
        [
            Node(
                func=build_generation_corpus,
                inputs=["reviews", "movies", "params:generation.corpus"],
                outputs="generation_corpus",
                name="build_generation_corpus_node",
            ),
            Node(
                func=train_generator_mle,
                inputs=["generation_corpus", "params:generation.generator"],
                outputs="generator_mle",
                name="train_generator_mle_node",
            ),
            Node(
                func=train_generator_gan,
                inputs=["generator_mle", "generation_corpus", "params:generation.gan"],
                outputs="generator_gan",
                name="train_generator_gan_node",
            ),
            Node(
                func=evaluate_generators,
                inputs=[
                    "generator_mle",
                    "generator_gan",
                    "generation_corpus",
                    "sentiment_baseline_model",
                    "params:generation.evaluation",
                ],
                outputs=["generation_metrics", "generation_mlflow_metrics"],
                name="evaluate_generators_node",
            ),
            Node(
                func=report_generation,
                inputs="generation_metrics",
                outputs=["generation_report", "generation_quality_diversity_plot"],
                name="report_generation_node",
            ),
            Node(
                func=write_generated_reviews,
                inputs=[
                    "generator_mle",
                    "generator_gan",
                    "movies",
                    "ratings",
                    "sentiment_baseline_model",
                    "params:generation.outputs",
                ],
                outputs="generated_reviews",
                name="write_generated_reviews_node",
            ),
        ]
    )
