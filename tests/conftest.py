"""Shared fixtures: tiny synthetic frames, the data mirror, and a throw-away Kedro project.

Pipeline tests never write into the repository's ``data/``: :func:`kedro_project` copies
``pyproject.toml`` and ``conf/`` into a temporary folder, fetches the raw sources there from the
mirror named by ``MOVIA_DATA_MIRROR``, and runs pipelines with ``--env test``. Each pipeline runs
at most once per session (``project.ensure("nlp")``), so tests of later pipelines reuse the
outputs of earlier ones, as a real ``kedro run`` would.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from movia.evaluation.columns import ITEM_ID, RATING, TIMESTAMP, USER_ID

REPO = Path(__file__).resolve().parents[1]
LAYERS = [
    "01_raw",
    "02_intermediate",
    "03_primary",
    "04_feature",
    "05_model_input",
    "06_models",
    "07_model_output",
    "08_reporting",
]


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")


def _mirror_path() -> Path | None:
    value = os.environ.get("MOVIA_DATA_MIRROR", "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (REPO / path).resolve()
    return path if path.is_dir() else None


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Skip real-data tests with a reason that names the variable to set."""
    if _mirror_path() is not None:
        return
    reason = (
        "real data absent: set MOVIA_DATA_MIRROR to a data mirror such as ../shared/data "
        "(CI does)"
    )
    for item in items:
        if "real_data" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The data mirror folder (tests using it must be marked ``real_data``)."""
    path = _mirror_path()
    if path is None:
        pytest.skip(
            "real data absent: set MOVIA_DATA_MIRROR to a data mirror (../shared/data)"
        )
    return path


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """Run inside ``path``: kedro-mlflow's ``sqlite:///mlflow.db`` is relative to the cwd."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


class KedroTestProject:
    """A copy of the project's configuration with its own ``data/``, run with ``--env test``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.completed: set[str] = set()

    def run(self, pipeline: str, env: str = "test", **kwargs: object) -> dict:
        """Run one pipeline in a fresh KedroSession and record it as done."""
        from kedro.framework.session import KedroSession
        from kedro.framework.startup import bootstrap_project

        bootstrap_project(self.root)
        with (
            working_directory(self.root),
            KedroSession.create(project_path=self.root, env=env) as session,
        ):
            result = session.run(pipeline_names=[pipeline], **kwargs)
        self.completed.add(pipeline)
        return result

    def ensure(self, *pipelines: str) -> KedroTestProject:
        """Run each pipeline unless an earlier test of this session already did."""
        for pipeline in pipelines:
            if pipeline not in self.completed:
                self.run(pipeline)
        return self

    def catalog(self, env: str = "test"):  # noqa: ANN201 - kedro's DataCatalog
        """The project's catalog (to load what a run saved)."""
        from kedro.framework.session import KedroSession
        from kedro.framework.startup import bootstrap_project

        bootstrap_project(self.root)
        with (
            working_directory(self.root),
            KedroSession.create(project_path=self.root, env=env) as session,
        ):
            return session.load_context().catalog

    def path(self, relative: str) -> Path:
        return self.root / relative


def make_project_copy(destination: Path) -> Path:
    """Copy what a Kedro project needs to run (metadata and conf) without any data."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", destination / "pyproject.toml")
    shutil.copytree(
        REPO / "conf", destination / "conf", ignore=shutil.ignore_patterns("local")
    )
    (destination / "conf" / "local").mkdir(exist_ok=True)
    (
        destination / "src"
    ).mkdir()  # bootstrap_project wants it; movia is imported as installed
    for layer in LAYERS:
        (destination / "data" / layer).mkdir(parents=True, exist_ok=True)
    return destination


@pytest.fixture(scope="session")
def kedro_project(
    tmp_path_factory: pytest.TempPathFactory, mirror: Path
) -> KedroTestProject:
    """A temporary project with the default sources fetched from the mirror."""
    from movia.datasets.fetch import fetch_all
    from movia.datasets.sources import DEFAULT_SOURCES, SOURCES

    root = make_project_copy(tmp_path_factory.mktemp("movia-project"))
    optional = [name for name in DEFAULT_SOURCES if "optional" in SOURCES[name].tags]
    fetch_all(
        DEFAULT_SOURCES,
        root / "data" / "01_raw",
        mirror=mirror,
        skip_unavailable=optional,
    )
    return KedroTestProject(root)


# --- tiny synthetic frames, built from the evaluation contract's column names -------------


@pytest.fixture
def interactions_small() -> pd.DataFrame:
    """Three users, four items; small enough to work expected values out by hand."""
    return pd.DataFrame(
        {
            USER_ID: [1, 1, 1, 2, 2, 3],
            ITEM_ID: [10, 20, 30, 10, 40, 20],
            RATING: [5.0, 3.0, 4.0, 4.0, 2.0, 5.0],
            TIMESTAMP: pd.to_datetime(
                [1, 2, 3, 1, 2, 1], unit="D", origin="2020-01-01", utc=True
            ),
        }
    )


@pytest.fixture(autouse=True)
def no_leaked_mlflow_run() -> Iterator[None]:
    """Fail the test that leaves an MLflow run open: the next one would log into it."""
    yield
    import mlflow

    leaked = mlflow.active_run()
    if leaked is not None:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        pytest.fail(f"the test left MLflow run {leaked.info.run_id} active")
