"""Project-level checks: pipeline discovery, lineage site, import boundaries, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from movia.cli import cli
from tests.conftest import REPO, make_project_copy

PIPELINES = sorted(
    p.name
    for p in (REPO / "src" / "movia" / "pipelines").iterdir()
    if (p / "pipeline.py").exists()
)
KEDRO = str(Path(sys.executable).with_name("kedro"))


def _kedro(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "true"}
    return subprocess.run(
        [KEDRO, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_pipeline_package_is_registered_and_default_runs_all() -> None:
    from kedro.framework.project import configure_project

    from movia.pipeline_registry import register_pipelines

    configure_project("movia")
    pipelines = register_pipelines()
    assert set(PIPELINES) <= set(pipelines)
    assert "data_processing" in PIPELINES
    every_node = {node.name for name in PIPELINES for node in pipelines[name].nodes}
    assert {node.name for node in pipelines["__default__"].nodes} == every_node


@pytest.mark.slow
def test_kedro_cli_lists_pipelines_and_builds_the_lineage_site(tmp_path: Path) -> None:
    project = make_project_copy(tmp_path / "project")
    listed = _kedro(["registry", "list"], project)
    assert listed.returncode == 0, listed.stderr
    for name in PIPELINES:
        assert name in listed.stdout
    built = _kedro(["viz", "build"], project)
    assert built.returncode == 0, built.stderr
    graph = json.loads((project / "build" / "api" / "main").read_text())
    tasks = {node["name"] for node in graph["nodes"] if node["type"] == "task"}
    assert {"build_movies_node", "build_reviews_node", "plot_eda_node"} <= tasks
    datasets = {node["name"] for node in graph["nodes"] if node["type"] == "data"}
    assert {"movies", "ratings", "reviews", "data_quality_report"} <= datasets


@pytest.mark.parametrize(
    "module",
    [
        "movia.text",
        "movia.evaluation",
        "movia.models",
        "movia.analysis",
        "movia.serving",
        "movia.datasets.fetch",
    ],
)
def test_library_layers_never_import_kedro(module: str) -> None:
    if (
        not (REPO / "src" / Path(*module.split("."))).exists()
        and not (REPO / "src" / (str(Path(*module.split("."))) + ".py")).exists()
    ):
        pytest.skip(f"{module} does not exist yet")
    code = f"import sys, {module}; print('kedro' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_cli_help_is_fast_and_light() -> None:
    code = "import sys; from movia.cli import cli; print(sorted(m for m in ('kedro','torch','pandas') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_fetch_data_lists_sources() -> None:
    result = CliRunner().invoke(cli, ["fetch-data", "--list"])
    assert result.exit_code == 0
    assert "ml-latest-small" in result.output and "ml-100k" in result.output


def test_unknown_dataset_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["fetch-data", "--dataset", "nope", "--raw-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert (
        "error: dataset='nope' is not valid; choose one of: ml-latest-small"
        in result.output
    )
    assert "Traceback" not in result.output


@pytest.mark.real_data
def test_fetch_data_from_the_mirror(tmp_path: Path, mirror: Path) -> None:
    args = [
        "fetch-data",
        "--dataset",
        "ml-latest-small",
        "--raw-dir",
        str(tmp_path),
        "--mirror",
        str(mirror),
    ]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "mirror" in first.output
    assert (
        tmp_path / "movielens" / "ml-latest-small" / "ratings.csv"
    ).stat().st_size == 2_382_886
    again = CliRunner().invoke(cli, args)
    assert "present" in again.output
