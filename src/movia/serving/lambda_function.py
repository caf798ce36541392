"""AWS Lambda handler behind API Gateway (proxy integration) that calls the SageMaker endpoint.

API Gateway forwards ``POST /recommendations`` (REST API v1 or HTTP API v2 events) here; the
handler validates the body with the same schema as the endpoint (so bad input never costs an
endpoint call), invokes the endpoint through boto3's ``sagemaker-runtime`` client, and maps every
failure to a status and a message a user can act on:

====================================  ======  ============================================
what happened                         status  message says
====================================  ======  ============================================
body is not JSON / not UTF-8          400     send a JSON object
body over 6 MB (Lambda's limit)       413     send a smaller request
fields invalid / unknown user, title  422     which field, what to change
wrong method / path                   405/404 what is served
endpoint refused or failed            502     the recommender failed; try again
endpoint missing, unreachable, slow   503     the service is unavailable; retry later
====================================  ======  ============================================

Configuration is read from the environment on each call (Lambda sets it once per container):
``MOVIA_ENDPOINT_NAME`` (required), ``MOVIA_ALLOWED_ORIGINS`` (comma-separated, default ``*``),
``MOVIA_ENDPOINT_TIMEOUT`` (seconds, default 10), ``AWS_REGION`` and, to target a local server,
``AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME``. The boto3 client is cached per configuration, so warm
invocations reuse its connection pool.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import os
from collections.abc import Mapping
from typing import Any

from movia.errors import MoviaError
from movia.serving.inference import JSON, MAX_PAYLOAD_BYTES, input_fn
from movia.serving.request_errors import (
    MalformedBodyError,
    PayloadTooLargeError,
    error_body,
    status_for,
)

logger = logging.getLogger(__name__)

ROUTE_SUFFIX = "/recommendations"
ENV_ENDPOINT = "MOVIA_ENDPOINT_NAME"
ENV_ORIGINS = "MOVIA_ALLOWED_ORIGINS"
ENV_TIMEOUT = "MOVIA_ENDPOINT_TIMEOUT"
ENV_RUNTIME_URL = "AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME"
UNAVAILABLE_RETRY_SECONDS = "30"


@functools.lru_cache(maxsize=4)
def runtime_client(
    region: str | None, endpoint_url: str | None, read_timeout: float
) -> Any:
    """A ``sagemaker-runtime`` client per configuration (created on first use, then reused).

    Two attempts at most and short connect timeouts: API Gateway gives up after 29 s, and a
    user is better served by a quick 503 than by a slow one.
    """
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=2,
        read_timeout=read_timeout,
        retries={"max_attempts": 2, "mode": "standard"},
    )
    return boto3.client(
        "sagemaker-runtime",
        region_name=region,
        endpoint_url=endpoint_url,
        config=config,
    )


def _cors_headers(event: Mapping[str, Any], allowed: str) -> dict[str, str]:
    """Echo the caller's origin when it is allowed (or allow any with ``*``)."""
    origins = [origin.strip() for origin in allowed.split(",") if origin.strip()]
    headers = {
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
    }
    if "*" in origins or not origins:
        headers["Access-Control-Allow-Origin"] = "*"
        return headers
    request_headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    origin = request_headers.get("origin", "")
    if origin in origins:
        headers["Access-Control-Allow-Origin"] = origin
        headers["Vary"] = "Origin"
    return headers


def _response(
    status: int,
    body: str | bytes,
    cors: Mapping[str, str],
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": JSON,
            "Cache-Control": "no-store",
            **cors,
            **(extra_headers or {}),
        },
        "body": text,
        "isBase64Encoded": False,
    }


def _error(
    status: int,
    error_type: str,
    message: str,
    cors: Mapping[str, str],
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    payload = {"error": {"type": error_type, "message": message, "fields": []}}
    return _response(status, json.dumps(payload), cors, extra_headers)


def _method_and_path(event: Mapping[str, Any]) -> tuple[str, str]:
    """REST API (v1) events carry ``httpMethod``/``path``; HTTP API (v2) ``requestContext.http``."""
    http = (event.get("requestContext") or {}).get("http") or {}
    method = event.get("httpMethod") or http.get("method") or ""
    path = event.get("path") or event.get("rawPath") or http.get("path") or ""
    return str(method).upper(), str(path)


def _body_bytes(event: Mapping[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as err:
            raise MalformedBodyError(
                "the body is marked base64 but does not decode"
            ) from err
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _content_type(event: Mapping[str, Any]) -> str | None:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    return headers.get("content-type")


# (status, error type, message, send Retry-After) by botocore error code.
_FAILURES: dict[str, tuple[int, str, str, bool]] = {
    "model": (
        502,
        "endpoint_error",
        "the recommender failed on this request; try again, and report it if it keeps "
        "failing",
        False,
    ),
    "busy": (
        503,
        "endpoint_busy",
        "the recommendation service is busy; retry in a few seconds",
        True,
    ),
    "missing": (
        503,
        "endpoint_unavailable",
        "the recommendation service is not deployed right now; retry later",
        True,
    ),
    "unreachable": (
        503,
        "endpoint_unreachable",
        "the recommendation service cannot be reached; retry in a minute",
        True,
    ),
    "other": (
        502,
        "endpoint_error",
        "the recommendation service refused or failed the call; try again later",
        False,
    ),
}
_BUSY_CODES = {"ThrottlingException", "ServiceUnavailable", "InternalFailure"}


def _failure_kind(err: Exception) -> str:
    """Sort a boto3/botocore failure of ``invoke_endpoint`` into a :data:`_FAILURES` key."""
    from botocore.exceptions import ClientError, ReadTimeoutError
    from botocore.exceptions import ConnectionError as BotoConnectionError

    if isinstance(err, ClientError):
        code = err.response.get("Error", {}).get("Code", "")
        if code == "ModelError":
            return "model"
        if code in _BUSY_CODES:
            return "busy"
        if code == "ValidationError" and "not found" in str(err).lower():
            return "missing"
        return "other"
    if isinstance(err, (BotoConnectionError, ReadTimeoutError)):
        return "unreachable"
    return "other"


def _endpoint_failure(err: Exception, cors: Mapping[str, str]) -> dict[str, Any]:
    """A model's own 4xx passes through (status and JSON body); the rest is 502 or 503."""
    kind = _failure_kind(err)
    if kind == "model":
        response = getattr(err, "response", {})
        original = response.get("OriginalStatusCode")
        if isinstance(original, int) and 400 <= original < 500:
            return _response(original, response.get("OriginalMessage") or "", cors)
    logger.error("endpoint call failed (%s): %s", kind, err)
    status, error_type, message, retry = _FAILURES[kind]
    headers = {"Retry-After": UNAVAILABLE_RETRY_SECONDS} if retry else None
    return _error(status, error_type, message, cors, headers)


def _route_error(
    method: str, path: str, cors: Mapping[str, str]
) -> dict[str, Any] | None:
    """404 for another path, 405 for another method; ``None`` when the route is served."""
    if not path.rstrip("/").endswith(ROUTE_SUFFIX):
        return _error(
            404, "not_found", f"no route {path!r}; POST {ROUTE_SUFFIX} is served", cors
        )
    if method != "POST":
        return _error(
            405,
            "method_not_allowed",
            f"{method} is not allowed on {ROUTE_SUFFIX}; use POST",
            cors,
            {"Allow": "POST, OPTIONS"},
        )
    return None


def _read_timeout() -> float:
    value = os.environ.get(ENV_TIMEOUT, "10")
    try:
        return float(value)
    except ValueError:
        logger.warning("%s=%r is not a number; using 10 s", ENV_TIMEOUT, value)
        return 10.0


def lambda_handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Answer one API Gateway proxy event.

    Args:
        event: The proxy event (REST API v1 or HTTP API v2 payload format).
        context: The Lambda context (unused).

    Returns:
        An API Gateway proxy response: ``statusCode``, ``headers`` (CORS included), ``body``.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    cors = _cors_headers(event, os.environ.get(ENV_ORIGINS, "*"))
    method, path = _method_and_path(event)
    if method == "OPTIONS":
        return {
            "statusCode": 204,
            "headers": cors,
            "body": "",
            "isBase64Encoded": False,
        }
    endpoint = os.environ.get(ENV_ENDPOINT, "").strip()
    refused = _route_error(method, path, cors)
    if refused is None and not endpoint:
        logger.error("%s is not set", ENV_ENDPOINT)
        refused = _error(
            503,
            "not_configured",
            "the recommendation service is not configured yet; retry later",
            cors,
        )
    if refused is not None:
        return refused
    try:
        body = _body_bytes(event)
        if len(body) > MAX_PAYLOAD_BYTES:
            raise PayloadTooLargeError(len(body), MAX_PAYLOAD_BYTES)
        request = input_fn(body, _content_type(event))
    except MoviaError as err:
        return _response(status_for(err), json.dumps(error_body(err)), cors)
    client = runtime_client(
        os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        os.environ.get(ENV_RUNTIME_URL) or None,
        _read_timeout(),
    )
    try:
        answer = client.invoke_endpoint(
            EndpointName=endpoint,
            ContentType=JSON,
            Accept=JSON,
            Body=request.model_dump_json(exclude_defaults=True),
        )
    except (ClientError, BotoCoreError) as err:
        return _endpoint_failure(err, cors)
    return _response(200, answer["Body"].read(), cors)
