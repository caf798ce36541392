"""Serving fixtures: a model directory as the deployment pipeline lays it out, and a real
uvicorn server on a free 127.0.0.1 port (a thread of the test process)."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from movia.deploy.packaging import build_model_archive
from movia.serving.inference import (
    BLURBS_FILE,
    INFO_FILE,
    RECOMMENDER_DIR,
    SENTIMENT_FILE,
)
from movia.serving.settings import ServingSettings

ENDPOINT = "movia-test"
# Model text that must reach the page as text: the browser test checks nothing runs.
HOSTILE_BLURB = (
    '<img src=x onerror="window.__xss=1"> A warm, funny film. '
    "<script>window.__xss=2</script>"
)


def _bundle_class():  # noqa: ANN202 - the recommender bundle class
    try:
        from movia.models.recommenders.bundle import RecommenderBundle
    except ModuleNotFoundError:
        from tests.serving import _standin_bundle

        sys.modules["movia.models.recommenders.bundle"] = _standin_bundle
        from movia.models.recommenders.bundle import RecommenderBundle
    return RecommenderBundle


def write_model_dir(root: Path) -> Path:
    """A model directory with the recommender, sentiment for two movies and one blurb."""
    bundle = _bundle_class()()
    bundle.save(root / RECOMMENDER_DIR)
    (root / SENTIMENT_FILE).write_text(
        json.dumps(
            {
                "1": {
                    "smoothed_score": 0.82,
                    "n_reviews": 120,
                    "ci_low": 0.75,
                    "ci_high": 0.88,
                },
                "6": {
                    "smoothed_score": 0.35,
                    "n_reviews": 40,
                    "ci_low": None,
                    "ci_high": None,
                },
            }
        )
    )
    (root / BLURBS_FILE).write_text(
        json.dumps({"1": {"text": HOSTILE_BLURB, "sentiment": "pos"}})
    )
    (root / INFO_FILE).write_text(json.dumps({"model_version": "test0001"}))
    return root


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_model_dir(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="session")
def archive_bytes() -> bytes:
    """model.tar.gz for the serving test recommender, with sentiment for one movie."""
    bundle = _bundle_class()()
    sentiment = {
        "1": {"smoothed_score": 0.8, "n_reviews": 10, "ci_low": None, "ci_high": None}
    }
    return build_model_archive(
        bundle,
        sentiment,
        None,
        requirements=["numpy", "pydantic"],
        vendored_modules=["errors", "serving"],
        compresslevel=1,
    )


@pytest.fixture
def archive_path(tmp_path: Path, archive_bytes: bytes) -> Path:
    path = tmp_path / "model.tar.gz"
    path.write_bytes(archive_bytes)
    return path


@dataclass
class LiveServer:
    url: str
    settings: ServingSettings
    app: object


@contextmanager
def live_server(settings: ServingSettings) -> Iterator[LiveServer]:
    """Run the app with uvicorn on a socket bound here (no port race), in a thread."""
    import uvicorn

    from movia.serving.app import create_app

    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", settings, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def server(
    model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    settings = ServingSettings(
        model_dir=model_dir,
        event_store=tmp_path_factory.mktemp("events") / "events.sqlite",
        endpoint_name=ENDPOINT,
        variant="A",
    )
    with live_server(settings) as running:
        yield running
