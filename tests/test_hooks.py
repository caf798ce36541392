"""The MLflow artifact hook logs what a versioned dataset saved, into a real MLflow run."""

from __future__ import annotations

from pathlib import Path

import mlflow
import pytest
from kedro.io import DataCatalog, Version
from kedro_datasets.pickle import PickleDataset

from movia.hooks import MlflowArtifactHook


@pytest.fixture(scope="module")
def tracking(tmp_path_factory: pytest.TempPathFactory):
    """One SQLite store for the module: creating one runs MLflow's migrations (seconds)."""
    mlflow.set_tracking_uri(
        f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'mlflow.db'}"
    )
    mlflow.set_experiment("hook-test")
    yield
    mlflow.set_tracking_uri(None)


def _catalog(tmp_path: Path, metadata: dict | None) -> DataCatalog:
    dataset = PickleDataset(
        filepath=str(tmp_path / "model.pkl"),
        version=Version(None, None),
        metadata=metadata,
    )
    return DataCatalog({"model": dataset})


def test_versioned_file_is_logged_under_the_requested_folder(
    tmp_path: Path, tracking
) -> None:
    catalog = _catalog(tmp_path, {"mlflow_artifact": "models"})
    hook = MlflowArtifactHook()
    hook.after_catalog_created(catalog)
    with mlflow.start_run() as run:
        catalog.save("model", {"weights": [1, 2, 3]})
        hook.after_dataset_saved("model", None, None)
    logged = [
        a.path for a in mlflow.MlflowClient().list_artifacts(run.info.run_id, "models")
    ]
    assert logged == ["models/model.pkl"]
    assert list((tmp_path / "model.pkl").glob("*/model.pkl")), (
        "the versioned copy is kept too"
    )


def test_untagged_dataset_or_no_run_logs_nothing(tmp_path: Path, tracking) -> None:
    catalog = _catalog(tmp_path, None)
    hook = MlflowArtifactHook()
    hook.after_catalog_created(catalog)
    with mlflow.start_run() as run:
        catalog.save("model", 1)
        hook.after_dataset_saved("model", None, None)
    assert mlflow.MlflowClient().list_artifacts(run.info.run_id) == []
    tagged = _catalog(tmp_path / "other", {"mlflow_artifact": True})
    hook.after_catalog_created(tagged)
    tagged.save("model", 2)
    hook.after_dataset_saved(
        "model", None, None
    )  # no active run: nothing to do, no error
