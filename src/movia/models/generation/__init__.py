"""Review generation: a subword tokenizer, a sentiment-conditioned GRU generator trained by
maximum likelihood (the baseline), and its adversarial fine-tuning (RelGAN-style).

Torch is imported inside the estimators' methods, so importing this package stays cheap.
"""

from movia.models.generation.conditioning import SENTIMENTS
from movia.models.generation.corpus import SentimentLexicon, cut_reviews
from movia.models.generation.gan import ReviewGAN
from movia.models.generation.generator import ReviewGenerator
from movia.models.generation.tokenizer import SubwordTokenizer

#: Training methods by name: ``mle`` is the baseline, ``gan`` fine-tunes an MLE generator.
GENERATORS = {"mle": ReviewGenerator, "gan": ReviewGAN}

__all__ = [
    "GENERATORS",
    "SENTIMENTS",
    "ReviewGAN",
    "ReviewGenerator",
    "SentimentLexicon",
    "SubwordTokenizer",
    "cut_reviews",
]
