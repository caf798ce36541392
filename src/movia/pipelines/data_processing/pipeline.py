"""Wiring of the data_processing pipeline: raw MovieLens, reviews and overviews → primary tables,
the data quality report and the EDA figures."""

from kedro.pipeline import Node, Pipeline

from movia.pipelines.data_processing.nodes import (
    build_movies,
    build_reviews,
    clean_ratings,
    clean_tags,
    plot_eda,
    report_data_quality,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Build the data_processing pipeline."""
    return Pipeline(
        [
            Node(
                func=build_movies,
                inputs=["movielens_movies", "movielens_links", "tmdb_overviews"],
                outputs="movies",
                name="build_movies_node",
            ),
            Node(
                func=clean_ratings,
                inputs=["movielens_ratings", "movies"],
                outputs="ratings",
                name="clean_ratings_node",
            ),
            Node(
                func=clean_tags,
                inputs=["movielens_tags", "movies"],
                outputs="tags",
                name="clean_tags_node",
            ),
            Node(
                func=build_reviews,
                inputs=[
                    "imdb_reviews",
                    "imdb_reviews_unsup",
                    "spanish_reviews_imdb_es",
                    "spanish_reviews_sfu",
                    "movies",
                    "params:data_processing.reviews",
                ],
                outputs="reviews",
                name="build_reviews_node",
            ),
            Node(
                func=report_data_quality,
                inputs=[
                    "spanish_reviews_imdb_es",
                    "movielens_ratings",
                    "movielens_tags",
                    "movielens_links",
                    "movies",
                    "ratings",
                    "tags",
                    "reviews",
                ],
                outputs="data_quality_report",
                name="report_data_quality_node",
            ),
            Node(
                func=plot_eda,
                inputs=["movies", "ratings", "reviews"],
                outputs="eda_figures",
                name="plot_eda_node",
            ),
        ]
    )
