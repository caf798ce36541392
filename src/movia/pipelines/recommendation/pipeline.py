"""Wiring of the recommendation pipeline (see nodes.py for what each step does)."""

from kedro.pipeline import Node, Pipeline

from movia.pipelines.recommendation.nodes import (
    assemble_items,
    build_item_table,
    build_recommendation_artifact,
    embed_items,
    evaluate_cold_start,
    evaluate_recommenders,
    plot_recommendation_figures,
    prepare_interactions,
    report_recommendation_metrics,
    split_interactions,
    train_recommender,
    tune_recommenders,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Build the recommendation pipeline."""
    return Pipeline(
        [
            Node(
                func=prepare_interactions,
                inputs=["ratings", "movies", "params:recommendation.data"],
                outputs=["interactions", "catalogue"],
                name="prepare_interactions_node",
            ),
            Node(
                func=build_item_table,
                inputs=[
                    "catalogue",
                    "tags",
                    "reviews",
                    "movie_sentiment",
                    "params:recommendation.features",
                ],
                outputs=["item_texts", "item_table"],
                name="build_item_table_node",
            ),
            Node(
                func=embed_items,
                inputs=[
                    "item_texts",
                    "movie_vectors_word2vec",
                    "params:recommendation.embeddings",
                ],
                outputs="item_embeddings",
                name="embed_items_node",
            ),
            Node(
                func=assemble_items,
                inputs=["item_table", "item_embeddings"],
                outputs="items",
                name="assemble_items_node",
            ),
            Node(
                func=split_interactions,
                inputs=["interactions", "params:recommendation.split"],
                outputs=[
                    "interactions_train",
                    "interactions_test",
                    "cold_start_revealed",
                    "cold_start_hidden",
                ],
                name="split_interactions_node",
            ),
            Node(
                func=tune_recommenders,
                inputs=[
                    "interactions_train",
                    "items",
                    "params:recommendation.tuning",
                    "params:recommendation.split",
                    "params:recommendation.cold_start",
                ],
                outputs="recommender_choices",
                name="tune_recommenders_node",
            ),
            Node(
                func=evaluate_recommenders,
                inputs=[
                    "interactions_train",
                    "interactions_test",
                    "items",
                    "recommender_choices",
                    "params:recommendation.evaluation",
                ],
                outputs=["ranking_metrics", "recommendation_lists", "significance"],
                name="evaluate_recommenders_node",
            ),
            Node(
                func=evaluate_cold_start,
                inputs=[
                    "interactions_train",
                    "interactions_test",
                    "cold_start_revealed",
                    "cold_start_hidden",
                    "items",
                    "word2vec_model",
                    "recommender_choices",
                    "params:recommendation.cold_start",
                    "params:recommendation.embeddings",
                ],
                outputs="cold_start_metrics",
                name="evaluate_cold_start_node",
            ),
            Node(
                func=report_recommendation_metrics,
                inputs=[
                    "ranking_metrics",
                    "cold_start_metrics",
                    "significance",
                    "recommender_choices",
                    "params:recommendation.evaluation",
                ],
                outputs=[
                    "recommendation_metrics",
                    "recommendation_summary",
                    "recommendation_mlflow_metrics",
                ],
                name="report_recommendation_metrics_node",
            ),
            Node(
                func=train_recommender,
                inputs=[
                    "interactions",
                    "items",
                    "recommender_choices",
                    "params:recommendation.training",
                ],
                outputs="recommender",
                name="train_recommender_node",
            ),
            Node(
                func=build_recommendation_artifact,
                inputs=[
                    "recommender",
                    "interactions",
                    "items",
                    "tags",
                    "movie_sentiment",
                    "opinion_pairs",
                    "word2vec_model",
                    "recommender_choices",
                    "recommendation_summary",
                    "params:recommendation.cold_start",
                    "params:recommendation.embeddings",
                    "params:recommendation.artifact",
                ],
                outputs="recommendation_artifact",
                name="build_recommendation_artifact_node",
            ),
            Node(
                func=plot_recommendation_figures,
                inputs=[
                    "recommendation_metrics",
                    "recommendation_lists",
                    "interactions_train",
                    "params:recommendation.evaluation",
                ],
                outputs="recommendation_figures",
                name="plot_recommendation_figures_node",
            ),
        ]
    )
