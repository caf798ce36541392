"""Project hooks: log versioned catalog files to MLflow without wrapping their datasets.

kedro-mlflow's ``MlflowArtifactDataset`` cannot wrap a *versioned* dataset under Kedro 1.7 (the
wrapper gives the inner dataset a second save version and the session fails with
``VersionAlreadyExistsError`` as soon as the catalog is built). Instead, a catalog entry opts in with
metadata, keeps ``versioned: true``, and this hook logs whatever the dataset wrote — a file or a
folder — to the active MLflow run right after the save::

    sentiment_baseline_model:
      type: pickle.PickleDataset
      filepath: data/06_models/sentiment_baseline_model.pkl
      versioned: true
      metadata:
        mlflow_artifact: models   # artifact sub-folder in the run (true = the dataset name)

No active run (tracking disabled, a plain ``SequentialRunner`` in a test) means nothing is logged.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl

logger = logging.getLogger(__name__)

METADATA_KEY = "mlflow_artifact"


def saved_path(dataset: Any) -> Path | None:
    """Where a file-based dataset just wrote: its save version for versioned datasets."""
    try:
        if getattr(dataset, "_version", None):
            # the save path of this run; _get_save_path() refuses once the file exists
            path = dataset._get_versioned_path(dataset.resolve_save_version())
        else:
            path = dataset._filepath
    except AttributeError:
        return None
    return Path(str(path))


class MlflowArtifactHook:
    """Log the files of catalog entries tagged ``metadata.mlflow_artifact`` after each save."""

    def __init__(self) -> None:
        self._catalog: Any = None

    @hook_impl
    def after_catalog_created(self, catalog: Any) -> None:
        """Keep the catalog: ``after_dataset_saved`` only receives the dataset's name."""
        self._catalog = catalog

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any, node: Any) -> None:  # noqa: ARG002
        """Log the saved file or folder when the entry asks for it and a run is active."""
        if self._catalog is None:
            return
        dataset = self._catalog.get(dataset_name)
        wanted = (getattr(dataset, "metadata", None) or {}).get(METADATA_KEY)
        if not wanted:
            return
        import mlflow

        if mlflow.active_run() is None:
            return
        path = saved_path(dataset)
        if path is None or not path.exists():
            logger.warning(
                "%s asks for MLflow logging but wrote no local file", dataset_name
            )
            return
        folder = dataset_name if wanted is True else str(wanted)
        if path.is_dir():
            mlflow.log_artifacts(str(path), artifact_path=f"{folder}/{path.name}")
        else:
            mlflow.log_artifact(str(path), artifact_path=folder)
