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

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from movia.errors import MoviaError
from movia.serving.deps import MetricsDep, ModelDep, SettingsDep
from movia.serving.inference import JSON, invoke
from movia.serving.request_errors import error_body, status_for
from movia.serving.routes.openapi_docs import ERROR_RESPONSES, raw_json_body
from movia.serving.schemas import RecommendationsOut, RecommendRequest

router = APIRouter(tags=["SageMaker contract"])
PRODUCTION_VARIANT = "AllTraffic"


@router.get("/ping", summary="Container health check (200 once the model is loaded)")
def ping(model: ModelDep) -> Response:
    """SageMaker routes traffic to the container once this answers 200."""
    return Response(status_code=200)


async def _invoke(request: Request, model: ModelDep, metrics: MetricsDep) -> bytes:
    body = await request.body()
    answer = await run_in_threadpool(
        invoke,
        model,
        body,
        request.headers.get("content-type"),
        request.headers.get("accept"),
    )
    metrics.recommendations.labels("invocation").inc()
    return answer


@router.post(
    "/invocations",
    summary="Recommend (the container's inference route)",
    response_model=RecommendationsOut,
    responses=ERROR_RESPONSES,
    openapi_extra=raw_json_body(RecommendRequest),
)
async def invocations(
    request: Request, model: ModelDep, metrics: MetricsDep
) -> Response:
    """Run the handler on the raw body; errors get their own 4xx status and JSON body."""
    return Response(await _invoke(request, model, metrics), media_type=JSON)


def _runtime_error(error_type: str, status: int, payload: dict) -> Response:
    return Response(
        json.dumps(payload),
        status_code=status,
        media_type="application/x-amz-json-1.1",
        headers={"x-amzn-ErrorType": error_type},
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
async def invoke_endpoint(
    name: str,
    request: Request,
    model: ModelDep,
    metrics: MetricsDep,
    settings: SettingsDep,
) -> Response:
    """Emulate ``InvokeEndpoint`` for the one endpoint this server hosts."""
    if name != settings.endpoint_name:
        return _runtime_error(
            "ValidationError",
            400,
            {"message": f"Endpoint {name} of account local not found."},
        )
    try:
        answer = await _invoke(request, model, metrics)
    except MoviaError as err:
        status = status_for(err)
        original = json.dumps(error_body(err))
        return _runtime_error(
            "ModelError",
            424,
            {
                "ErrorCode": "CLIENT_ERROR_FROM_MODEL",
                "OriginalStatusCode": status,
                "OriginalMessage": original,
                "Message": f"Received client error ({status}) from primary with message "
                f'"{original}".',
                "LogStreamArn": f"local:{settings.endpoint_name}",
            },
        )
    return Response(
        answer,
        media_type=JSON,
        headers={"x-Amzn-Invoked-Production-Variant": PRODUCTION_VARIANT},
    )
