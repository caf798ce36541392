"""Deployment nodes called directly on small frames (the archive nodes need a recommender)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from movia.deploy.packaging import VENDORED_MODULES
from movia.pipelines.deployment.nodes import prepare_serving_extras

REPO = Path(__file__).resolve().parents[3]

EXTRAS = {
    "include_sentiment": True,
    "include_blurbs": True,
    "blurb_max_chars": 600,
    "blurb_rating_threshold": 3.5,
}
RATINGS = pd.DataFrame({"movie_id": [1, 2], "rating": [2.0, 5.0]})
SENTIMENT = pd.DataFrame(
    {
        "movie_id": [1],
        "n_reviews": [4],
        "mean_prob_pos": [0.9],
        "smoothed_score": [0.7],
        "ci_low": [0.5],
        "ci_high": [0.85],
    }
)
REVIEWS = pd.DataFrame(
    {
        "movie_id": [1, 1, 2, 2],
        "sentiment": ["pos", "neg", "pos", "neg"],
        "text": ["Great.", "Awful.", "Lovely.", "Dreadful."],
        "classifier_score": [0.6, 0.9, 0.6, 0.9],
        "machine_generated": [True] * 4,
    }
)


def test_extras_are_none_when_the_pipelines_never_ran() -> None:
    assert prepare_serving_extras(None, None, RATINGS, EXTRAS) == {
        "sentiment": None,
        "blurbs": None,
    }


def test_extras_are_keyed_by_movie_id() -> None:
    # Movie 1: reviews liked it (0.7) though its ratings are low; movie 2: no reviews, rated 5.
    extras = prepare_serving_extras(SENTIMENT, REVIEWS, RATINGS, EXTRAS)
    assert extras == {
        "sentiment": {
            "1": {"smoothed_score": 0.7, "n_reviews": 4, "ci_low": 0.5, "ci_high": 0.85}
        },
        "blurbs": {
            "1": {"text": "Great.", "sentiment": "pos"},
            "2": {"text": "Lovely.", "sentiment": "pos"},
        },
    }


def test_extras_can_be_switched_off() -> None:
    off = {**EXTRAS, "include_sentiment": False, "include_blurbs": False}
    assert prepare_serving_extras(SENTIMENT, REVIEWS, RATINGS, off) == {
        "sentiment": None,
        "blurbs": None,
    }


def test_configured_vendored_modules_are_what_the_handler_needs() -> None:
    """conf lists the modules to vendor; they must be the ones the packaging code knows work."""
    for env in ("base", "test"):
        path = REPO / "conf" / env / "parameters_deployment.yml"
        package = yaml.safe_load(path.read_text())["deployment"]["package"]
        assert tuple(package["vendored_modules"]) == VENDORED_MODULES, path
