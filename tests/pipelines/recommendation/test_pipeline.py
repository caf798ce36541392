"""The recommendation pipeline: an in-memory run on synthetic data, then real runs on conf/test."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from mlflow.tracking import MlflowClient

from movia.evaluation.columns import ITEM_ID, USER_ID
from movia.models.recommenders import RecommenderBundle
from movia.pipelines.recommendation import create_pipeline

REPO = Path(__file__).resolve().parents[3]


def _params(env: str = "test") -> dict:
    path = REPO / "conf" / env / "parameters_recommendation.yml"
    return yaml.safe_load(path.read_text())["recommendation"]


def _fake_embeddings(movies: pd.DataFrame, vectors: pd.DataFrame) -> pd.DataFrame:
    """Stand-in for MiniLM: the synthetic Word2Vec vectors, so the run needs no model."""
    by_movie = vectors.set_index("movie_id")["vector"]
    return pd.DataFrame(
        {
            ITEM_ID: movies["movie_id"],
            "minilm": [list(by_movie[m]) for m in movies["movie_id"]],
            "word2vec": [list(by_movie[m]) for m in movies["movie_id"]],
        }
    )


class KeptDataset(MemoryDataset):
    """A memory dataset the runner cannot release, so the test can read intermediate outputs."""

    def _release(self) -> None:
        return None


INSPECTED = (
    "recommendation_metrics",
    "recommendation_summary",
    "recommendation_mlflow_metrics",
    "recommendation_artifact",
    "recommendation_figures",
    "interactions_train",
    "interactions_test",
)


def test_pipeline_without_the_embedding_step(
    ratings, movies, tags, reviews, movie_sentiment, movie_vectors_word2vec,
    opinion_pairs, word2vec_model,
) -> None:  # fmt: skip
    params = _params()
    params["data"] = {"max_items": None, "catalogue": "rated"}
    params["split"]["cold_start"]["min_test"] = 5
    params["cold_start"]["language_queries"] = []
    params["training"]["tensorboard_dir"] = None
    catalog = DataCatalog()
    inputs = {
        "ratings": ratings,
        "movies": movies,
        "tags": tags,
        "reviews": reviews,
        "movie_sentiment": movie_sentiment,
        "movie_vectors_word2vec": movie_vectors_word2vec,
        "opinion_pairs": opinion_pairs,
        "word2vec_model": word2vec_model,
        "item_embeddings": _fake_embeddings(movies, movie_vectors_word2vec),
    }
    for name, value in inputs.items():
        catalog[name] = value
    for key, value in params.items():
        catalog[f"params:recommendation.{key}"] = value
    for name in INSPECTED:
        catalog[name] = KeptDataset()
    nodes = [n.name for n in create_pipeline().nodes if n.name != "embed_items_node"]
    pipe = create_pipeline().only_nodes(*nodes)
    # the embedding step is the only reader of the Word2Vec movie vectors.
    assert pipe.inputs() == (set(inputs) - {"movie_vectors_word2vec"}) | {
        f"params:recommendation.{key}" for key in params
    }
    SequentialRunner().run(pipe, catalog)

    metrics = catalog.load("recommendation_metrics")
    models = set(metrics["model"])
    assert {"popularity", "item_knn", "ease", "als", "content_minilm", "content_word2vec",
            "hybrid", "hybrid_without_sentiment", "cold_start", "cold_start_popularity"} <= models  # fmt: skip
    ndcg = metrics[metrics["metric"] == "ndcg@10"].set_index("model")["value"]
    # users are loyal to one genre group: personalised models beat popularity, and content
    # (vectors clustered by genre group) helps the hybrid most.
    assert ndcg["ease"] > ndcg["popularity"]
    assert ndcg["hybrid"] > max(ndcg[["ease", "als", "item_knn"]])
    assert ndcg.between(0, 1).all()

    summary = catalog.load("recommendation_summary")
    assert summary["best_pure_cf"] in {"item_knn", "ease", "als"}
    assert summary["hybrid_gain_over_best_pure_cf"] == pytest.approx(
        summary["hybrid"] - summary["best_pure_cf_value"]
    )
    json.dumps(summary)

    mlflow_metrics = catalog.load("recommendation_mlflow_metrics")
    assert mlflow_metrics["hybrid.ndcg_at_10"]["value"] == pytest.approx(ndcg["hybrid"])

    bundle = catalog.load("recommendation_artifact")
    assert isinstance(bundle, RecommenderBundle)
    user = int(ratings[USER_ID].iloc[0])
    result = bundle.recommend_user(user, k=3)
    seen = set(ratings.loc[ratings[USER_ID] == user, "movie_id"])
    assert len(result) == 3 and not seen & {item["movie_id"] for item in result}
    figures = catalog.load("recommendation_figures")
    assert set(figures) == {
        "metrics_by_model.png",
        "popularity_bias.png",
        "cold_start.png",
    }

    train = catalog.load("interactions_train")
    test = catalog.load("interactions_test")
    pairs = lambda f: set(zip(f[USER_ID], f[ITEM_ID], strict=True))  # noqa: E731
    assert pairs(train).isdisjoint(pairs(test))
    assert (test.groupby(USER_ID).size() == params["split"]["test_per_user"]).all()


@pytest.mark.real_data
@pytest.mark.slow
def test_recommendation_runs_on_conf_test(kedro_project) -> None:
    kedro_project.ensure("data_processing", "nlp", "sentiment", "recommendation")
    catalog = kedro_project.catalog()
    metrics = catalog.load("recommendation_metrics")
    ndcg = metrics[metrics["metric"] == "ndcg@10"].set_index("model")["value"]
    assert ndcg["hybrid"] > ndcg["popularity"] > 0
    choices = catalog.load("recommender_choices")
    assert set(choices["hybrid"]["weights"]) == set(choices["hybrid"]["components"])
    bundle = RecommenderBundle.load(
        kedro_project.path("data/06_models/recommendation_artifact.pkl")
    )
    user = bundle.user_ids[0]
    assert len(bundle.recommend_user(user, k=5)) == 5
    liked = bundle.movies["title"].iloc[int(bundle.popular_rows[0])]
    result = bundle.recommend_from_preferences(
        liked_titles=[liked.lower()], text="una comedia divertida", k=5
    )
    assert len(result) == 5 and all("explanation" in item for item in result)
    events = list(
        kedro_project.path("data/07_model_output/tensorboard").rglob("events.*")
    )
    assert events, "ALS training writes TensorBoard events"
    embeddings = catalog.load("item_embeddings")
    assert len(np.asarray(embeddings["minilm"].iloc[0])) == 384

    client = MlflowClient(tracking_uri=f"sqlite:///{kedro_project.path('mlflow.db')}")
    (run,) = [
        run
        for run in client.search_runs(
            [client.get_experiment_by_name("movia").experiment_id]
        )
        if "recommendation" in run.data.tags.get("pipeline_names", "")
    ]
    logged = {a.path for a in client.list_artifacts(run.info.run_id, "recommendation")}
    assert "recommendation/recommendation_artifact.pkl" in logged
