"""Serving fixtures: a model directory as the deployment pipeline lays it out, and a real
uvicorn server on a free 127.0.0.1 port (a thread of the test process)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from movia.deploy.packaging import VENDORED_MODULES, build_model_archive
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


# A catalogue small enough to reason about: users 1-4 watch crime films, users 5-8 family
# films, everybody watched Pulp Fiction. User 1 has not seen Se7en and user 5 not Aladdin, so
# those are what collaborative filtering must put first for them.
MOVIES = [
    (1, "Toy Story", 1995, ["Adventure", "Animation", "Children", "Comedy", "Fantasy"],
     "A cowboy doll and a space ranger toy become friends in an animated family comedy."),
    (2, "Jumanji", 1995, ["Adventure", "Children", "Fantasy"],
     "Children find a magical board game that unleashes jungle adventures."),
    (34, "Babe", 1995, ["Children", "Drama"],
     "A kind pig raised by sheepdogs learns to herd sheep on a farm."),
    (364, "The Lion King", 1994, ["Adventure", "Animation", "Children", "Drama", "Musical"],
     "An animated lion cub grows up to reclaim his kingdom from his uncle."),
    (588, "Aladdin", 1992, ["Adventure", "Animation", "Children", "Comedy", "Musical"],
     "An animated musical about a street thief, a genie and three wishes."),
    (6, "Heat", 1995, ["Action", "Crime", "Thriller"],
     "A master thief and an obsessed detective clash over Los Angeles heists."),
    (32, "Twelve Monkeys", 1995, ["Mystery", "Sci-Fi", "Thriller"],
     "A convict travels back in time to stop a deadly virus."),
    (47, "Se7en", 1995, ["Mystery", "Thriller"],
     "Two detectives hunt a serial killer who uses the seven deadly sins."),
    (50, "The Usual Suspects", 1995, ["Crime", "Mystery", "Thriller"],
     "Five criminals meet in a police lineup and plan a heist."),
    (608, "Fargo", 1996, ["Comedy", "Crime", "Drama", "Thriller"],
     "A car salesman hires two criminals to kidnap his wife in snowy Minnesota."),
    (296, "Pulp Fiction", 1994, ["Comedy", "Crime", "Drama", "Thriller"],
     "Stories of hitmen, a boxer and a gangster's wife intertwine in Los Angeles."),
    (356, "Forrest Gump", 1994, ["Comedy", "Drama", "Romance", "War"],
     "A kind man with a low IQ witnesses decades of American history."),
]  # fmt: skip
CRIME = [6, 32, 47, 50, 608]
FAMILY = [1, 2, 34, 364, 588]


def build_bundle():  # noqa: ANN201 - a RecommenderBundle
    """The real serving bundle, fitted on the catalogue above (MiniLM text embeddings)."""
    from movia.evaluation.columns import ITEM_ID, RATING, TIMESTAMP, USER_ID
    from movia.models.recommenders import (
        ColdStartRecommender,
        EASERecommender,
        RecommenderBundle,
    )
    from movia.models.recommenders.text_query import (
        DEFAULT_SENTENCE_MODEL,
        encode_texts,
    )

    rows = []
    for user in (1, 2, 3, 4):
        rows += [(user, item, 5.0) for item in CRIME if (user, item) != (1, 47)]
    for user in (5, 6, 7, 8):
        rows += [(user, item, 4.5) for item in FAMILY if (user, item) != (5, 588)]
    rows += [(user, 296, 3.5) for user in range(1, 9)]
    rows += [(user, 356, 4.0) for user in (2, 6, 7)]
    interactions = pd.DataFrame(rows, columns=[USER_ID, ITEM_ID, RATING])
    interactions[TIMESTAMP] = pd.to_datetime(range(len(rows)), unit="D", utc=True)
    embeddings = encode_texts([m[4] for m in MOVIES], DEFAULT_SENTENCE_MODEL)
    items = pd.DataFrame(
        {
            ITEM_ID: [m[0] for m in MOVIES],
            "title": [m[1] for m in MOVIES],
            "year": pd.array([m[2] for m in MOVIES], dtype="Int64"),
            "genres": [m[3] for m in MOVIES],
            "embedding": list(embeddings),
        }
    )
    tags = pd.DataFrame({ITEM_ID: [1, 588, 47], "tag": ["pixar", "disney", "dark"]})
    ease = EASERecommender(l2=1.0).fit(interactions, items)
    cold = ColdStartRecommender(cf=EASERecommender(l2=1.0), n_neighbors=5).fit(
        interactions, items
    )
    return RecommenderBundle.build(ease, cold, items, interactions, tags, max_k=20)


@pytest.fixture(scope="session")
def bundle():  # noqa: ANN201 - a RecommenderBundle
    return build_bundle()


def write_model_dir(root: Path, bundle) -> Path:  # noqa: ANN001
    """A model directory with the recommender, sentiment for two movies and one blurb."""
    bundle.save(root / RECOMMENDER_DIR)
    (root / SENTIMENT_FILE).write_text(
        json.dumps(
            {
                "588": {
                    "smoothed_score": 0.82,
                    "n_reviews": 120,
                    "ci_low": 0.75,
                    "ci_high": 0.88,
                },
                "47": {
                    "smoothed_score": 0.35,
                    "n_reviews": 40,
                    "ci_low": None,
                    "ci_high": None,
                },
            }
        )
    )
    (root / BLURBS_FILE).write_text(
        json.dumps({"588": {"text": HOSTILE_BLURB, "sentiment": "pos"}})
    )
    (root / INFO_FILE).write_text(json.dumps({"model_version": "test0001"}))
    return root


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory, bundle) -> Path:  # noqa: ANN001
    return write_model_dir(tmp_path_factory.mktemp("model"), bundle)


@pytest.fixture(scope="session")
def archive_bytes(bundle) -> bytes:  # noqa: ANN001
    """model.tar.gz of the test bundle, with sentiment for one movie."""
    sentiment = {
        "588": {"smoothed_score": 0.8, "n_reviews": 10, "ci_low": None, "ci_high": None}
    }
    return build_model_archive(
        bundle,
        sentiment,
        None,
        requirements=["numpy", "pydantic"],
        vendored_modules=VENDORED_MODULES,
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
