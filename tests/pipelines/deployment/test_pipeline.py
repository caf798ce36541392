"""The deployment pipeline on conf/test: archive built, reloaded, validated, served."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient

from movia.serving.inference import invoke, model_fn
from movia.serving.model_files import extract_archive


@pytest.mark.real_data
@pytest.mark.slow
def test_deployment_pipeline_packages_the_recommender(
    kedro_project, tmp_path: Path
) -> None:  # noqa: ANN001
    kedro_project.ensure(
        "data_processing",
        "nlp",
        "sentiment",
        "recommendation",
        "generation",
        "deployment",
    )
    catalog = kedro_project.catalog()
    archive = catalog.load("model_archive")
    manifest = catalog.load("deployment_manifest")

    versions = list(
        kedro_project.path("data/06_models/model.tar.gz").glob("*/model.tar.gz")
    )
    assert len(versions) == 1 and versions[0].read_bytes() == archive
    assert manifest["sha256"] == hashlib.sha256(archive).hexdigest()
    assert manifest["size_bytes"] == len(archive)
    assert manifest["layout"] == [
        "code",
        "generated_reviews.json",
        "model_info.json",
        "movie_sentiment.json",
        "recommendation",
    ]
    assert manifest["validation"]["movia_from_archive"] is True
    assert [r["n_items"] for r in manifest["validation"]["responses"]] == [3]
    assert manifest["sagemaker"]["endpoint_name"] == "movia-recommender-test"

    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        info = json.load(tar.extractfile("model_info.json"))
        requirements = tar.extractfile("code/requirements.txt").read().decode()
    assert info["model_version"] == manifest["model_version"]
    assert "sentence-transformers==" in requirements and "torch" not in requirements
    assert info["has_sentiment"] is True and info["has_blurbs"] is True

    client = MlflowClient(tracking_uri=f"sqlite:///{kedro_project.path('mlflow.db')}")
    (run,) = client.search_runs(
        [client.get_experiment_by_name("movia").experiment_id],
        filter_string="params.deployment.package.compresslevel = '1'",
    )
    logged = {
        artifact.path
        for artifact in client.list_artifacts(run.info.run_id, "deployment")
    }
    assert logged == {"deployment/model.tar.gz", "deployment/deployment_manifest.json"}
    assert run.data.metrics["deployment.archive_mb"] == pytest.approx(
        len(archive) / 1e6
    )

    model = model_fn(extract_archive(archive, tmp_path / "model"))
    answer = json.loads(invoke(model, b'{"liked_titles": ["Toy Story"], "k": 5}'))
    assert len(answer["items"]) == 5
    assert "Toy Story" not in {item["title"] for item in answer["items"]}
    assert answer["model_version"] == info["model_version"]
