"""MovIA: movie recommendation with NLP, sentiment, review generation and serving."""

__version__ = "0.1.0"
