"""Serving extras, requirement pins, vendoring and archive safety (no recommender needed)."""

from __future__ import annotations

import io
import tarfile
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movia.deploy.packaging import (
    audience_feeling,
    blurbs_by_movie,
    content_version,
    pinned_requirements,
    sentiment_by_movie,
    vendored_sources,
)
from movia.errors import ColumnContractError, DataError, ResourceMissingError
from movia.serving.model_files import extract_archive, latest_version


def test_sentiment_rows_become_json_ready_dicts() -> None:
    frame = pd.DataFrame(
        {
            "movie_id": [1, 2, 3],
            "n_reviews": [12, 3, 0],
            "mean_prob_pos": [0.8, 0.2, np.nan],
            "smoothed_score": [0.75, 0.4, np.nan],
            "ci_low": [0.6, np.nan, np.nan],
            "ci_high": [0.9, np.nan, np.nan],
        }
    )
    assert sentiment_by_movie(frame) == {
        "1": {"smoothed_score": 0.75, "n_reviews": 12, "ci_low": 0.6, "ci_high": 0.9},
        "2": {"smoothed_score": 0.4, "n_reviews": 3, "ci_low": None, "ci_high": None},
    }


def test_sentiment_without_contract_columns_names_them() -> None:
    with pytest.raises(ColumnContractError) as caught:
        sentiment_by_movie(pd.DataFrame({"movie_id": [1], "score": [0.5]}))
    assert "movie_sentiment" in str(caught.value) and "smoothed_score" in str(
        caught.value
    )


def test_one_blurb_per_movie_the_surest_one_cut_at_a_word() -> None:
    frame = pd.DataFrame(
        {
            "movie_id": pd.array([1, 1, 2, pd.NA], dtype="Int64"),
            "genre": [None, None, None, "Comedy"],
            "sentiment": ["pos", "neg", "pos", "pos"],
            "text": ["weak one", "sure one", "alpha beta gamma delta", "genre text"],
            "classifier_score": [0.6, 0.9, 0.7, 0.99],
            "machine_generated": [True, True, True, True],
        }
    )
    assert blurbs_by_movie(frame, max_chars=12) == {
        "1": {"text": "sure one", "sentiment": "neg"},
        "2": {"text": "alpha beta…", "sentiment": "pos"},
    }


def test_the_blurb_agrees_with_what_people_felt() -> None:
    frame = pd.DataFrame(
        {
            "movie_id": [1, 1, 2, 2],
            "sentiment": ["neg", "pos", "neg", "pos"],
            "text": ["a bore", "a joy", "dull", "fun"],
            "classifier_score": [0.99, 0.55, 0.9, 0.8],
        }
    )
    assert blurbs_by_movie(frame, feeling={"1": "pos", "2": "neg"}) == {
        "1": {"text": "a joy", "sentiment": "pos"},
        "2": {"text": "dull", "sentiment": "neg"},
    }


def test_feeling_comes_from_reviews_then_from_ratings() -> None:
    ratings = pd.DataFrame(
        {"movie_id": [1, 1, 2, 2, 3], "rating": [4.0, 3.0, 2.0, 3.0, 5.0]}
    )
    # means: 1 -> 3.5 (liked, the threshold counts), 2 -> 2.5, 3 -> 5.0 (but reviews pan it)
    reviews = {"3": {"smoothed_score": 0.2}, "9": {"smoothed_score": 0.7}}
    assert audience_feeling(reviews, ratings, rating_threshold=3.5) == {
        "1": "pos",
        "2": "neg",
        "3": "neg",
        "9": "pos",
    }
    assert audience_feeling(None, None) == {}


def test_requirements_are_pinned_to_what_is_installed() -> None:
    assert pinned_requirements(["numpy", "pydantic"]) == [
        f"numpy=={metadata.version('numpy')}",
        f"pydantic=={metadata.version('pydantic')}",
    ]
    with pytest.raises(ResourceMissingError, match="not-a-real-dist"):
        pinned_requirements(["not-a-real-dist"])


def test_vendored_sources_hold_the_handler_modules_and_no_bytecode() -> None:
    files = vendored_sources(["errors", "serving"])
    assert "code/movia/__init__.py" in files
    assert "code/movia/errors.py" in files
    assert "code/movia/serving/inference.py" in files
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in files)
    with pytest.raises(ResourceMissingError, match="movia/nope"):
        vendored_sources(["nope"])


def test_content_version_depends_on_content_not_order() -> None:
    one = content_version({"a": b"1", "b": b"2"})
    assert one == content_version({"b": b"2", "a": b"1"})
    assert one != content_version({"a": b"1", "b": b"3"})
    assert len(one) == 12


def _tar_with(name: str) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        member = tarfile.TarInfo(name)
        member.size = 4
        tar.addfile(member, io.BytesIO(b"evil"))
    return raw.getvalue()


def test_extraction_refuses_members_outside_the_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a valid model.tar.gz"):
        extract_archive(_tar_with("../escape.txt"), tmp_path / "model")
    assert not (tmp_path / "escape.txt").exists()


def test_extraction_refuses_what_is_not_a_tarball(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        extract_archive(b"not gzip at all", tmp_path)


def test_latest_version_picks_the_newest_kedro_version(tmp_path: Path) -> None:
    dataset = tmp_path / "model.tar.gz"
    for version in ["2026-01-02T10.00.00.000Z", "2026-01-10T09.00.00.000Z"]:
        (dataset / version).mkdir(parents=True)
        (dataset / version / "model.tar.gz").write_bytes(version.encode())
    assert latest_version(dataset).read_bytes() == b"2026-01-10T09.00.00.000Z"
    with pytest.raises(ResourceMissingError, match="kedro run --pipeline deployment"):
        latest_version(tmp_path / "missing.tar.gz")


def test_blurbs_survive_broken_rows_and_control_characters(
    caplog: pytest.LogCaptureFixture,
) -> None:
    frame = pd.DataFrame(
        {
            "movie_id": ["7", "garbage from a split row", "8"],
            "sentiment": ["pos", "pos", "neg"],
            "text": ["fine\x07 film\x00", "x", "\x1b\x1b"],
            "classifier_score": [0.9, 0.9, 0.9],
        }
    )
    assert blurbs_by_movie(frame) == {"7": {"text": "fine film", "sentiment": "pos"}}
    assert "1 row(s) with a non-numeric movie_id skipped" in caplog.text
