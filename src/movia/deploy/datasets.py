"""Kedro datasets of the deployment pipeline: the versioned archive, and optional inputs.

``ModelArchiveDataset`` stores ``model.tar.gz`` as bytes, versioned like any model. kedro-datasets
has no plain binary dataset, and the archive must reach disk byte for byte (SageMaker reads it
as is). ``OptionalDataset`` wraps another dataset and loads ``None`` when it has never been
saved: the sentiment and generation outputs enrich the served model when they exist, and the
deployment pipeline must still run without them.
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath
from typing import Any

from kedro.io import AbstractDataset, AbstractVersionedDataset, DatasetError, Version

logger = logging.getLogger(__name__)


class ModelArchiveDataset(AbstractVersionedDataset[bytes, bytes]):
    """A binary file (``model.tar.gz``) saved and loaded as ``bytes``.

    Args:
        filepath: Local path of the archive.
        version: Kedro's load/save version (``versioned: true`` in the catalog).
        metadata: Free-form, ignored by Kedro (kedro-viz shows it).
    """

    def __init__(
        self,
        filepath: str,
        version: Version | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(PurePosixPath(filepath), version)
        self.metadata = metadata

    def load(self) -> bytes:
        return Path(str(self._get_load_path())).read_bytes()

    def save(self, data: bytes) -> None:
        path = Path(str(self._get_save_path()))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _exists(self) -> bool:
        return Path(str(self._get_load_path())).is_file()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "version": self._version}


class OptionalDataset(AbstractDataset[Any, Any]):
    """Load the wrapped dataset, or ``None`` (with a log line) when it does not exist yet.

    Args:
        dataset: The wrapped dataset's catalog definition (``type``, ``filepath`` ...);
            ``versioned: true`` loads its latest version. ``None`` (the entry it
            interpolates does not exist in this environment) always loads ``None``.
        metadata: Free-form, ignored by Kedro.
    """

    def __init__(
        self, dataset: dict[str, Any] | None, metadata: dict[str, Any] | None = None
    ) -> None:
        self._config = dict(dataset) if dataset else None
        self._dataset = (
            AbstractDataset.from_config(
                "optional", dict(dataset), load_version=None, save_version=None
            )
            if dataset
            else None
        )
        self.metadata = metadata

    def load(self) -> Any:
        if self._dataset is None or not self._dataset.exists():
            logger.info(
                "optional input %s absent: continuing without it",
                self._dataset or "(no catalog entry)",
            )
            return None
        return self._dataset.load()

    def save(self, data: Any) -> None:
        if self._dataset is None:
            raise DatasetError("OptionalDataset without a wrapped dataset cannot save")
        self._dataset.save(data)

    def _exists(self) -> bool:
        return self._dataset is not None and self._dataset.exists()

    def _describe(self) -> dict[str, Any]:
        return {"dataset": self._config}
