"""input_fn / output_fn: every kind of bad input becomes a named 4xx error, never a crash."""

from __future__ import annotations

import json

import pytest

from movia.serving.inference import (
    MAX_PAYLOAD_BYTES,
    accepts_json,
    field_path,
    input_fn,
    output_fn,
)
from movia.serving.request_errors import (
    InvalidFieldsError,
    MalformedBodyError,
    NotAcceptableError,
    PayloadTooLargeError,
    UnsupportedContentTypeError,
    error_body,
    status_for,
)
from movia.serving.schemas import RecommendationsOut


def _fields(error: InvalidFieldsError) -> dict[str, str]:
    return dict(error.errors)


def test_known_user_request_is_parsed_with_defaults() -> None:
    request = input_fn(b'{"user_id": 7}', "application/json; charset=utf-8")
    assert (request.user_id, request.k, request.exclude_seen, request.mode) == (
        7,
        10,
        True,
        "user",
    )


def test_preferences_are_stripped_and_kept_in_order() -> None:
    body = json.dumps(
        {"liked_titles": ["  Toy Story ", "Heat"], "genres": ["Comedy"], "k": 3}
    )
    request = input_fn(body, "application/json")
    assert request.liked_titles == ["Toy Story", "Heat"]
    assert (request.mode, request.k, request.lang) == ("preferences", 3, None)


def test_missing_content_type_is_read_as_json() -> None:
    assert input_fn(b'{"genres": ["Drama"]}', None).genres == ["Drama"]


def test_broken_json_is_a_400_that_shows_a_valid_example() -> None:
    with pytest.raises(MalformedBodyError) as caught:
        input_fn(b'{"user_id": 1', "application/json")
    assert status_for(caught.value) == 400
    assert "not valid JSON" in str(caught.value) and '{"user_id": 1}' in str(
        caught.value
    )


def test_invalid_utf8_is_a_400() -> None:
    with pytest.raises(MalformedBodyError):
        input_fn(b'{"text": "\xff\xfe"}', "application/json")


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"user_id": "5"}, "user_id", "valid integer"),
        ({"user_id": 0}, "user_id", "greater than or equal to 1"),
        ({"user_id": 10**30}, "user_id", "less than or equal to"),
        ({"user_id": 1.5}, "user_id", "valid integer"),
        ({"genres": "Comedy"}, "genres", "valid array"),
        ({"genres": ["Comedy", 3]}, "genres[1]", "valid string"),
        ({"genres": ["Comedy"], "k": 51}, "k", "less than or equal to 50"),
        ({"genres": ["Comedy"], "lang": "fr"}, "lang", "'es' or 'en'"),
        ({"genres": ["Comedy"], "colour": "red"}, "colour", "unknown field"),
        ({"liked_titles": ["   "]}, "liked_titles[0]", "at least 1 character"),
        ({"text": "x" * 1001}, "text", "at most 1000 characters"),
        ({"liked_titles": ["A"] * 21}, "liked_titles", "at most 20 items"),
    ],
)
def test_wrong_fields_are_422_naming_the_field(
    body: dict, field: str, fragment: str
) -> None:
    with pytest.raises(InvalidFieldsError) as caught:
        input_fn(json.dumps(body), "application/json")
    assert status_for(caught.value) == 422
    assert fragment in _fields(caught.value)[field]


def test_a_json_array_is_not_a_request() -> None:
    with pytest.raises(InvalidFieldsError) as caught:
        input_fn(b"[1, 2]", "application/json")
    assert _fields(caught.value) == {"": "the body must be a JSON object"}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "nothing to recommend from"),
        ({"text": "   "}, "nothing to recommend from"),
        ({"user_id": 1, "genres": ["Drama"]}, "either user_id or preferences"),
    ],
)
def test_one_mode_per_request(body: dict, fragment: str) -> None:
    with pytest.raises(InvalidFieldsError) as caught:
        input_fn(json.dumps(body), "application/json")
    assert fragment in _fields(caught.value)[""]


def test_script_in_free_text_is_kept_as_text() -> None:
    text = '<script>alert("x")</script> una de miedo'
    assert input_fn(json.dumps({"text": text}), "application/json").text == text


def test_other_content_types_are_415() -> None:
    with pytest.raises(UnsupportedContentTypeError) as caught:
        input_fn(b"user_id=1", "application/x-www-form-urlencoded")
    assert status_for(caught.value) == 415
    assert "Content-Type: application/json" in str(caught.value)


def test_payload_over_6_mb_is_413_before_parsing() -> None:
    body = b'{"text": "' + b"x" * MAX_PAYLOAD_BYTES + b'"}'
    with pytest.raises(PayloadTooLargeError) as caught:
        input_fn(body, "application/json")
    assert status_for(caught.value) == 413
    assert "6,291,456-byte limit" in str(caught.value)


def test_error_body_lists_every_bad_field() -> None:
    with pytest.raises(InvalidFieldsError) as caught:
        input_fn(b'{"user_id": "x", "k": 0}', "application/json")
    body = error_body(caught.value)
    assert body["error"]["type"] == "invalid_fields"
    assert {f["field"] for f in body["error"]["fields"]} == {"user_id", "k"}


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        (None, True),
        ("*/*", True),
        ("application/json", True),
        ("text/html, application/json;q=0.9", True),
        ("application/problem+json", True),
        ("text/csv", False),
    ],
)
def test_accept_header(accept: str | None, ok: bool) -> None:
    assert accepts_json(accept) is ok


def test_output_fn_serialises_json_or_refuses_with_406() -> None:
    answer = RecommendationsOut(
        request_id="0" * 32, mode="user", model_version="v1", items=[]
    )
    assert json.loads(output_fn(answer, "application/json")) == {
        "request_id": "0" * 32,
        "mode": "user",
        "model_version": "v1",
        "items": [],
    }
    with pytest.raises(NotAcceptableError) as caught:
        output_fn(answer, "text/csv")
    assert status_for(caught.value) == 406


def test_field_paths_read_like_the_request() -> None:
    assert field_path(("liked_titles", 3)) == "liked_titles[3]"
    assert field_path(("a", "b")) == "a.b"
    assert field_path(()) == ""
