"""Wiring of the sentiment pipeline: reviews → four models → metrics, review and movie
sentiment, explanations."""

from kedro.pipeline import Node, Pipeline

from movia.pipelines.sentiment.nodes import (
    aggregate_sentiment_by_movie,
    evaluate_sentiment,
    explain_sentiment,
    predict_sentiment_test_sets,
    score_reviews,
    split_sentiment_reviews,
    train_sentiment_model,
)

MODELS = [
    "sentiment_baseline_model",
    "sentiment_tfidf_lr_model",
    "sentiment_transformer_model",
    "sentiment_model_es",
]


def _train(suffix: str, train: str, params: str, output: str) -> Node:
    return Node(
        func=train_sentiment_model,
        inputs=[train, f"params:sentiment.{params}"],
        outputs=output,
        name=f"train_sentiment_model_{suffix}_node",
    )


def create_pipeline(**kwargs) -> Pipeline:
    """Build the sentiment pipeline."""
    return Pipeline(
        [
            Node(
                func=split_sentiment_reviews,
                inputs=["reviews", "params:sentiment.split"],
                outputs=[
                    "sentiment_train_en",
                    "sentiment_test_en",
                    "sentiment_train_es",
                    "sentiment_test_es",
                ],
                name="split_sentiment_reviews_node",
            ),
            _train("baseline", "sentiment_train_en", "baseline", MODELS[0]),
            _train("tfidf_lr", "sentiment_train_en", "tfidf_lr", MODELS[1]),
            _train("transformer", "sentiment_train_en", "transformer", MODELS[2]),
            _train("es", "sentiment_train_es", "spanish", MODELS[3]),
            Node(
                func=predict_sentiment_test_sets,
                inputs=[
                    "sentiment_test_en",
                    "sentiment_test_es",
                    *MODELS,
                    "params:sentiment.evaluation",
                ],
                outputs=["sentiment_test_predictions", "sentiment_model_stats"],
                name="predict_sentiment_test_sets_node",
            ),
            Node(
                func=evaluate_sentiment,
                inputs=[
                    "sentiment_test_predictions",
                    "sentiment_model_stats",
                    "params:sentiment.evaluation",
                ],
                outputs=[
                    "sentiment_metrics",
                    "sentiment_mlflow_metrics",
                    "sentiment_evaluation_plots",
                ],
                name="evaluate_sentiment_node",
            ),
            Node(
                func=score_reviews,
                inputs=["reviews", *MODELS, "params:sentiment.scoring"],
                outputs="review_sentiment",
                name="score_reviews_node",
            ),
            Node(
                func=aggregate_sentiment_by_movie,
                inputs=["review_sentiment", "params:sentiment.aggregation"],
                outputs="movie_sentiment",
                name="aggregate_sentiment_by_movie_node",
            ),
            Node(
                func=explain_sentiment,
                inputs=[
                    "sentiment_test_predictions",
                    "sentiment_test_en",
                    "sentiment_test_es",
                    "sentiment_baseline_model",
                    "sentiment_model_es",
                    "params:sentiment.explanations",
                ],
                outputs=[
                    "sentiment_explanations",
                    "sentiment_explanation_plots",
                    "sentiment_top_features",
                ],
                name="explain_sentiment_node",
            ),
        ]
    )
