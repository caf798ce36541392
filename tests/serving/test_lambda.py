"""The Lambda handler with real API Gateway proxy events, through boto3 to a live server."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from movia.serving import lambda_function
from movia.serving.lambda_function import lambda_handler
from tests.serving.conftest import ENDPOINT, LiveServer


def rest_event(
    body: str | None,
    method: str = "POST",
    path: str = "/prod/recommendations",
    headers: dict | None = None,
    base64_body: bool = False,
) -> dict:
    """An API Gateway REST API (payload v1.0) proxy event, as API Gateway sends it."""
    return {
        "resource": "/recommendations",
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {"stage": "prod", "httpMethod": method, "path": path},
        "body": base64.b64encode(body.encode()).decode()
        if base64_body and body
        else body,
        "isBase64Encoded": base64_body,
    }


def http_api_event(body: str, method: str = "POST") -> dict:
    """An HTTP API (payload v2.0) proxy event."""
    return {
        "version": "2.0",
        "routeKey": f"{method} /recommendations",
        "rawPath": "/recommendations",
        "headers": {
            "content-type": "application/json",
            "origin": "https://movia.example",
        },
        "requestContext": {"http": {"method": method, "path": "/recommendations"}},
        "body": body,
        "isBase64Encoded": False,
    }


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, server: LiveServer) -> Iterator[None]:
    monkeypatch.setenv("MOVIA_ENDPOINT_NAME", ENDPOINT)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", server.url)
    monkeypatch.delenv("MOVIA_ALLOWED_ORIGINS", raising=False)
    yield
    lambda_function.runtime_client.cache_clear()


def _body(response: dict) -> dict:
    return json.loads(response["body"])


def test_rest_event_gets_recommendations_with_cors(aws_env: None) -> None:
    response = lambda_handler(rest_event('{"user_id": 1, "k": 3}'), None)
    assert response["statusCode"] == 200
    assert response["headers"]["Access-Control-Allow-Origin"] == "*"
    answer = _body(response)
    assert [item["movie_id"] for item in answer["items"]][:2] == [47, 356]
    assert answer["items"][0]["sentiment"]["label"] == "negative"


def test_http_api_event_and_base64_bodies_work_too(aws_env: None) -> None:
    assert (
        lambda_handler(http_api_event('{"genres": ["War"]}'), None)["statusCode"] == 200
    )
    encoded = rest_event('{"genres": ["War"]}', base64_body=True)
    assert _body(lambda_handler(encoded, None))["items"][0]["title"] == "Forrest Gump"


def test_allowed_origins_are_echoed_and_others_get_none(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "MOVIA_ALLOWED_ORIGINS", "https://movia.example, https://b.example"
    )
    allowed = lambda_handler(http_api_event('{"genres": ["War"]}'), None)
    assert allowed["headers"]["Access-Control-Allow-Origin"] == "https://movia.example"
    other = rest_event(
        '{"genres": ["War"]}', headers={"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in lambda_handler(other, None)["headers"]


def test_preflight_is_answered_without_calling_the_endpoint(aws_env: None) -> None:
    response = lambda_handler(rest_event(None, method="OPTIONS"), None)
    assert response["statusCode"] == 204
    assert response["headers"]["Access-Control-Allow-Methods"] == "POST, OPTIONS"


@pytest.mark.parametrize(
    ("event", "status", "fragment"),
    [
        (rest_event("{not json"), 400, "not valid JSON"),
        (rest_event('{"user_id": "1"}'), 422, "user_id"),
        (
            rest_event('{"genres": ["Comedy"], "k": 0}'),
            422,
            "greater than or equal to 1",
        ),
        (rest_event('{"k": 3}'), 422, "nothing to recommend from"),
        (
            rest_event("<b>hi</b>", headers={"Content-Type": "text/html"}),
            415,
            "application/json",
        ),
        (rest_event('{"user_id": 1}', method="GET"), 405, "use POST"),
        (
            rest_event('{"user_id": 1}', path="/prod/admin"),
            404,
            "POST /recommendations",
        ),
    ],
)
def test_bad_requests_never_reach_the_endpoint(
    aws_env: None, event: dict, status: int, fragment: str
) -> None:
    response = lambda_handler(event, None)
    assert response["statusCode"] == status
    assert fragment in response["body"]


def test_over_6_mb_is_413(aws_env: None) -> None:
    event = rest_event('{"text": "' + "x" * (6 * 1024 * 1024) + '"}')
    response = lambda_handler(event, None)
    assert response["statusCode"] == 413
    assert "send a smaller request" in _body(response)["error"]["message"]


def test_unknown_user_passes_the_models_422_through(aws_env: None) -> None:
    response = lambda_handler(rest_event('{"user_id": 31337}'), None)
    assert response["statusCode"] == 422
    error = _body(response)["error"]
    assert error["fields"][0]["field"] == "user_id"
    assert "unknown user id(s): 31337" in error["message"]


def test_missing_endpoint_is_503_with_retry_after(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOVIA_ENDPOINT_NAME", "not-deployed")
    response = lambda_handler(rest_event('{"user_id": 1}'), None)
    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "30"
    assert "not deployed" in _body(response)["error"]["message"]


def test_unreachable_endpoint_is_503(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", f"http://127.0.0.1:{port}")
    response = lambda_handler(rest_event('{"user_id": 1}'), None)
    assert response["statusCode"] == 503
    assert _body(response)["error"]["type"] == "endpoint_unreachable"


def test_unconfigured_function_is_503(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOVIA_ENDPOINT_NAME")
    response = lambda_handler(rest_event('{"user_id": 1}'), None)
    assert response["statusCode"] == 503
    assert _body(response)["error"]["type"] == "not_configured"


def _client_error(code: str, extra: dict | None = None) -> ClientError:
    """What botocore raises for an error response (built by botocore's own class)."""
    response = {"Error": {"Code": code, "Message": code}, **(extra or {})}
    return ClientError(response, "InvokeEndpoint")


@pytest.mark.parametrize(
    ("error", "status", "error_type"),
    [
        (
            _client_error(
                "ModelError", {"OriginalStatusCode": 500, "OriginalMessage": "boom"}
            ),
            502,
            "endpoint_error",
        ),
        (_client_error("ThrottlingException"), 503, "endpoint_busy"),
        (_client_error("AccessDeniedException"), 502, "endpoint_error"),
        (ReadTimeoutError(endpoint_url="http://x"), 503, "endpoint_unreachable"),
    ],
)
def test_endpoint_failures_map_to_502_or_503(
    error: Exception, status: int, error_type: str
) -> None:
    response = lambda_function._endpoint_failure(error, {})
    assert response["statusCode"] == status
    assert _body(response)["error"]["type"] == error_type
    assert "boom" not in response["body"]  # internals stay in the logs
