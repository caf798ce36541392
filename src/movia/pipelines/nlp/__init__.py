"""nlp: NLTK and spaCy processing of English and Spanish reviews, opinion pairs, Word2Vec and
the NLTK-vs-spaCy comparison report."""

from movia.pipelines.nlp.pipeline import create_pipeline

__all__ = ["create_pipeline"]
