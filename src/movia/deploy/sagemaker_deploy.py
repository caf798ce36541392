"""Deploy ``model.tar.gz`` to a SageMaker real-time endpoint, smoke-test it, tear it down.

Uses the SageMaker Python SDK v2 (v3 has no ``Model``/``Predictor`` and needs a region at import)
and boto3, with credentials from the environment (variables, profile, or an instance role). The
archive already carries ``code/inference.py``, so the model is created from the PyTorch
inference image with ``SAGEMAKER_PROGRAM`` pointing at it: no SDK repacking, and the bytes the
deployment pipeline validated are the bytes SageMaker serves.

Steps of :func:`deploy`: check credentials, region and role → upload to S3 → create the model →
endpoint configuration (instance type and count from parameters) → endpoint (created, or
updated in place when it exists) → wait for ``InService`` → smoke-invoke. :func:`undeploy`
deletes the endpoint first (SageMaker refuses to delete a model an endpoint still uses), then
its configuration and models.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from movia.errors import ConfigError, MoviaError

logger = logging.getLogger(__name__)

ENV_ROLE = "MOVIA_SAGEMAKER_ROLE"
CODE_DIR_IN_CONTAINER = "/opt/ml/model/code"
_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")


class AwsSetupError(MoviaError, PermissionError):
    """AWS credentials, region or role are missing; the message says what to set."""


@dataclass(frozen=True)
class SageMakerSettings:
    """Where and how to deploy (``parameters_deployment.yml``, block ``sagemaker``).

    Attributes:
        endpoint_name: The endpoint clients invoke (also the prefix of model names).
        instance_type: e.g. ``ml.m5.large`` (2 vCPU, 8 GiB: the model is CPU-only).
        initial_instance_count: Instances behind the endpoint.
        framework_version: PyTorch inference image version. 2.6.0 at least: transformers 5
            disables PyTorch older than 2.6, and the free-text path needs it (MiniLM).
        py_version: The image's Python tag (py312 for 2.6.0; the pinned requirements all
            publish Python 3.12 wheels, and the bundle's pickle loads across 3.11 → 3.12).
        role_arn: IAM role SageMaker assumes; ``None`` reads ``MOVIA_SAGEMAKER_ROLE``.
        bucket: S3 bucket for the archive; ``None`` uses the SDK's default bucket.
        s3_prefix: Key prefix of uploaded archives.
        region: AWS region; ``None`` uses the environment's.
        model_server_workers: Worker processes per instance.
        smoke_request: The request sent once the endpoint is up.
    """

    endpoint_name: str = "movia-recommender"
    instance_type: str = "ml.m5.large"
    initial_instance_count: int = 1
    framework_version: str = "2.6.0"
    py_version: str = "py312"
    role_arn: str | None = None
    bucket: str | None = None
    s3_prefix: str = "movia/models"
    region: str | None = None
    model_server_workers: int = 1
    smoke_request: Mapping[str, Any] = field(
        default_factory=lambda: {"genres": ["Comedy"], "k": 3}
    )

    @classmethod
    def from_parameters(
        cls, parameters: Mapping[str, Any], **overrides: Any
    ) -> SageMakerSettings:
        """Build from the parameters block; ``None`` overrides are ignored (CLI defaults).

        Raises:
            ConfigError: An unknown key (typo) in the block.
        """
        values = {**parameters, **{k: v for k, v in overrides.items() if v is not None}}
        known = set(cls.__dataclass_fields__)
        for key in values:
            if key not in known:
                raise ConfigError("deployment.sagemaker key", key, sorted(known))
        return cls(**values)


def check_name(name: str) -> str:
    """SageMaker names: 1-63 letters, digits and hyphens, no leading or trailing hyphen."""
    if not _NAME.match(name):
        raise ConfigError(
            "endpoint_name",
            name,
            ["1-63 characters: letters, digits, hyphens (not first or last)"],
        )
    return name


def aws_session(region: str | None = None) -> Any:
    """A boto3 session with credentials and a region, or a clear error saying what to set.

    Raises:
        AwsSetupError: No credentials, or no region.
    """
    import boto3

    session = boto3.Session(region_name=region)
    if session.get_credentials() is None:
        raise AwsSetupError(
            "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or "
            "AWS_PROFILE, or run on a machine with an IAM role); to try the model without "
            "AWS, run `movia deploy --target local`"
        )
    if not session.region_name:
        raise AwsSetupError(
            "no AWS region: set AWS_REGION (e.g. eu-west-1) or pass --region"
        )
    return session


def _role(settings: SageMakerSettings) -> str:
    role = settings.role_arn or os.environ.get(ENV_ROLE, "").strip()
    if not role:
        raise AwsSetupError(
            f"no SageMaker execution role: set {ENV_ROLE} to the ARN of an IAM role that "
            "SageMaker can assume (with read access to the S3 bucket), or pass --role"
        )
    return role


def _model_name(endpoint_name: str, version: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = f"-{version[:12]}-{stamp}"
    return f"{endpoint_name[: 63 - len(suffix)]}{suffix}"


def _archive_version(archive: Path) -> str:
    import tarfile

    with tarfile.open(archive, mode="r:gz") as tar:
        member = tar.extractfile("model_info.json")
        info = json.loads(member.read()) if member else {}
    return str(info.get("model_version", "unversioned"))


def _endpoint_exists(client: Any, name: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        client.describe_endpoint(EndpointName=name)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in {
            "ValidationException",
            "ValidationError",
        }:
            return False
        raise
    return True


def deploy(
    archive: Path,
    settings: SageMakerSettings,
    *,
    boto_session: Any | None = None,
    wait: bool = True,
    poll: float = 30.0,
) -> dict[str, Any]:
    """Upload ``archive`` and serve it from ``settings.endpoint_name``.

    Args:
        archive: A ``model.tar.gz`` built by the deployment pipeline.
        settings: Endpoint, instances, image and S3 location.
        boto_session: A boto3 session; ``None`` builds one from the environment.
        wait: Wait for ``InService`` and smoke-invoke; ``False`` returns once creation started.
        poll: Seconds between status checks while waiting.

    Returns:
        What was created: names, S3 URI, image, instances, status and the smoke result.

    Raises:
        AwsSetupError: Credentials, region or role missing.
        ConfigError: An invalid endpoint name.
    """
    from sagemaker.image_uris import retrieve
    from sagemaker.model import Model
    from sagemaker.session import Session

    endpoint_name = check_name(settings.endpoint_name)
    boto_session = boto_session or aws_session(settings.region)
    role = _role(settings)
    session = Session(boto_session=boto_session)
    region = boto_session.region_name
    version = _archive_version(archive)
    bucket = settings.bucket or session.default_bucket()
    key_prefix = f"{settings.s3_prefix.strip('/')}/{version}"
    logger.info("uploading %s to s3://%s/%s", archive, bucket, key_prefix)
    model_data = session.upload_data(str(archive), bucket=bucket, key_prefix=key_prefix)
    image_uri = retrieve(
        "pytorch",
        region=region,
        version=settings.framework_version,
        py_version=settings.py_version,
        instance_type=settings.instance_type,
        image_scope="inference",
    )
    model_name = _model_name(endpoint_name, version)
    model = Model(
        image_uri=image_uri,
        model_data=model_data,
        role=role,
        name=model_name,
        env={
            "SAGEMAKER_PROGRAM": "inference.py",
            "SAGEMAKER_SUBMIT_DIRECTORY": CODE_DIR_IN_CONTAINER,
            "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
            "SAGEMAKER_REGION": region,
            "SAGEMAKER_MODEL_SERVER_WORKERS": str(settings.model_server_workers),
        },
        sagemaker_session=session,
    )
    update = _endpoint_exists(session.sagemaker_client, endpoint_name)
    logger.info(
        "%s endpoint %s with model %s on %d x %s",
        "updating" if update else "creating",
        endpoint_name,
        model_name,
        settings.initial_instance_count,
        settings.instance_type,
    )
    model.deploy(
        initial_instance_count=settings.initial_instance_count,
        instance_type=settings.instance_type,
        endpoint_name=endpoint_name,
        update_endpoint=update,
        wait=False,
    )
    record: dict[str, Any] = {
        "endpoint_name": endpoint_name,
        "model_name": model_name,
        "model_version": version,
        "model_data": model_data,
        "image_uri": image_uri,
        "instance_type": settings.instance_type,
        "initial_instance_count": settings.initial_instance_count,
        "region": region,
        "updated_existing_endpoint": update,
    }
    if wait:
        session.wait_for_endpoint(endpoint_name, poll=poll)
        record["smoke"] = smoke_invoke(
            endpoint_name, settings.smoke_request, boto_session
        )
    record["status"] = session.sagemaker_client.describe_endpoint(
        EndpointName=endpoint_name
    )["EndpointStatus"]
    return record


def smoke_invoke(
    endpoint_name: str, request: Mapping[str, Any], boto_session: Any
) -> dict[str, Any]:
    """Send one request through ``sagemaker-runtime`` and check the answer has items.

    Honours ``AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`` (boto3 does), so it also checks a local
    contract server.

    Raises:
        MoviaError: The endpoint answered without recommendations.
    """
    client = boto_session.client("sagemaker-runtime")
    started = time.perf_counter()
    answer = client.invoke_endpoint(
        EndpointName=endpoint_name,
        ContentType="application/json",
        Accept="application/json",
        Body=json.dumps(dict(request)),
    )
    seconds = time.perf_counter() - started
    payload = json.loads(answer["Body"].read())
    items = payload.get("items") if isinstance(payload, dict) else None
    if not items:
        raise MoviaError(
            f"smoke test of endpoint {endpoint_name} got no recommendations: {payload!r:.300}"
        )
    return {
        "seconds": round(seconds, 4),
        "n_items": len(items),
        "first_title": items[0].get("title"),
        "model_version": payload.get("model_version"),
    }


def undeploy(
    endpoint_name: str,
    *,
    boto_session: Any | None = None,
    region: str | None = None,
    delete_models: bool = True,
) -> dict[str, list[str]]:
    """Delete an endpoint, then its endpoint configuration, then its models.

    Returns:
        The names deleted, by kind.

    Raises:
        AwsSetupError: Credentials or region missing.
        MoviaError: No endpoint of that name.
    """
    from botocore.exceptions import ClientError

    boto_session = boto_session or aws_session(region)
    client = boto_session.client("sagemaker")
    try:
        endpoint = client.describe_endpoint(EndpointName=endpoint_name)
    except ClientError as err:
        raise MoviaError(
            f"no endpoint {endpoint_name!r} in {boto_session.region_name}: "
            f"{err.response.get('Error', {}).get('Message', err)}"
        ) from err
    config_name = endpoint["EndpointConfigName"]
    config = client.describe_endpoint_config(EndpointConfigName=config_name)
    models = [variant["ModelName"] for variant in config["ProductionVariants"]]
    client.delete_endpoint(EndpointName=endpoint_name)
    client.delete_endpoint_config(EndpointConfigName=config_name)
    deleted = {
        "endpoints": [endpoint_name],
        "endpoint_configs": [config_name],
        "models": [],
    }
    if delete_models:
        for model in models:
            client.delete_model(ModelName=model)
            deleted["models"].append(model)
    logger.info("deleted %s", deleted)
    return deleted
