"""Find and unpack the model to serve: a ``model.tar.gz`` (any version) or an unpacked folder.

``movia serve`` and ``movia deploy --target local`` serve exactly what SageMaker would: the
archive built by the deployment pipeline, unpacked as the container unpacks it.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from movia.errors import DataError, ResourceMissingError

DEFAULT_ARCHIVE = Path("data/06_models/model.tar.gz")


def latest_version(path: Path) -> Path:
    """The newest file of a Kedro-versioned dataset (``<path>/<version>/<name>``), or ``path``.

    Kedro's version folders are UTC timestamps, so the lexical maximum is the newest.

    Raises:
        ResourceMissingError: Neither a file nor any version exists.
    """
    if path.is_file():
        return path
    versions = sorted(p for p in path.glob(f"*/{path.name}") if p.is_file())
    if not versions:
        raise ResourceMissingError(
            f"{path}: no model archive; build one with `kedro run --pipeline deployment`"
        )
    return versions[-1]


def extract_archive(archive: bytes | Path, destination: Path) -> Path:
    """Unpack ``model.tar.gz`` into ``destination``; links and absolute paths are refused.

    Raises:
        DataError: Not a gzip tarball, or a member would escape ``destination``.
    """
    source = io.BytesIO(archive) if isinstance(archive, bytes) else None
    where = "model archive" if source is not None else str(archive)
    try:
        with (
            tarfile.open(fileobj=source, mode="r:gz")
            if source is not None
            else tarfile.open(str(archive), mode="r:gz")
        ) as tar:
            tar.extractall(destination, filter="data")
    except (tarfile.TarError, OSError, EOFError) as err:
        raise DataError(f"not a valid model.tar.gz: {err}", path=where) from err
    return destination


def resolve_model_dir(source: Path, scratch: Path) -> Path:
    """A model directory for ``source``: itself if a folder, else its archive unpacked.

    Args:
        source: An unpacked model folder, a ``model.tar.gz``, or a versioned dataset path.
        scratch: Where an archive is unpacked (the caller owns and removes it).
    """
    if source.is_dir() and not any(source.glob(f"*/{source.name}")):
        return source
    return extract_archive(latest_version(source), scratch)
