"""The generation pipeline: wiring, configuration consistency, a whole run on an in-memory
catalog, and the real run on conf/test (outputs, versioning, TensorBoard, MLflow)."""

from __future__ import annotations

import json
import math
import pickle

import pandas as pd
import pytest
import yaml
from kedro.io import DataCatalog
from kedro.runner import SequentialRunner

from movia.pipelines.generation import create_pipeline

from .conftest import REPO

CONTRACT_COLUMNS = {
    "movie_id",
    "sentiment",
    "text",
    "classifier_score",
    "machine_generated",
}


def test_every_node_is_named_after_its_function() -> None:
    for node in create_pipeline().nodes:
        assert node.name == f"{node.func.__name__}_node"


def test_free_inputs_are_the_contract_datasets() -> None:
    inputs = {i for i in create_pipeline().inputs() if not i.startswith("params:")}
    assert inputs == {"reviews", "movies", "ratings", "sentiment_baseline_model"}


def _keys(tree: object, prefix: str = "") -> set[str]:
    if not isinstance(tree, dict):
        return {prefix}
    return {k for key, value in tree.items() for k in _keys(value, f"{prefix}.{key}")}


@pytest.mark.parametrize("env", ["test", "full"])
def test_overrides_repeat_the_base_keys_exactly(env: str) -> None:
    """Kedro replaces the whole block: a missing key would vanish, an extra one is a bug."""
    base = yaml.safe_load((REPO / "conf/base/parameters_generation.yml").read_text())
    other = yaml.safe_load((REPO / f"conf/{env}/parameters_generation.yml").read_text())
    assert _keys(other) == _keys(base)


def test_catalog_datasets_share_the_run_save_version() -> None:
    """A versioned dataset inside MlflowArtifactDataset would make its own save version."""
    config = yaml.safe_load((REPO / "conf/base/catalog_generation.yml").read_text())
    config = {name: entry for name, entry in config.items() if not name.startswith("_")}
    catalog = DataCatalog.from_config(config, save_version="2026-01-01T00.00.00.000Z")
    assert len(list(catalog.items())) == len(config)


@pytest.mark.slow
def test_whole_pipeline_on_an_in_memory_catalog(
    reviews, movies, ratings, classifier, test_parameters
) -> None:
    catalog = DataCatalog()
    catalog["reviews"], catalog["movies"], catalog["ratings"] = reviews, movies, ratings
    catalog["sentiment_baseline_model"] = classifier
    params = test_parameters | {
        "corpus": test_parameters["corpus"]
        | {"cut": {"strategy": "opinionated", "min_words": 5, "max_words": 20}},
        "evaluation": test_parameters["evaluation"] | {"n_samples": 2},
    }
    for key, value in params.items():
        catalog[f"params:generation.{key}"] = value
    outputs = SequentialRunner().run(create_pipeline(), catalog)
    free = {name: getattr(v, "load", lambda v=v: v)() for name, v in outputs.items()}
    assert set(free) == {
        "generation_report",
        "generation_quality_diversity_plot",
        "generation_mlflow_metrics",
        "generated_reviews",
    }
    report = free["generation_report"]
    assert report.startswith("# Review generation report")
    assert "machine-generated" in report and "| gan | 1 |" in report
    assert "| real | — |" in report and "| mle | 0.8 |" in report
    assert len(free["generation_quality_diversity_plot"].axes) == 2
    assert {"mle.t0.80.bleu_4", "gan.t1.00.label_control"} <= set(
        free["generation_mlflow_metrics"]
    )
    assert CONTRACT_COLUMNS <= set(free["generated_reviews"].columns)


def _latest(folder) -> object:  # noqa: ANN001 - a Path
    """The file of the newest version in a Kedro versioned dataset folder."""
    versions = sorted(p for p in folder.iterdir() if p.is_dir())
    return next(versions[-1].iterdir())


@pytest.mark.real_data
@pytest.mark.slow
def test_run_on_conf_test(generation_project) -> None:
    project = generation_project
    blurbs = pd.read_csv(
        _latest(project.path("data/07_model_output/generated_reviews.csv"))
    )
    assert CONTRACT_COLUMNS <= set(blurbs.columns)
    assert len(blurbs) == 10 and blurbs["machine_generated"].all()  # 5 movies x 2
    assert blurbs["sentiment"].value_counts().to_dict() == {"neg": 5, "pos": 5}
    assert blurbs["classifier_score"].between(0, 1).all()

    metrics = json.loads(
        _latest(project.path("data/08_reporting/generation_metrics.json")).read_text()
    )
    points = metrics["operating_points"]
    assert [(p["model"], p["temperature"]) for p in points] == [
        ("real", None),
        ("mle", 0.8),
        ("mle", 1.0),
        ("gan", 0.8),
        ("gan", 1.0),
    ]
    for point in points:
        assert all(0 <= point[f"bleu_{n}"] <= 1 for n in (2, 3, 4, 5))
        assert point["n_samples"] == 20
    # the real held-out windows: the cut makes most of them readable as their label
    assert points[0]["label_control"] >= 0.7
    for model in ("mle", "gan"):
        assert math.isfinite(metrics["models"][model]["test_nll"])
    report = _latest(project.path("data/08_reporting/generation_report.md")).read_text()
    assert "## GAN vs MLE" in report
    assert _latest(project.path("data/08_reporting/generation_quality_diversity.png"))

    with _latest(project.path("data/06_models/generator_gan.pkl")).open("rb") as file:
        generator = pickle.load(file)  # loadable without Kedro
    assert len(generator.generate(["pos", "neg"])) == 2

    tensorboard = project.path("data/07_model_output/tensorboard/generation")
    assert list((tensorboard / "mle").glob("events.out.tfevents.*"))
    assert list((tensorboard / "gan").glob("events.out.tfevents.*"))
    assert project.path("data/06_models/generation_checkpoints/gan_last.pt").exists()


@pytest.mark.real_data
@pytest.mark.slow
def test_run_logs_metrics_to_mlflow(generation_project) -> None:
    from mlflow.tracking import MlflowClient

    uri = f"sqlite:///{generation_project.path('mlflow.db')}"
    client = MlflowClient(tracking_uri=uri)
    runs = client.search_runs(
        [e.experiment_id for e in client.search_experiments()],
        filter_string="metrics.`generation.gan.test_nll` > 0",
    )
    assert runs
    run_id = runs[0].info.run_id
    history = client.get_metric_history(run_id, "generation.gan.d_loss")
    assert [m.step for m in history] == [1, 2, 3, 4, 5, 6]
    artifacts = {a.path for a in client.list_artifacts(run_id, "generation")}
    assert {
        "generation/generator_gan.pkl",
        "generation/generation_report.md",
    } <= artifacts
