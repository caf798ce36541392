"""Wiring of the nlp pipeline: reviews → tokens and annotations → opinion pairs, Word2Vec and
movie vectors → the comparison report."""

from kedro.pipeline import Node, Pipeline

from movia.pipelines.nlp.nodes import (
    annotate_reviews,
    build_movie_vectors,
    build_text_documents,
    check_word2vec,
    compare_nlp_tools,
    evaluate_spanish_parser,
    extract_opinion_pairs,
    render_nlp_comparison,
    tokenize_reviews,
    train_word2vec,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Build the nlp pipeline."""
    return Pipeline(
        [
            Node(
                func=tokenize_reviews,
                inputs=["reviews", "params:nlp.tokenize"],
                outputs="review_tokens",
                name="tokenize_reviews_node",
            ),
            Node(
                func=annotate_reviews,
                inputs=["reviews", "params:nlp.spacy"],
                outputs="spacy_annotations",
                name="annotate_reviews_node",
            ),
            Node(
                func=extract_opinion_pairs,
                inputs=["spacy_annotations", "params:nlp.opinions"],
                outputs="opinion_pairs",
                name="extract_opinion_pairs_node",
            ),
            Node(
                func=build_text_documents,
                inputs=["review_tokens", "tags", "movies", "params:nlp.tokenize"],
                outputs="text_documents",
                name="build_text_documents_node",
            ),
            Node(
                func=train_word2vec,
                inputs=["text_documents", "params:nlp.word2vec"],
                outputs="word2vec_model",
                name="train_word2vec_node",
            ),
            Node(
                func=build_movie_vectors,
                inputs=["word2vec_model", "text_documents"],
                outputs="movie_vectors_word2vec",
                name="build_movie_vectors_node",
            ),
            Node(
                func=check_word2vec,
                inputs=[
                    "word2vec_model",
                    "movie_vectors_word2vec",
                    "movies",
                    "params:nlp.word2vec_checks",
                ],
                outputs="word2vec_checks",
                name="check_word2vec_node",
            ),
            Node(
                func=evaluate_spanish_parser,
                inputs=[
                    "ud_spanish_gsd_dev",
                    "ud_spanish_gsd_test",
                    "ud_spanish_pud_test",
                    "ud_spanish_coser_test",
                    "params:nlp.parser_evaluation",
                ],
                outputs="spanish_parser_scores",
                name="evaluate_spanish_parser_node",
            ),
            Node(
                func=compare_nlp_tools,
                inputs=[
                    "reviews",
                    "review_tokens",
                    "spacy_annotations",
                    "opinion_pairs",
                    "spanish_parser_scores",
                    "word2vec_checks",
                    "params:nlp.comparison",
                ],
                outputs="nlp_comparison_report",
                name="compare_nlp_tools_node",
            ),
            Node(
                func=render_nlp_comparison,
                inputs="nlp_comparison_report",
                outputs=[
                    "nlp_comparison_summary",
                    "nlp_comparison_plot",
                    "nlp_metrics",
                ],
                name="render_nlp_comparison_node",
            ),
        ]
    )
