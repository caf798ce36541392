"""A tiny bilingual ``reviews`` table and the conf/test parameters pointed at a tiny BERT."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.models.sentiment.conftest import corpus, tiny_bert  # noqa: F401 - fixtures

REPO = Path(__file__).resolve().parents[3]
SPANISH_POSITIVE = "excelente maravillosa genial preciosa emocionante divertida".split()
SPANISH_NEGATIVE = "horrible aburrida pésima terrible lenta insoportable".split()
SPANISH_FILLER = "la película es muy una historia con los actores y el guion".split()


def _spanish(n: int, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for i in range(n):
        label = "pos" if i % 2 == 0 else "neg"
        words = SPANISH_POSITIVE if label == "pos" else SPANISH_NEGATIVE
        chosen = list(rng.choice(words, size=2)) + list(
            rng.choice(SPANISH_FILLER, size=6)
        )
        rng.shuffle(chosen)
        texts.append(" ".join(chosen))
        labels.append(label)
    return texts, labels


@pytest.fixture
def reviews_small(corpus) -> pd.DataFrame:  # noqa: F811 - the imported fixture
    """English train/test/unsup reviews, translated and native Spanish ones; 4 movies."""
    rng = np.random.default_rng(7)
    rows = []
    for split, texts, labels in (
        ("train", corpus.train_texts, corpus.train_labels),
        ("test", corpus.test_texts, corpus.test_labels),
    ):
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            rows.append(
                ("en", "aclimdb", "movies", split, label, None, text, i % 4 + 1)
            )
    for text in corpus.test_texts[:10]:
        rows.append(("en", "aclimdb", "movies", "unsup", None, None, text, None))
    texts, labels = _spanish(80, rng)
    # pairs (pos, neg) alternate between train and test origins, so both sides are balanced
    origins = [("train", "test")[(i // 2) % 2] for i in range(70)]
    origins += ["test;train"] * 2 + [None] * 8
    for i, (text, label, origin) in enumerate(zip(texts, labels, origins, strict=True)):
        source = "sfu" if origin is None else "imdb_es"
        rows.append(("es", source, "movies", "train", label, origin, text, i % 4 + 1))
    frame = pd.DataFrame(
        rows,
        columns=[
            "lang",
            "source",
            "domain",
            "split",
            "label",
            "origin_split",
            "text",
            "movie_id",
        ],
    )
    return frame.assign(
        review_id=[f"r{i}" for i in range(len(frame))],
        movie_id=frame["movie_id"].astype("Int64"),
        label=frame["label"].astype("string"),
        origin_split=frame["origin_split"].astype("string"),
    )


@pytest.fixture
def sentiment_params(tiny_bert, tmp_path) -> dict:  # noqa: F811 - the imported fixture
    """conf/test's ``sentiment`` block with the tiny BERT and folders under ``tmp_path``."""
    params = yaml.safe_load((REPO / "conf/test/parameters_sentiment.yml").read_text())
    params = params["sentiment"]
    params["transformer"]["params"] |= {
        "checkpoint": str(tiny_bert),
        "checkpoint_dir": str(tmp_path / "checkpoint"),
        "tensorboard_dir": str(tmp_path / "tensorboard"),
        "learning_rate": 3e-3,
    }
    params["transformer"]["max_train_reviews"] = None
    return params
