"""Schemathesis (v4) fuzzes every operation of /openapi.json on the live server.

Positive and negative cases, every check but ``positive_data_acceptance``: a schema-valid
request can still name an unknown user, combine both request modes or give feedback on a movie
that was never shown, and the API rightly refuses those with a 422.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving.conftest import LiveServer

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


@pytest.mark.slow
def test_fuzzing_the_openapi_schema_finds_no_server_error(
    server: LiveServer, tmp_path: Path
) -> None:
    run = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--max-examples",
            "30",
            "--seed",
            "20240601",
            "--generation-database",
            "none",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-6000:]
    assert "8 selected / 8 total" in run.stdout
