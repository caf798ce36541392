"""``movia serve`` as a person runs it: a child process serving an archive on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from movia.cli import cli

MOVIA = str(Path(sys.executable).with_name("movia"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_serve_unpacks_an_archive_and_serves_it(
    archive_path: Path, tmp_path: Path
) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [MOVIA, "serve", "--model", str(archive_path), "--port", str(port),
         "--events", str(tmp_path / "events.sqlite"), "--variant", "B"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = httpx.get(
                    f"http://127.0.0.1:{port}/api/health", timeout=1
                ).json()
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health is not None, (
            process.stdout.read() if process.poll() is not None else ""
        )
        assert health["variant"] == "B" and health["sentiment_available"] is True
        answer = httpx.post(
            f"http://127.0.0.1:{port}/invocations", json={"genres": ["Comedy"], "k": 1}
        )
        assert answer.status_code == 200 and len(answer.json()["items"]) == 1
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert (tmp_path / "events.sqlite").exists()


def test_serve_without_a_model_is_one_clear_line(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MOVIA_MODEL_DIR", raising=False)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert (
        "no model archive; build one with `kedro run --pipeline deployment`"
        in result.output
    )
