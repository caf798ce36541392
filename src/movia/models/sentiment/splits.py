"""Which reviews train and which evaluate each sentiment model, and the leakage rule.

English: the official aclImdb split (25k train / 25k test); validation is carved from train by
the model itself. Spanish: the machine-translated ``imdb_es`` reviews follow the split of the
aclImdb review they were translated from (``origin_split``), so no Spanish training review is a
translation of an English test review and no Spanish test review is a translation of an English
training review. Translations of reviews from *both* splits (``"test;train"``) are kept out of
both sides. The native Spanish SFU reviews have no English counterpart and get a seeded,
stratified held-out share.
"""

from __future__ import annotations

import logging

import pandas as pd

from movia.errors import ColumnContractError

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = {
    "review_id",
    "lang",
    "source",
    "split",
    "label",
    "text",
    "origin_split",
}


def _check_columns(reviews: pd.DataFrame) -> None:
    missing = REQUIRED_COLUMNS - set(reviews.columns)
    if missing:
        raise ColumnContractError(
            f"reviews lacks columns {sorted(missing)}", path="reviews"
        )


def split_english_reviews(reviews: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Labelled English aclImdb reviews: (train, test) as the official split defines them."""
    _check_columns(reviews)
    labelled = reviews[
        (reviews["lang"] == "en")
        & (reviews["source"] == "aclimdb")
        & reviews["label"].isin(["neg", "pos"])
    ]
    train = labelled[labelled["split"] == "train"].reset_index(drop=True)
    test = labelled[labelled["split"] == "test"].reset_index(drop=True)
    logger.info("English sentiment split: %d train, %d test", len(train), len(test))
    return train, test


def split_spanish_reviews(
    reviews: pd.DataFrame, sfu_test_fraction: float = 0.3, random_state: int = 42
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Labelled Spanish reviews: (train, test) without leakage through ``origin_split``.

    Returns:
        Two frames of the ``reviews`` columns; ``imdb_es`` rows go where their English
        original went, SFU rows are split per (domain, label) with ``sfu_test_fraction`` held out.
    """
    _check_columns(reviews)
    spanish = reviews[(reviews["lang"] == "es") & reviews["label"].isin(["neg", "pos"])]
    origin = spanish["origin_split"].astype("string").fillna("")
    has_origin = origin != ""
    translated_train = spanish[has_origin & (origin == "train")]
    translated_test = spanish[has_origin & (origin == "test")]
    both = spanish[has_origin & ~origin.isin(["train", "test"])]
    native = spanish[~has_origin]
    native_test = (
        native.groupby(["domain", "label"], group_keys=False, sort=True).sample(
            frac=sfu_test_fraction, random_state=random_state
        )
        if len(native) and sfu_test_fraction > 0
        else native.iloc[:0]
    )
    native_train = native.drop(index=native_test.index)
    train = pd.concat([translated_train, native_train]).reset_index(drop=True)
    test = pd.concat([translated_test, native_test]).reset_index(drop=True)
    if len(both):
        logger.info(
            "kept %d Spanish reviews translated from both aclImdb splits out of train and test",
            len(both),
        )
    logger.info("Spanish sentiment split: %d train, %d test", len(train), len(test))
    return train, test


def stratified_sample(
    frame: pd.DataFrame, n: int | None, random_state: int = 42, by: str = "label"
) -> pd.DataFrame:
    """At most ``n`` rows with the class balance of ``frame`` (all rows when ``n`` is None).

    Used for the CPU-sized transformer runs of ``conf/base``; the sample is seeded, so two runs
    train and evaluate on the same reviews.
    """
    if n is None or n >= len(frame):
        return frame
    share = n / len(frame)
    sample = frame.groupby(by, group_keys=False, sort=True).sample(
        frac=share, random_state=random_state
    )
    return sample.sort_index()
