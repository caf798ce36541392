"""Fixtures of the generation pipeline tests: hand-made reviews and movies, tiny parameters,
a small real sentiment classifier, and a Kedro project that has run generation on conf/test."""

from __future__ import annotations

import importlib.util
import pickle
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

REPO = Path(__file__).resolve().parents[3]
GOOD = [
    "I saw it on a Sunday. The film was great and the cast was wonderful.",
    "A great story with a wonderful ending. I loved the music and the great cast.",
]
BAD = [
    "I saw it on a Sunday. The film was awful and the cast was terrible.",
    "An awful story with a terrible ending. I hated the music and the awful cast.",
]


@pytest.fixture
def reviews() -> pd.DataFrame:
    """6 labelled train, 4 labelled test, 2 unlabelled and 1 Spanish review."""
    rows = []
    for i, text in enumerate(GOOD * 3 + BAD * 3):
        rows.append(("train", "pos" if i < 6 else "neg", text, 1 if i % 2 else None))
    for i, text in enumerate(GOOD + BAD):
        rows.append(("test", "pos" if i < 2 else "neg", text, 2))
    rows += [("unsup", None, GOOD[0], None), ("unsup", None, BAD[1], None)]
    frame = pd.DataFrame(rows, columns=["split", "label", "text", "movie_id"])
    frame = frame.assign(
        review_id=[f"r{i}" for i in range(len(frame))],
        lang="en",
        label=frame["label"].astype("string"),
        movie_id=frame["movie_id"].astype("Int64"),
    )
    spanish = frame.iloc[[0]].assign(
        review_id="es0", lang="es", text="Una gran película."
    )
    return pd.concat([frame, spanish], ignore_index=True)


@pytest.fixture
def movies() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "movie_id": [1, 2, 3],
            "title": ["Toy Story", "Heat", "Babylon 5"],
            "genres": [["Animation", "Comedy"], ["Crime"], ["IMAX"]],
        }
    )


@pytest.fixture
def ratings() -> pd.DataFrame:
    return pd.DataFrame({"user_id": [1, 2, 3, 1], "movie_id": [2, 2, 1, 3]})


@pytest.fixture(scope="session")
def test_parameters() -> dict:
    """conf/test's generation block, with TensorBoard and checkpoints switched off."""
    params = yaml.safe_load((REPO / "conf/test/parameters_generation.yml").read_text())
    params = params["generation"]
    for block in ("generator", "gan"):
        params[block] |= {"log_dir": None, "checkpoint_dir": None}
    return params


@pytest.fixture(scope="session")
def classifier():
    """A small real TF-IDF + logistic regression: the sentiment contract without its pipeline."""
    texts = (
        GOOD * 5
        + BAD * 5
        + ["great wonderful loved"] * 3
        + ["awful terrible hated"] * 3
    )
    labels = ["pos"] * 10 + ["neg"] * 10 + ["pos"] * 3 + ["neg"] * 3
    return make_pipeline(TfidfVectorizer(), LogisticRegression(C=10.0)).fit(
        texts, labels
    )


def _stand_in_classifier(project) -> None:  # noqa: ANN001 - tests/conftest.KedroTestProject
    """Until the sentiment pipeline exists here, give the project a classifier of its own.

    The issue allows it: a TF-IDF + LR trained on the project's own train reviews, saved where
    a test-only catalog entry (written into the temporary project, never the repository)
    declares ``sentiment_baseline_model``.
    """
    reviews = pd.read_parquet(project.path("data/03_primary/reviews.parquet"))
    train = reviews[
        (reviews["lang"] == "en")
        & (reviews["split"] == "train")
        & reviews["label"].notna()
    ]
    model = make_pipeline(TfidfVectorizer(min_df=2), LogisticRegression(max_iter=500))
    model.fit(train["text"].tolist(), train["label"].astype(str).tolist())
    path = project.path("data/06_models/sentiment_baseline_model_stand_in.pkl")
    path.write_bytes(pickle.dumps(model))
    project.path("conf/test/catalog_sentiment_stand_in.yml").write_text(
        "sentiment_baseline_model:\n"
        "  type: pickle.PickleDataset\n"
        f"  filepath: {path.relative_to(project.root).as_posix()}\n"
    )


@pytest.fixture(scope="session")
def generation_project(kedro_project):  # noqa: ANN001, ANN201
    """The session's Kedro project after data_processing, the classifier and generation."""
    kedro_project.ensure("data_processing")
    if importlib.util.find_spec("movia.pipelines.sentiment") is None:
        _stand_in_classifier(kedro_project)
    else:
        kedro_project.ensure("sentiment")
    return kedro_project.ensure("generation")
