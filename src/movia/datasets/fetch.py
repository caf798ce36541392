"""Fetch registered sources into ``data/01_raw``: from a mirror folder, or from the web.

Guarantees, in order of importance:

* **Nothing partial is left in place.** Downloads stream into ``<name>.part`` and are renamed only
  after size and sha256 match; sources are assembled in a staging folder and moved in file by file
  only once every file is there and verified. A manifest (``.movia-fetch.json``) is written last, so
  an interrupted fetch is detected and redone next time.
* **Idempotent.** A source whose files match its manifest (and the registry's digests, where fixed)
  is not fetched again; ``force=True`` overrides.
* **Honest about terms.** The licence and citation are logged for every source fetched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from movia.datasets.sources import SOURCES, Download, Source, get_source
from movia.errors import (
    ChecksumError,
    DataError,
    DownloadError,
    SourceUnavailableError,
)
from movia.progress import progress_bar

logger = logging.getLogger(__name__)

MANIFEST = ".movia-fetch.json"
MIRROR_ENV = "MOVIA_DATA_MIRROR"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FetchResult:
    """What one fetch did: ``status`` is ``present``, ``mirror`` or ``downloaded``."""

    name: str
    path: Path
    status: str


def sha256_of(path: Path) -> str:
    """Stream a file through sha256; 1 MiB chunks keep memory flat for 260 MB archives."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _progress(total: int | None, desc: str):  # noqa: ANN202 - tqdm has no stable public type
    """A byte progress bar on stderr that stays silent when nobody watches (CI, tests)."""
    return progress_bar(
        total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024
    )


def download_file(download: Download, cache_dir: Path, timeout: float = 60.0) -> Path:
    """Download ``download.url`` into ``cache_dir`` and verify it; reuse a valid cached copy.

    Returns:
        The path of the verified file.

    Raises:
        DownloadError: The server failed or the transfer was cut short.
        ChecksumError: The bytes are not the registered ones.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = cache_dir / download.filename
    if final.exists() and sha256_of(final) == download.sha256:
        logger.info("using cached %s", final)
        return final
    part = final.with_name(final.name + ".part")
    try:
        request = urllib.request.Request(
            download.url, headers={"User-Agent": "movia-fetch"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            announced = response.headers.get("Content-Length")
            expected = int(announced) if announced else download.size
            received = 0
            digest = hashlib.sha256()
            with part.open("wb") as out, _progress(expected, download.filename) as bar:
                for chunk in iter(lambda: response.read(_CHUNK), b""):
                    out.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
    except (urllib.error.URLError, OSError, ValueError) as err:
        part.unlink(missing_ok=True)
        raise DownloadError(f"could not download {download.url}: {err}") from err
    if expected is not None and received != expected:
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"transfer of {download.url} stopped after {received:,} of {expected:,} bytes; "
            "run the command again to retry"
        )
    if digest.hexdigest() != download.sha256:
        part.unlink(missing_ok=True)
        raise ChecksumError(
            f"sha256 is {digest.hexdigest()}, expected {download.sha256}; the file changed at "
            "the source or was corrupted in transit",
            path=download.url,
        )
    os.replace(part, final)
    return final


def _safe_members(names: Iterable[str], archive: Path) -> None:
    """Refuse archives whose members would land outside the target folder (zip-slip)."""
    for name in names:
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts:
            raise DataError(f"unsafe member {name!r} in archive", path=str(archive))


def unpack(archive: Path, kind: str, dest: Path) -> None:
    """Unpack a verified zip or tar.gz into ``dest``; a truncated archive names itself."""
    try:
        if kind == "zip":
            with zipfile.ZipFile(archive) as zipped:
                _safe_members(zipped.namelist(), archive)
                zipped.extractall(dest)
        else:
            with tarfile.open(archive, "r:gz") as tarred:
                _safe_members(tarred.getnames(), archive)
                tarred.extractall(dest, filter="data")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as err:
        raise DataError(
            f"archive is truncated or corrupt ({err})", path=str(archive)
        ) from err


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_present(source: Source, raw_dir: Path) -> bool:
    """True when every file of ``source`` is in place and matches the last fetch's digests."""
    folder = raw_dir / source.folder
    recorded = _read_manifest(folder).get("files", {})
    for layout in source.files:
        path = folder / layout.path
        if not path.is_file() or layout.path not in recorded:
            return False
        if sha256_of(path) != recorded[layout.path]:
            return False
    return True


def _verify_against_registry(
    source: Source, staging: Path, origin: str
) -> dict[str, str]:
    """Check every staged file exists and, where the registry fixes it, its digest."""
    digests: dict[str, str] = {}
    missing = [f.path for f in source.files if not (staging / f.path).is_file()]
    if missing:
        raise SourceUnavailableError(
            f"{source.name}: {origin} lacks {', '.join(missing)} (expected under "
            f"'{source.folder}/')"
        )
    for layout in source.files:
        digest = sha256_of(staging / layout.path)
        rebuilt = origin == "download" and layout.built
        if layout.sha256 and not rebuilt and digest != layout.sha256:
            raise ChecksumError(
                f"sha256 is {digest}, expected {layout.sha256}",
                path=f"{origin}:{source.folder}/{layout.path}",
            )
        digests[layout.path] = digest
    return digests


def _install(
    source: Source, staging: Path, raw_dir: Path, digests: dict[str, str], origin: str
) -> Path:
    """Move verified files into place, then write the manifest that marks the fetch complete."""
    folder = raw_dir / source.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    for layout in source.files:
        target = folder / layout.path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / layout.path, target)
    manifest = {"source": source.name, "origin": origin, "files": digests}
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)
    return folder


@contextmanager
def _staging(raw_dir: Path, name: str) -> Iterator[Path]:
    """A scratch folder on the same file system as ``raw_dir``, so moves are renames."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".staging-{name}-", dir=raw_dir))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _copy_from_mirror(source: Source, mirror: Path, staging: Path) -> None:
    base = mirror / source.folder
    for layout in source.files:
        origin = base / layout.path
        if not origin.is_file():
            continue  # reported, with every other missing file, by the verification step
        target = staging / layout.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, target)


def _download_into(source: Source, raw_dir: Path, staging: Path) -> None:
    cache = raw_dir / ".downloads"
    unpacked = staging / "_downloads"
    for download in source.downloads:
        path = download_file(download, cache)
        if download.unpack:
            unpack(path, download.unpack, unpacked)
        else:
            target = unpacked / (download.target or download.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    if source.prepare:
        from movia.datasets import (
            prepare,
        )  # pandas: only paid for when something is built

        getattr(prepare, source.prepare)(unpacked, staging, raw_dir)
    else:
        for layout in source.files:
            target = staging / layout.path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(unpacked / layout.path, target)


def fetch_source(
    source: str | Source, raw_dir: Path, mirror: Path | None = None, force: bool = False
) -> FetchResult:
    """Make one source present in ``raw_dir``: keep it, copy it from ``mirror``, or download it.

    Args:
        source: A registered name (see ``movia fetch-data --list``) or a :class:`Source`.
        raw_dir: The raw data folder (``data/01_raw``).
        mirror: A folder laid out like ``../shared/data``; used when it holds the source.
        force: Fetch again even when valid files are present.

    Raises:
        SourceUnavailableError: No mirror copy, no public URL: the message says how to get it.
        DownloadError, ChecksumError, DataError: The transfer or the archive failed; nothing
            already in ``raw_dir`` was touched.
    """
    source = get_source(source) if isinstance(source, str) else source
    name = source.name
    if not force and is_present(source, raw_dir):
        logger.info("%s: already present in %s", name, raw_dir / source.folder)
        return FetchResult(name, raw_dir / source.folder, "present")
    logger.info(
        "%s: %s. Licence: %s. Cite: %s",
        name,
        source.title,
        source.licence,
        source.citation,
    )
    if not source.redistributable:
        logger.warning(
            "%s may not be redistributed: keep it out of git and of anything you publish",
            name,
        )
    for required in source.requires:
        fetch_source(required, raw_dir, mirror=mirror)
    with _staging(raw_dir, name) as staging:
        if mirror is not None and (mirror / source.folder).is_dir():
            origin = "mirror"
            _copy_from_mirror(source, mirror, staging)
        elif source.downloads:
            origin = "download"
            _download_into(source, raw_dir, staging)
        else:
            where = f" (mirror {mirror} has no '{source.folder}/')" if mirror else ""
            raise SourceUnavailableError(
                f"{name}: no public download{where}. {source.manual}"
            )
        digests = _verify_against_registry(source, staging, origin)
        folder = _install(source, staging, raw_dir, digests, origin)
    logger.info(
        "%s: %s into %s",
        name,
        "copied from mirror" if origin == "mirror" else "downloaded",
        folder,
    )
    return FetchResult(name, folder, origin)


def fetch_all(
    names: Iterable[str],
    raw_dir: Path,
    mirror: Path | None = None,
    force: bool = False,
    skip_unavailable: Iterable[str] = (),
) -> list[FetchResult]:
    """Fetch several sources; those named in ``skip_unavailable`` may be missing (logged)."""
    optional = set(skip_unavailable)
    results = []
    for name in names:
        try:
            results.append(fetch_source(name, raw_dir, mirror=mirror, force=force))
        except SourceUnavailableError as err:
            if name not in optional:
                raise
            logger.warning("skipping optional source: %s", err)
            results.append(
                FetchResult(name, raw_dir / SOURCES[name].folder, "unavailable")
            )
    return results


def mirror_from_env() -> Path | None:
    """The mirror folder named by ``MOVIA_DATA_MIRROR`` (relative paths are from the cwd)."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None
