"""Train/test selection and the no-leakage rule for translated reviews."""

from __future__ import annotations

import pandas as pd

from movia.models.sentiment.splits import (
    split_english_reviews,
    split_spanish_reviews,
    stratified_sample,
)


def _reviews() -> pd.DataFrame:
    rows = [
        # review_id, lang, source, domain, split, label, origin_split
        ("en1", "en", "aclimdb", "movies", "train", "pos", None),
        ("en2", "en", "aclimdb", "movies", "test", "neg", None),
        ("en3", "en", "aclimdb", "movies", "unsup", None, None),
        ("es1", "es", "imdb_es", "movies", "train", "pos", "train"),
        ("es2", "es", "imdb_es", "movies", "train", "neg", "test"),
        ("es3", "es", "imdb_es", "movies", "train", "pos", "test;train"),
    ]
    rows += [
        (f"sfu_{d}_{label}{i}", "es", "sfu", d, "train", label, None)
        for d in ("movies", "hotels")
        for label in ("pos", "neg")
        for i in range(5)
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "review_id",
            "lang",
            "source",
            "domain",
            "split",
            "label",
            "origin_split",
        ],
    )
    return frame.assign(text="x", origin_split=frame["origin_split"].astype("string"))


def test_english_follows_the_official_split() -> None:
    train, test = split_english_reviews(_reviews())
    assert train["review_id"].tolist() == ["en1"]
    assert test["review_id"].tolist() == ["en2"]


def test_spanish_translations_follow_their_original() -> None:
    train, test = split_spanish_reviews(_reviews(), sfu_test_fraction=0.4)
    assert "es1" in set(train["review_id"]) and "es1" not in set(test["review_id"])
    assert "es2" in set(test["review_id"]) and "es2" not in set(train["review_id"])
    # translated from both splits: on neither side
    assert "es3" not in set(train["review_id"]) | set(test["review_id"])
    # SFU: 40 % of each (domain, label) group of 5 → 2 held out per group, 8 in all
    sfu_test = test[test["source"] == "sfu"]
    assert len(sfu_test) == 8
    assert sfu_test.groupby(["domain", "label"]).size().tolist() == [2, 2, 2, 2]
    assert not set(train["review_id"]) & set(test["review_id"])


def test_spanish_split_is_seeded() -> None:
    a = split_spanish_reviews(_reviews(), random_state=3)[1]["review_id"].tolist()
    b = split_spanish_reviews(_reviews(), random_state=3)[1]["review_id"].tolist()
    assert a == b


def test_stratified_sample_keeps_the_balance() -> None:
    frame = pd.DataFrame({"label": ["pos"] * 60 + ["neg"] * 40, "x": range(100)})
    sample = stratified_sample(frame, 10, random_state=0)
    assert sample["label"].value_counts().to_dict() == {"pos": 6, "neg": 4}
    assert stratified_sample(frame, None) is frame
