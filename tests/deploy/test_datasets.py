"""The deployment pipeline's Kedro datasets, and the catalog that wires the optional inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, Version

from movia.deploy.datasets import ModelArchiveDataset, OptionalDataset
from tests.conftest import REPO


def test_archive_bytes_round_trip_through_versions(tmp_path: Path) -> None:
    path = str(tmp_path / "model.tar.gz")
    ModelArchiveDataset(path, Version(None, "2026-01-01T00.00.00.000Z")).save(b"first")
    ModelArchiveDataset(path, Version(None, "2026-01-02T00.00.00.000Z")).save(b"second")
    latest = ModelArchiveDataset(path, Version(None, None))
    assert latest.exists() and latest.load() == b"second"
    pinned = ModelArchiveDataset(path, Version("2026-01-01T00.00.00.000Z", None))
    assert pinned.load() == b"first"
    assert (
        tmp_path / "model.tar.gz" / "2026-01-02T00.00.00.000Z" / "model.tar.gz"
    ).is_file()


def test_optional_dataset_loads_none_until_the_wrapped_one_exists(
    tmp_path: Path,
) -> None:
    config = {
        "type": "pandas.CSVDataset",
        "filepath": str(tmp_path / "reviews.csv"),
        "versioned": True,
    }
    optional = OptionalDataset(config)
    assert optional.load() is None and not optional.exists()
    OptionalDataset(config).save(pd.DataFrame({"movie_id": [1], "text": ["ok"]}))
    loaded = OptionalDataset(config).load()
    assert loaded.to_dict("list") == {"movie_id": [1], "text": ["ok"]}


def test_optional_dataset_without_an_entry_is_always_none() -> None:
    assert OptionalDataset(None).load() is None


def _catalog(conf: Path) -> DataCatalog:
    loader = OmegaConfigLoader(str(conf), base_env="base", default_run_env="local")
    return DataCatalog.from_config(loader["catalog"])


def test_catalog_reads_the_sentiment_entry_of_its_owner(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    (conf / "base").mkdir(parents=True)
    (conf / "local").mkdir()
    shutil.copy(REPO / "conf/base/catalog_deployment.yml", conf / "base")
    sentiment_file = tmp_path / "movie_sentiment.parquet"
    (conf / "base" / "catalog_other.yml").write_text(
        f"movie_sentiment:\n  type: pandas.ParquetDataset\n  filepath: {sentiment_file}\n"
    )
    assert _catalog(conf).load("deployment_movie_sentiment") is None  # not produced yet
    pd.DataFrame({"movie_id": [5], "smoothed_score": [0.7]}).to_parquet(sentiment_file)
    loaded = _catalog(conf).load("deployment_movie_sentiment")
    assert loaded["smoothed_score"].tolist() == [0.7]
    assert (
        _catalog(conf).load("deployment_generated_reviews") is None
    )  # no entry at all
