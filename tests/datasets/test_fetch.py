"""The downloader against a real HTTP server on 127.0.0.1, and the mirror copy."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from movia.datasets.fetch import (
    MANIFEST,
    download_file,
    fetch_source,
    is_present,
    unpack,
)
from movia.datasets.sources import SOURCES, Download, LayoutFile, Source
from movia.errors import ChecksumError, DataError, DownloadError, SourceUnavailableError


def _zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


ARCHIVE = _zip_bytes(
    {
        "ml-tiny/ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0,10\n",
        "ml-tiny/README.txt": "tiny\n",
    }
)
ARCHIVE_SHA = hashlib.sha256(ARCHIVE).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    """Serves ``/ok.zip`` whole, ``/cut.zip`` with a lying Content-Length, counts requests."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).requests.append(self.path)
        if self.path == "/missing.zip":
            self.send_error(404)
            return
        body = ARCHIVE
        self.send_response(200)
        if self.path == "/cut.zip":
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _source(url: str, sha: str = ARCHIVE_SHA) -> Source:
    return Source(
        name="tiny",
        folder="movielens/ml-tiny",
        title="tiny",
        licence="test",
        citation="test",
        redistributable=True,
        files=(LayoutFile("ratings.csv"), LayoutFile("README.txt")),
        downloads=(Download(url, sha, len(ARCHIVE), unpack="zip"),),
        prepare="lift_single_folder",
    )


def test_download_verifies_and_installs_atomically(server: str, tmp_path: Path) -> None:
    result = fetch_source(_source(f"{server}/ok.zip"), tmp_path)
    folder = tmp_path / "movielens" / "ml-tiny"
    assert result.status == "download"
    assert (folder / "ratings.csv").read_text().startswith("userId,movieId")
    manifest = json.loads((folder / MANIFEST).read_text())
    assert set(manifest["files"]) == {"ratings.csv", "README.txt"}
    assert not list(tmp_path.glob(".staging-*")), "staging folder must be cleaned up"
    assert not list((tmp_path / ".downloads").glob("*.part"))


def test_second_fetch_is_a_no_op(server: str, tmp_path: Path) -> None:
    fetch_source(_source(f"{server}/ok.zip"), tmp_path)
    before = len(_Handler.requests)
    again = fetch_source(_source(f"{server}/ok.zip"), tmp_path)
    assert again.status == "present"
    assert len(_Handler.requests) == before


def test_tampered_file_is_fetched_again(server: str, tmp_path: Path) -> None:
    fetch_source(_source(f"{server}/ok.zip"), tmp_path)
    target = tmp_path / "movielens" / "ml-tiny" / "ratings.csv"
    target.write_text("tampered")
    assert not is_present(_source(f"{server}/ok.zip"), tmp_path)
    fetch_source(_source(f"{server}/ok.zip"), tmp_path)
    assert target.read_text().startswith("userId")


def test_checksum_mismatch_keeps_existing_files(server: str, tmp_path: Path) -> None:
    folder = tmp_path / "movielens" / "ml-tiny"
    folder.mkdir(parents=True)
    (folder / "ratings.csv").write_text("earlier good copy")
    with pytest.raises(ChecksumError, match="sha256 is .* expected 0000"):
        fetch_source(_source(f"{server}/ok.zip", sha="0" * 64), tmp_path)
    assert (folder / "ratings.csv").read_text() == "earlier good copy"
    assert not (tmp_path / ".downloads" / "ok.zip").exists()
    assert not (tmp_path / ".downloads" / "ok.zip.part").exists()


def test_interrupted_transfer_is_reported_and_cleaned(
    server: str, tmp_path: Path
) -> None:
    with pytest.raises(DownloadError, match="cut.zip"):
        download_file(
            Download(f"{server}/cut.zip", ARCHIVE_SHA, unpack="zip"), tmp_path
        )
    assert list(tmp_path.iterdir()) == []


def test_http_error_names_the_url(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="missing.zip"):
        download_file(Download(f"{server}/missing.zip", ARCHIVE_SHA), tmp_path)


def test_truncated_archive_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(ARCHIVE[: len(ARCHIVE) // 2])
    with pytest.raises(DataError, match="broken.zip.*truncated or corrupt"):
        unpack(broken, "zip", tmp_path / "out")


def test_zip_slip_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    evil.write_bytes(_zip_bytes({"../escape.txt": "x"}))
    with pytest.raises(DataError, match="unsafe member"):
        unpack(evil, "zip", tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_mirror_copy_checks_registry_digests(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    folder = mirror / "movielens" / "ml-tiny"
    folder.mkdir(parents=True)
    (folder / "ratings.csv").write_text("a,b\n")
    (folder / "README.txt").write_text("hi\n")
    good = hashlib.sha256(b"a,b\n").hexdigest()
    source = Source(
        name="tiny",
        folder="movielens/ml-tiny",
        title="t",
        licence="l",
        citation="c",
        redistributable=True,
        files=(LayoutFile("ratings.csv", good), LayoutFile("README.txt")),
    )
    result = fetch_source(source, tmp_path / "raw", mirror=mirror)
    assert result.status == "mirror"
    assert (
        tmp_path / "raw" / "movielens" / "ml-tiny" / "ratings.csv"
    ).read_text() == "a,b\n"

    (folder / "ratings.csv").write_text("changed\n")
    with pytest.raises(ChecksumError, match="mirror:movielens/ml-tiny/ratings.csv"):
        fetch_source(source, tmp_path / "raw2", mirror=mirror)


def test_source_without_url_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match="sfu.ca"):
        fetch_source("sfu-spanish", tmp_path, mirror=tmp_path / "empty-mirror")


def test_registry_is_complete() -> None:
    """Every downloadable source pins a sha256; ml-100k is flagged as not redistributable."""
    for source in SOURCES.values():
        assert source.files, source.name
        assert source.downloads or source.manual, source.name
        for download in source.downloads:
            assert len(download.sha256) == 64, source.name
    assert not SOURCES["ml-100k"].redistributable
    assert {
        "ml-latest-small",
        "ml-100k",
        "ml-1m",
        "ml-25m",
        "imdb",
        "spanish-imdb",
        "sfu-spanish",
        "tmdb",
        "ud-spanish",
    } <= set(SOURCES)


@pytest.mark.real_data
def test_mirror_fetch_of_the_real_sources(mirror: Path, tmp_path: Path) -> None:
    """The shared mirror matches every digest in the registry."""
    for name in (
        "ml-latest-small",
        "ml-100k",
        "imdb",
        "spanish-imdb",
        "tmdb",
        "ud-spanish",
    ):
        assert fetch_source(name, tmp_path, mirror=mirror).status == "mirror"
