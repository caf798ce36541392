"""deployment: package the recommender (and sentiment, blurbs) as a SageMaker ``model.tar.gz``."""
