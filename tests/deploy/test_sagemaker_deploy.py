"""Deploy and undeploy under moto (control plane), smoke-invoking a real local server.

Assertions are on what ``describe_*`` and S3 report, and on the uploaded tarball itself, never
on moto's canned ``invoke_endpoint`` reply: the smoke test goes to the live contract server
through ``AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`` (moto lets that URL through).
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from moto import mock_aws

from movia.cli import cli
from movia.deploy.sagemaker_deploy import (
    AwsSetupError,
    SageMakerSettings,
    aws_session,
    deploy,
    smoke_invoke,
    undeploy,
)
from movia.errors import ConfigError, MoviaError
from tests.conftest import REPO
from tests.deploy.conftest import ROLE
from tests.serving.conftest import ENDPOINT, LiveServer

SETTINGS = SageMakerSettings(
    endpoint_name=ENDPOINT,
    instance_type="ml.c5.xlarge",
    initial_instance_count=2,
    role_arn=ROLE,
    smoke_request={"genres": ["Comedy"], "k": 2},
)


def _tar_members(data: bytes) -> set[str]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return {member.name for member in tar.getmembers()}


@pytest.mark.usefixtures("aws_credentials")
def test_deploy_creates_model_config_and_endpoint(
    archive_path: Path, archive_bytes: bytes
) -> None:
    from sagemaker.session import Session

    with mock_aws():
        session = boto3.Session(region_name="eu-west-1")
        record = deploy(archive_path, SETTINGS, boto_session=session, wait=False)
        Session(boto_session=session).wait_for_endpoint(ENDPOINT, poll=0.01)
        client = session.client("sagemaker")
        endpoint = client.describe_endpoint(EndpointName=ENDPOINT)
        config = client.describe_endpoint_config(
            EndpointConfigName=endpoint["EndpointConfigName"]
        )
        model = client.describe_model(ModelName=record["model_name"])
        bucket, key = record["model_data"].removeprefix("s3://").split("/", 1)
        uploaded = (
            session.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        )

    assert endpoint["EndpointStatus"] == "InService"
    variant = config["ProductionVariants"][0]
    assert (variant["InstanceType"], variant["InitialInstanceCount"]) == (
        "ml.c5.xlarge",
        2,
    )
    assert variant["ModelName"] == record["model_name"]
    assert record["model_name"].startswith(f"{ENDPOINT}-")
    container = model["PrimaryContainer"]
    assert container["Image"].endswith("/pytorch-inference:2.6.0-cpu-py312")
    assert container["ModelDataUrl"] == record["model_data"]
    assert container["Environment"]["SAGEMAKER_PROGRAM"] == "inference.py"
    assert (
        container["Environment"]["SAGEMAKER_SUBMIT_DIRECTORY"] == "/opt/ml/model/code"
    )
    assert model["ExecutionRoleArn"] == ROLE
    assert key == f"movia/models/{record['model_version']}/model.tar.gz"
    assert hashlib.sha256(uploaded).digest() == hashlib.sha256(archive_bytes).digest()
    members = _tar_members(uploaded)
    assert {"code/inference.py", "code/requirements.txt", "model_info.json"} <= members
    assert any(name.startswith("recommendation/") for name in members)


@pytest.mark.usefixtures("aws_credentials")
def test_deploy_waits_then_smoke_invokes_the_served_model(
    archive_path: Path, server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", server.url)
    with mock_aws():
        session = boto3.Session(region_name="eu-west-1")
        record = deploy(archive_path, SETTINGS, boto_session=session, poll=0.01)
    assert record["status"] == "InService"
    assert record["smoke"]["n_items"] == 2
    assert record["smoke"]["first_title"] == "Pulp Fiction"
    assert record["smoke"]["model_version"] == "test0001"


@pytest.mark.usefixtures("aws_credentials")
def test_undeploy_removes_endpoint_then_config_then_model(archive_path: Path) -> None:
    with mock_aws():
        session = boto3.Session(region_name="eu-west-1")
        record = deploy(archive_path, SETTINGS, boto_session=session, wait=False)
        deleted = undeploy(ENDPOINT, boto_session=session)
        client = session.client("sagemaker")
        left = (
            client.list_endpoints()["Endpoints"],
            client.list_endpoint_configs()["EndpointConfigs"],
            client.list_models()["Models"],
        )
        with pytest.raises(MoviaError, match="no endpoint 'movia-test'"):
            undeploy(ENDPOINT, boto_session=session)
    assert deleted == {
        "endpoints": [ENDPOINT],
        "endpoint_configs": [ENDPOINT],
        "models": [record["model_name"]],
    }
    assert left == ([], [], [])


def test_without_credentials_the_error_says_what_to_set(
    no_aws_credentials: None,
) -> None:
    with pytest.raises(AwsSetupError) as caught:
        aws_session("eu-west-1")
    assert "AWS_ACCESS_KEY_ID" in str(caught.value)
    assert "movia deploy --target local" in str(caught.value)


def test_cli_deploy_without_credentials_is_one_line(
    no_aws_credentials: None, archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # the parameters come from conf/
    result = CliRunner().invoke(
        cli, ["deploy", "--target", "sagemaker", "--model", str(archive_path)]
    )
    assert result.exit_code == 1
    assert result.output.startswith("error: no AWS credentials found")
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("aws_credentials")
def test_without_a_role_the_error_names_the_variable(
    archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOVIA_SAGEMAKER_ROLE", raising=False)
    settings = SageMakerSettings(endpoint_name=ENDPOINT)
    with mock_aws(), pytest.raises(AwsSetupError, match="MOVIA_SAGEMAKER_ROLE"):
        deploy(
            archive_path, settings, boto_session=boto3.Session(region_name="eu-west-1")
        )


def test_settings_refuse_typos_and_bad_names() -> None:
    with pytest.raises(ConfigError, match="instance_typ"):
        SageMakerSettings.from_parameters({"instance_typ": "ml.m5.large"})
    overridden = SageMakerSettings.from_parameters(
        {"endpoint_name": "a", "instance_type": "ml.m5.large"}, instance_type=None
    )
    assert overridden.instance_type == "ml.m5.large"
    with pytest.raises(ConfigError, match="endpoint_name"):
        deploy(Path("x"), SageMakerSettings(endpoint_name="bad_name!"))


def test_smoke_invoke_reads_a_real_answer(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch, aws_credentials: None
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", server.url)
    result = smoke_invoke(
        ENDPOINT,
        {"genres": ["Animation"], "k": 2},
        boto3.Session(region_name="eu-west-1"),
    )
    assert (result["n_items"], result["first_title"]) == (2, "Toy Story")


@pytest.mark.usefixtures("aws_credentials")
def test_cli_deploy_and_undeploy_round_trip(
    archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # the parameters come from conf/
    with mock_aws():
        deployed = CliRunner().invoke(
            cli,
            ["deploy", "--model", str(archive_path), "--role", ROLE, "--no-wait",
             "--endpoint-name", "movia-cli", "--instance-count", "3"],
        )  # fmt: skip
        assert deployed.exit_code == 0, deployed.output
        client = boto3.Session(region_name="eu-west-1").client("sagemaker")
        config = client.describe_endpoint_config(EndpointConfigName="movia-cli")
        removed = CliRunner().invoke(cli, ["undeploy", "--endpoint-name", "movia-cli"])
        assert removed.exit_code == 0, removed.output
        assert client.list_endpoints()["Endpoints"] == []
    assert config["ProductionVariants"][0]["InitialInstanceCount"] == 3
    assert (
        config["ProductionVariants"][0]["InstanceType"] == "ml.m5.large"
    )  # parameters
    assert '"endpoint_name": "movia-cli"' in deployed.output
    assert '"endpoints": [\n    "movia-cli"\n  ]' in removed.output
