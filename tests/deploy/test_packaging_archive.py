"""model.tar.gz from the real recommender bundle: layout, reproducibility, validation."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from movia.deploy.packaging import (
    HANDLER_SOURCE,
    VENDORED_MODULES,
    archive_members,
    build_model_archive,
    validate_model_archive,
)
from movia.errors import DataError


def _read(archive: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read()


def test_layout_is_sagemakers_pytorch_layout(archive_bytes: bytes) -> None:
    members = set(archive_members(archive_bytes))
    assert {
        "recommendation/bundle.pkl",
        "recommendation/manifest.json",
        "movie_sentiment.json",
        "model_info.json",
        "code/inference.py",
        "code/requirements.txt",
        "code/movia/__init__.py",
        "code/movia/serving/inference.py",
        "code/movia/models/recommenders/bundle.py",
    } <= members
    assert "generated_reviews.json" not in members  # no generation output given
    assert not any(name.endswith(".pyc") for name in members)
    assert _read(archive_bytes, "code/inference.py") == HANDLER_SOURCE.read_bytes()
    requirements = _read(archive_bytes, "code/requirements.txt").decode().split()
    assert [line.split("==")[0] for line in requirements] == ["numpy", "pydantic"]
    info = json.loads(_read(archive_bytes, "model_info.json"))
    assert info["has_sentiment"] is True and info["has_blurbs"] is False
    assert len(info["model_version"]) == 12 and info["requirements"] == requirements


def test_the_same_model_gives_the_same_bytes(bundle, archive_bytes: bytes) -> None:  # noqa: ANN001
    again = build_model_archive(
        bundle,
        {
            "588": {
                "smoothed_score": 0.8,
                "n_reviews": 10,
                "ci_low": None,
                "ci_high": None,
            }
        },
        None,
        requirements=["numpy", "pydantic"],
        vendored_modules=VENDORED_MODULES,
        compresslevel=1,
    )
    assert again == archive_bytes


@pytest.mark.slow
def test_validation_loads_the_handler_from_the_archive_alone(
    archive_bytes: bytes,
) -> None:
    report = validate_model_archive(
        archive_bytes,
        [{"user_id": 5, "k": 2}, {"text": "a dark thriller with detectives", "k": 2}],
    )
    assert report["movia_from_archive"] is True
    info = json.loads(_read(archive_bytes, "model_info.json"))
    assert report["model_version"] == info["model_version"]
    first, second = report["responses"]
    assert first["n_items"] == 2 and first["items"][0]["title"] == "Aladdin"
    assert second["n_items"] == 2 and first["seconds"] < 5


@pytest.mark.slow
def test_validation_catches_incomplete_vendoring(bundle) -> None:  # noqa: ANN001
    archive = build_model_archive(bundle, vendored_modules=["errors", "serving"])
    with pytest.raises(DataError, match="the packaged handler failed") as caught:
        validate_model_archive(archive, [{"genres": ["Drama"]}])
    assert "movia.models" in str(caught.value)


def test_validation_names_missing_members() -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        data = b"{}"
        member = tarfile.TarInfo("model_info.json")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    with pytest.raises(DataError) as caught:
        validate_model_archive(raw.getvalue(), [])
    assert "code/inference.py" in str(caught.value) and "recommendation/" in str(
        caught.value
    )
