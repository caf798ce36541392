"""Errors of a serving request, and the HTTP status each one means.

The handler raises these (it turns the recommender's unknown ids into
:class:`InvalidFieldsError` naming the field); the FastAPI app and the Lambda handler turn them into the
same JSON body (:class:`~movia.serving.schemas.ErrorOut`) with :func:`status_for` and
:func:`error_body`, so a client sees one error format whichever door it used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from movia.errors import DataError, MoviaError


class RequestError(DataError):
    """A request the service refuses; ``status`` is the HTTP code and ``error_type`` its name."""

    status = 400
    error_type = "bad_request"


class MalformedBodyError(RequestError):
    """The body is not JSON (or not UTF-8)."""

    status = 400
    error_type = "malformed_json"


class PayloadTooLargeError(RequestError):
    """The body is over the size limit (6 MB, as for Lambda and SageMaker payloads)."""

    status = 413
    error_type = "payload_too_large"

    def __init__(self, size: int | None, limit: int) -> None:
        shown = f"{size:,} bytes" if size is not None else "the request body"
        super().__init__(
            f"{shown} is over the {limit:,}-byte limit; send a smaller request"
        )
        self.limit = limit


class UnsupportedContentTypeError(RequestError):
    """The body is not ``application/json``."""

    status = 415
    error_type = "unsupported_media_type"


class NotAcceptableError(RequestError):
    """The client accepts no format we can answer in."""

    status = 406
    error_type = "not_acceptable"


class InvalidFieldsError(RequestError):
    """Well-formed JSON whose fields break the schema; lists every bad field at once.

    Args:
        errors: ``(dotted field path, message)`` pairs; ``""`` is the body as a whole.
    """

    status = 422
    error_type = "invalid_fields"

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors = list(errors)
        listed = "; ".join(
            f"{field}: {message}" if field else message
            for field, message in self.errors
        )
        super().__init__(f"invalid request: {listed}")


def status_for(error: MoviaError) -> int:
    """The HTTP status of a known error; other library errors are the client's input (422)."""
    if isinstance(error, RequestError):
        return error.status
    return 422


def error_body(error: MoviaError) -> dict[str, Any]:
    """The JSON body for ``error`` (the :class:`~movia.serving.schemas.ErrorOut` shape)."""
    fields: list[dict[str, str]] = []
    if isinstance(error, InvalidFieldsError):
        fields = [{"field": f, "message": m} for f, m in error.errors]
    error_type = (
        error.error_type if isinstance(error, RequestError) else "invalid_request"
    )
    return {"error": {"type": error_type, "message": str(error), "fields": fields}}
