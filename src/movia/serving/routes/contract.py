"""The SageMaker container contract (``/ping``, ``/invocations``) and the runtime's URL for it.

``POST /endpoints/{name}/invocations`` is where boto3's ``sagemaker-runtime`` client posts
``invoke_endpoint``; with ``AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`` pointing here, the same client
code that calls AWS calls this server. It answers as the runtime does: the model's reply on
success, and on a model error a 424 with ``x-amzn-ErrorType: ModelError`` whose body carries the
container's own status and message (``OriginalStatusCode``, ``OriginalMessage``), which boto3
raises as ``ModelError``.
"""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request, Response

from movia.errors import MoviaError
from movia.serving.deps import ModelDep, ServingState, StateDep
from movia.serving.inference import JSON, accepts_json, input_fn, output_fn
from movia.serving.request_errors import NotAcceptableError, error_body, status_for
from movia.serving.routes.openapi_docs import ERROR_RESPONSES, raw_json_body
from movia.serving.scheduling import predict
from movia.serving.schemas import RecommendationsOut, RecommendRequest
from movia.serving.settings import ServingSettings

logger = logging.getLogger(__name__)

router = APIRouter(tags=["SageMaker contract"])
PRODUCTION_VARIANT = "AllTraffic"


@router.get("/ping", summary="Container health check (200 once the model is loaded)")
async def ping(model: ModelDep) -> dict[str, str]:
    """SageMaker routes traffic to the container once this answers 200."""
    return {"status": "healthy", "model_version": model.version}


async def _invoke(request: Request, state: ServingState) -> bytes:
    """``input_fn`` → ``predict_fn`` → ``output_fn`` on the raw body, as SageMaker chains them."""
    accept = request.headers.get("accept")
    if not accepts_json(accept):
        raise NotAcceptableError(f"cannot answer in {accept!r}; accept {JSON} (or */*)")
    data = input_fn(await request.body(), request.headers.get("content-type"))
    answer = output_fn(await predict(data, state.model), accept)
    state.metrics.recommendations.labels("invocation").inc()
    return answer


@router.post(
    "/invocations",
    summary="Recommend (the container's inference route)",
    response_model=RecommendationsOut,
    responses=ERROR_RESPONSES,
    openapi_extra=raw_json_body(RecommendRequest),
)
async def invocations(request: Request, state: StateDep) -> Response:
    """Run the handler on the raw body; errors get their own 4xx status and JSON body."""
    return Response(await _invoke(request, state), media_type=JSON)


def _runtime_error(error_type: str, status: int, payload: dict) -> Response:
    return Response(
        json.dumps(payload),
        status_code=status,
        media_type="application/x-amz-json-1.1",
        headers={"x-amzn-ErrorType": error_type},
    )


def _model_error(status: int, original: str, settings: ServingSettings) -> Response:
    """SageMaker's 424: the container's status and body, wrapped for boto3's ModelError."""
    side = "client" if status < 500 else "server"
    return _runtime_error(
        "ModelError",
        424,
        {
            "ErrorCode": f"{side.upper()}_ERROR_FROM_MODEL",
            "OriginalStatusCode": status,
            "OriginalMessage": original,
            "Message": f"Received {side} error ({status}) from primary with message "
            f'"{original}".',
            "LogStreamArn": f"local:{settings.endpoint_name}",
        },
    )


@router.post(
    "/endpoints/{name}/invocations",
    summary="Recommend through the SageMaker runtime API (boto3 invoke_endpoint)",
    response_model=RecommendationsOut,
    responses={
        400: {"description": "No endpoint of that name (ValidationError)."},
        424: {"description": "The model refused the request (ModelError)."},
        422: ERROR_RESPONSES[422],
    },
    openapi_extra=raw_json_body(RecommendRequest),
)
async def invoke_endpoint(name: str, request: Request, state: StateDep) -> Response:
    """Emulate ``InvokeEndpoint`` for the one endpoint this server hosts."""
    settings = state.settings
    if name != settings.endpoint_name:
        return _runtime_error(
            "ValidationError",
            400,
            {"message": f"Endpoint {name} of account local not found."},
        )
    try:
        answer = await _invoke(request, state)
    except MoviaError as err:
        return _model_error(status_for(err), json.dumps(error_body(err)), settings)
    except Exception:  # the runtime reports a container crash as a ModelError, so do we
        logger.exception("model failed on an endpoint invocation")
        body = {
            "error": {
                "type": "internal_error",
                "message": "model failure",
                "fields": [],
            }
        }
        return _model_error(500, json.dumps(body), settings)
    return Response(
        answer,
        media_type=JSON,
        headers={"x-Amzn-Invoked-Production-Variant": PRODUCTION_VARIANT},
    )
