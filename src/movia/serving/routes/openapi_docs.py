"""OpenAPI fragments shared by the routers: error responses and raw JSON bodies.

The contract routes read raw bytes (SageMaker hands the handler bytes, not parsed JSON), so their
request body is declared here for ``/openapi.json``: clients and fuzzers see the same schema the
handler validates against.
"""

from __future__ import annotations

from typing import Any

from movia.serving.schemas import ErrorOut, RecommendRequest

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not JSON."},
    406: {"model": ErrorOut, "description": "The client does not accept JSON."},
    413: {"model": ErrorOut, "description": "The body is over the size limit."},
    415: {"model": ErrorOut, "description": "The body is not application/json."},
    422: {
        "model": ErrorOut,
        "description": "Invalid fields, or a user/title the model does not know.",
    },
}


def raw_json_body(model: type[RecommendRequest]) -> dict[str, Any]:
    """``openapi_extra`` declaring ``model`` (inline) as the JSON body of a raw-bytes route."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
