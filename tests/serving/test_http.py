"""The app over real HTTP: uvicorn on 127.0.0.1, httpx and boto3 as clients."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import boto3
import httpx
import pytest
from botocore.config import Config

from movia.serving.events import EventStore
from tests.serving.conftest import ENDPOINT, LiveServer

JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


@pytest.fixture
def runtime(server: LiveServer, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """boto3's sagemaker-runtime client, pointed at the server the documented way."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    return boto3.session.Session(region_name="eu-west-1").client(
        "sagemaker-runtime", config=Config(retries={"max_attempts": 1})
    )


def test_ping(client: httpx.Client) -> None:
    assert client.get("/ping").status_code == 200


def test_invocations_answers_a_known_user_with_extras(client: httpx.Client) -> None:
    response = client.post("/invocations", json={"user_id": 1, "k": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert (answer["mode"], answer["model_version"]) == ("user", "test0001")
    assert re.fullmatch(r"[0-9a-f]{32}", answer["request_id"])
    # User 1 watched every crime film but Se7en: collaborative filtering puts it first.
    assert [item["movie_id"] for item in answer["items"]] == [47, 356]
    first = answer["items"][0]
    assert first["sentiment"] == {
        "score": 0.35,
        "n_reviews": 40,
        "ci_low": None,
        "ci_high": None,
        "label": "negative",
    }
    assert first["blurb"] is None
    nearest = {movie["title"] for movie in first["explanation"]["nearest_liked_movies"]}
    assert (
        nearest <= {"Heat", "The Usual Suspects", "Twelve Monkeys", "Fargo"} and nearest
    )
    assert first["reason"].startswith("Because you liked ")


def test_invocations_answers_preferences(client: httpx.Client) -> None:
    response = client.post(
        "/invocations", json={"genres": ["Crime"], "liked_titles": ["Heat"], "k": 5}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 5 and "Heat" not in {item["title"] for item in items}
    assert all({"Crime", "Thriller"} & set(item["genres"]) for item in items)
    assert all(item["explanation"]["signals"] for item in items)


@pytest.mark.parametrize(
    "body",
    [
        {"text": "a funny animated movie for kids", "lang": "en", "k": 3},
        {"text": "una película de dibujos animados para niños", "k": 3},
    ],
)
def test_free_text_in_english_or_spanish(client: httpx.Client, body: dict) -> None:
    items = client.post("/invocations", json=body).json()["items"]
    assert items[0]["title"] == "Toy Story"
    assert all("Animation" in item["genres"] for item in items)


def test_k_beyond_the_catalogue_returns_what_there_is(client: httpx.Client) -> None:
    items = client.post("/invocations", json={"genres": ["War"], "k": 50}).json()[
        "items"
    ]
    assert len(items) == 12


@pytest.mark.parametrize(
    ("content", "headers", "status", "error_type"),
    [
        (b'{"user_id": 1', JSON_HEADERS, 400, "malformed_json"),
        (b'{"user_id": "1"}', JSON_HEADERS, 422, "invalid_fields"),
        (b"user_id=1", {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
        (
            b'{"user_id": 1}',
            {**JSON_HEADERS, "Accept": "text/csv"},
            406,
            "not_acceptable",
        ),
        (b'{"user_id": 99999}', JSON_HEADERS, 422, "invalid_fields"),
    ],
)
def test_invocations_refuses_bad_requests_with_a_json_4xx(
    client: httpx.Client, content: bytes, headers: dict, status: int, error_type: str
) -> None:
    response = client.post("/invocations", content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]["type"] == error_type


def test_unknown_title_names_the_field_and_suggests(client: httpx.Client) -> None:
    response = client.post("/invocations", json={"liked_titles": ["Heat", "Toy Stroy"]})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert [field["field"] for field in fields] == ["liked_titles[1]"]
    assert (
        "unknown title id(s): Toy Stroy; did you mean: Toy Story (1995)"
        in (fields[0]["message"])
    )


def test_unknown_user_is_refused_not_answered_with_popular_films(
    client: httpx.Client,
) -> None:
    response = client.post("/invocations", json={"user_id": 424242})
    assert response.status_code == 422
    (field,) = response.json()["error"]["fields"]
    assert field["field"] == "user_id"
    assert (
        "unknown user id(s): 424242; the model knows 8 MovieLens users"
        in field["message"]
    )


def test_huge_declared_payload_is_413_without_reading_it(client: httpx.Client) -> None:
    body = b'{"text": "' + b"x" * (7 * 1024 * 1024) + b'"}'
    response = client.post("/invocations", content=body, headers=JSON_HEADERS)
    assert response.status_code == 413
    assert "6,291,456-byte limit" in response.json()["error"]["message"]


def test_huge_streamed_payload_is_cut_off_at_the_limit(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b"x" * (1024 * 1024)

    response = client.post(
        "/api/recommendations", content=chunks(), headers=JSON_HEADERS
    )
    assert response.status_code == 413


def test_runtime_route_answers_like_sagemaker(client: httpx.Client) -> None:
    response = client.post(f"/endpoints/{ENDPOINT}/invocations", json={"user_id": 2})
    assert response.status_code == 200
    assert response.headers["x-amzn-invoked-production-variant"] == "AllTraffic"


def test_runtime_route_wraps_model_errors_in_a_424(client: httpx.Client) -> None:
    response = client.post(f"/endpoints/{ENDPOINT}/invocations", json={"user_id": 0})
    assert response.status_code == 424
    assert response.headers["x-amzn-errortype"] == "ModelError"
    body = response.json()
    assert body["OriginalStatusCode"] == 422
    assert (
        json.loads(body["OriginalMessage"])["error"]["fields"][0]["field"] == "user_id"
    )


def test_boto3_invoke_endpoint_reaches_the_local_server(runtime) -> None:  # noqa: ANN001
    answer = runtime.invoke_endpoint(
        EndpointName=ENDPOINT,
        ContentType="application/json",
        Accept="application/json",
        Body=json.dumps({"genres": ["Comedy"], "k": 2}),
    )
    assert answer["ContentType"] == "application/json"
    assert answer["InvokedProductionVariant"] == "AllTraffic"
    payload = json.loads(answer["Body"].read())
    assert [item["title"] for item in payload["items"]] == ["Pulp Fiction", "Toy Story"]


def test_boto3_raises_model_error_with_the_original_status(runtime) -> None:  # noqa: ANN001
    with pytest.raises(runtime.exceptions.ModelError) as caught:
        runtime.invoke_endpoint(
            EndpointName=ENDPOINT,
            ContentType="application/json",
            Body=b'{"user_id": 424242}',
        )
    assert caught.value.response["OriginalStatusCode"] == 422
    assert "unknown user id(s): 424242" in caught.value.response["OriginalMessage"]


def test_boto3_sees_a_missing_endpoint_as_a_validation_error(runtime) -> None:  # noqa: ANN001
    with pytest.raises(runtime.exceptions.ClientError) as caught:
        runtime.invoke_endpoint(EndpointName="other", Body=b'{"user_id": 1}')
    assert caught.value.response["Error"]["Code"] == "ValidationError"
    assert "Endpoint other of account local not found" in str(caught.value)


def test_api_recommendations_log_impressions_and_accept_feedback(
    client: httpx.Client, server: LiveServer
) -> None:
    response = client.post(
        "/api/recommendations",
        json={"genres": ["Thriller"], "k": 3, "session_id": "browser-1"},
    )
    assert response.status_code == 200
    answer = response.json()
    shown = [item["movie_id"] for item in answer["items"]]
    assert shown == [296, 32, 50]
    feedback = client.post(
        "/api/feedback",
        json={"request_id": answer["request_id"], "movie_id": 32, "action": "like"},
    )
    assert feedback.status_code == 201 and feedback.json()["stored"] is True
    store = EventStore(server.settings.event_store)
    try:
        rows = store.query(
            "SELECT movie_id, rank, variant, session_id FROM impressions"
            " WHERE request_id = ? ORDER BY rank",
            (answer["request_id"],),
        )
        liked = store.query(
            "SELECT movie_id, action, variant FROM feedback WHERE request_id = ?",
            (answer["request_id"],),
        )
    finally:
        store.close()
    assert rows == [
        (296, 1, "A", "browser-1"),
        (32, 2, "A", "browser-1"),
        (50, 3, "A", "browser-1"),
    ]
    assert liked == [(32, "like", "A")]


def test_feedback_for_a_movie_not_shown_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/api/feedback", json={"request_id": "f" * 32, "movie_id": 1, "action": "click"}
    )
    assert response.status_code == 422
    assert "was not recommended" in response.json()["error"]["message"]


def test_api_validation_errors_use_the_same_shape(client: httpx.Client) -> None:
    response = client.post(
        "/api/recommendations", json={"user_id": 1, "genres": ["Drama"]}
    )
    assert response.status_code == 422
    assert "either user_id or preferences" in response.json()["error"]["message"]
    broken = client.post("/api/recommendations", content=b"{oops", headers=JSON_HEADERS)
    assert broken.status_code == 400
    assert broken.json()["error"]["type"] == "malformed_json"


def test_search_genres_and_health(client: httpx.Client) -> None:
    matches = client.get("/api/movies/search", params={"q": "toy", "limit": 5}).json()
    assert len(matches) <= 5
    assert matches[0] == {
        "movie_id": 1,
        "title": "Toy Story",
        "year": 1995,
        "genres": ["Adventure", "Animation", "Children", "Comedy", "Fantasy"],
    }
    assert client.get("/api/movies/search", params={"q": ""}).json() == []
    assert client.get("/api/movies/search", params={"limit": 0}).status_code == 422
    assert "Comedy" in client.get("/api/genres").json()["genres"]
    health = client.get("/api/health").json()
    assert health == {
        "status": "ok",
        "model_version": "test0001",
        "n_movies": 12,
        "sentiment_available": True,
        "blurbs_available": True,
        "variant": "A",
    }


def test_unknown_routes_and_methods_answer_in_json(client: httpx.Client) -> None:
    missing = client.get("/nope")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found"
    wrong = client.get("/invocations")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["type"] == "method_not_allowed"


def test_prometheus_metrics_use_route_templates(client: httpx.Client) -> None:
    client.post(f"/endpoints/{ENDPOINT}/invocations", json={"user_id": 1})
    client.get("/some/random/path")
    text = client.get("/metrics").text
    assert 'route="/endpoints/{name}/invocations"' in text
    assert 'route="unmatched"' in text and "/some/random/path" not in text
    assert "movia_http_request_duration_seconds_bucket" in text
    assert 'movia_answer_cache_lookups_total{result="hit"}' in text
    assert "movia_answer_cache_entries" in text


def test_page_and_assets_are_local_and_locked_down(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<html lang="es">' in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    script = client.get("/static/app.js")
    assert script.status_code == 200 and "innerHTML" not in script.text.replace(
        "never innerHTML", ""
    )
    assert client.get("/static/app.css").status_code == 200


def test_openapi_documents_the_api_and_the_contract(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/ping", "/invocations", "/endpoints/{name}/invocations"} <= set(
        spec["paths"]
    )
    assert {
        "/api/recommendations",
        "/api/movies/search",
        "/api/feedback",
        "/api/health",
    } <= set(spec["paths"])
    body = spec["paths"]["/invocations"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["additionalProperties"] is False
