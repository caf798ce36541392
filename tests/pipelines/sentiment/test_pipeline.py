"""The sentiment pipeline: wiring, configuration parity, an in-memory run, a real conf/test run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from kedro.io import DataCatalog
from kedro.runner import SequentialRunner
from kedro_datasets.pickle import PickleDataset
from mlflow.tracking import MlflowClient

from movia.pipelines.sentiment import create_pipeline

REPO = Path(__file__).resolve().parents[3]
CONTRACT_MODELS = {
    "sentiment_baseline_model",
    "sentiment_tfidf_lr_model",
    "sentiment_transformer_model",
    "sentiment_model_es",
}
CONTRACT_DATASETS = {
    "sentiment_baseline_model",
    "sentiment_transformer_model",
    "sentiment_model_es",
    "review_sentiment",
    "movie_sentiment",
    "sentiment_metrics",
}


def _keys(tree: object, prefix: str = "") -> set[str]:
    if not isinstance(tree, dict):
        return {prefix}
    keys = set()
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        # {member: weight} maps are values, not configuration keys
        keys |= {path} if key in ("ensembles", "ensemble") else _keys(value, path)
    return keys


def test_every_node_is_named_after_its_function() -> None:
    for node in create_pipeline().nodes:
        assert node.name.startswith(node.func.__name__)
        assert node.name.endswith("_node")


def test_the_pipeline_produces_the_contract_datasets() -> None:
    assert CONTRACT_DATASETS <= create_pipeline().all_outputs()
    assert create_pipeline().inputs() == {"reviews"} | {
        name for name in create_pipeline().inputs() if name.startswith("params:")
    }


@pytest.mark.parametrize("env", ["test", "full"])
def test_overrides_change_values_only(env: str) -> None:
    base = yaml.safe_load((REPO / "conf/base/parameters_sentiment.yml").read_text())
    other = yaml.safe_load((REPO / f"conf/{env}/parameters_sentiment.yml").read_text())
    assert _keys(other) == _keys(base)


def test_catalog_covers_every_persisted_output() -> None:
    catalog = yaml.safe_load((REPO / "conf/base/catalog_sentiment.yml").read_text())
    in_memory = {
        "sentiment_train_en",
        "sentiment_test_en",
        "sentiment_train_es",
        "sentiment_test_es",
        "sentiment_model_stats",
    }
    entries = {name for name in catalog if not name.startswith("_")}
    assert create_pipeline().all_outputs() - in_memory == entries


@pytest.mark.slow
def test_whole_pipeline_on_an_in_memory_catalog(
    reviews_small, sentiment_params, tmp_path: Path
) -> None:
    catalog = DataCatalog()
    catalog["reviews"] = reviews_small
    # the explain node consumes the model, and the runner releases consumed memory datasets
    catalog["sentiment_baseline_model"] = PickleDataset(
        filepath=str(tmp_path / "baseline.pkl")
    )
    for key, value in sentiment_params.items():
        catalog[f"params:sentiment.{key}"] = value
    pipe = create_pipeline()
    assert pipe.inputs() == {"reviews"} | {
        f"params:sentiment.{k}" for k in sentiment_params
    }
    outputs = SequentialRunner().run(pipe, catalog)

    def output(name: str) -> object:
        value = outputs.get(name)
        if value is None:
            return catalog.load(name)
        return value.load() if hasattr(value, "load") else value

    movies = output("movie_sentiment")
    assert movies["movie_id"].tolist() == [1, 2, 3, 4]
    assert movies["n_reviews"].sum() == reviews_small["movie_id"].notna().sum()
    assert (movies["ci_low"] <= movies["smoothed_score"]).all()
    assert (movies["smoothed_score"] <= movies["ci_high"]).all()

    metrics = output("sentiment_metrics")
    json.dumps(metrics)
    by_model = {(r["model"], r["test_set"]): r for r in metrics["side_by_side"]}
    assert by_model[("baseline", "imdb_test")]["accuracy"] == 1.0
    assert by_model[("model_es", "es_test")]["accuracy"] >= 0.8
    model = output("sentiment_baseline_model")
    assert list(model.classes_) == ["neg", "pos"]
    assert set(output("sentiment_mlflow_metrics")) >= {
        "baseline.imdb_test.accuracy",
        "transformer.train_seconds",
    }
    n_wrong = sum(
        min(1, confusion["fp"] + confusion["fn"])
        for confusion in (
            metrics["details"][model][test_set]["confusion"]
            for model, test_set in (("baseline", "imdb_test"), ("model_es", "es_test"))
        )
    )
    html = output("sentiment_explanations")
    # one correct review per language, plus one wrong one where the model made a mistake
    assert html.count("<section>") == 2 + n_wrong
    assert "LIME" in html and "SHAP" in html
    plots = output("sentiment_explanation_plots")
    assert {"top_features_en.png", "top_features_es.png"} <= set(plots)
    top = output("sentiment_top_features")
    assert {r["feature"] for r in top["en"] if r["polarity"] == "pos"} <= set(
        "great wonderful superb brilliant moving delightful".split()
    )


@pytest.mark.real_data
@pytest.mark.slow
def test_run_on_conf_test(kedro_project) -> None:
    kedro_project.ensure("data_processing", "sentiment")
    output = kedro_project.path("data/07_model_output")
    reviews = pd.read_parquet(kedro_project.path("data/03_primary/reviews.parquet"))
    scored = pd.read_parquet(output / "review_sentiment.parquet")
    assert list(scored.columns) == [
        "review_id",
        "movie_id",
        "lang",
        "prob_pos",
        "label_pred",
        "model",
    ]
    assert set(scored["review_id"]) == set(
        reviews["review_id"]
    )  # every review, both languages
    assert set(scored["lang"]) == {"en", "es"}
    assert scored["prob_pos"].between(0, 1).all()

    movies = pd.read_parquet(output / "movie_sentiment.parquet")
    linked = scored["movie_id"].dropna()
    assert len(movies) == linked.nunique()
    assert movies["n_reviews"].sum() == len(linked)

    metrics_files = list(
        kedro_project.path("data/08_reporting").glob("sentiment_metrics.json/*/*")
    )
    assert len(metrics_files) == 1
    metrics = json.loads(metrics_files[0].read_text())
    by_model = {(r["model"], r["test_set"]): r for r in metrics["side_by_side"]}
    # conf/test keeps 600 labelled aclImdb reviews: 300 train, 300 test
    assert by_model[("baseline", "imdb_test")]["n"] == 300
    assert by_model[("baseline", "imdb_test")]["accuracy"] > 0.7
    assert by_model[("transformer", "imdb_test")]["n"] == 48
    assert by_model[("model_es", "es_test")]["n"] > 100
    assert any(kedro_project.path("data/07_model_output/tensorboard").rglob("events.*"))
    reports = kedro_project.path("data/08_reporting/sentiment")
    explanations = [p for p in reports.rglob("*.html") if p.is_file()]
    assert len(explanations) == 1  # one version of the versioned HTML report

    client = MlflowClient(tracking_uri=f"sqlite:///{kedro_project.path('mlflow.db')}")
    (run,) = [
        run
        for run in client.search_runs(
            [client.get_experiment_by_name("movia").experiment_id]
        )
        if "sentiment.split.random_state" in run.data.params
    ]
    models = {
        a.path for a in client.list_artifacts(run.info.run_id, "sentiment/models")
    }
    assert models == {
        f"sentiment/models/{name}.pkl" for name in sorted(CONTRACT_MODELS)
    }
    reports = {a.path for a in client.list_artifacts(run.info.run_id, "sentiment")}
    assert {
        "sentiment/sentiment_metrics.json",
        "sentiment/explanations.html",
    } <= reports
