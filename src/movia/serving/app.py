"""The FastAPI app: SageMaker contract, public API, web page, metrics and error handlers.

:func:`create_app` builds a fresh app from :class:`~movia.serving.settings.ServingSettings`; the
model and the event store are opened by the app's lifespan and live on ``app.state``, so nothing
is loaded at import and several apps can live in one process (tests, benchmarks).
:func:`app_from_environment` is the factory uvicorn workers call (``--factory``).

Errors: a :class:`~movia.errors.MoviaError` is the client's problem and becomes a 4xx JSON body
(:class:`~movia.serving.schemas.ErrorOut`); any other exception is a bug, logged with its
traceback and answered with a 500 that leaks nothing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from movia import __version__
from movia.errors import MoviaError
from movia.serving.deps import MetricsDep, ServingState
from movia.serving.events import EventStore
from movia.serving.inference import field_errors, model_fn
from movia.serving.metrics import ServingMetrics
from movia.serving.middleware import BodySizeLimit, RequestMetrics
from movia.serving.request_errors import (
    InvalidFieldsError,
    MalformedBodyError,
    error_body,
    status_for,
)
from movia.serving.routes import api, contract
from movia.serving.settings import ServingSettings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
# The page loads only its own files: no CDN, no inline script, nothing framed.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _json_error(status: int, payload: dict) -> JSONResponse:
    return JSONResponse(payload, status_code=status)


async def _on_movia_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, MoviaError)
    return _json_error(status_for(error), error_body(error))


async def _on_validation_error(request: Request, error: Exception) -> Response:
    """FastAPI's 422 in our shape; unparseable JSON is a 400, as in ``input_fn``."""
    assert isinstance(error, RequestValidationError)
    errors = list(error.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        known: MoviaError = MalformedBodyError(
            "the body is not valid JSON; send a JSON object such as "
            '{"liked_titles": ["Toy Story"]}'
        )
    else:
        known = InvalidFieldsError(
            field_errors([{**e, "loc": tuple(e["loc"])[1:]} for e in errors])
        )
    return _json_error(status_for(known), error_body(known))


async def _on_http_error(request: Request, error: Exception) -> Response:
    """404/405 and friends in the same JSON shape as every other error."""
    assert isinstance(error, StarletteHTTPException)
    kind = {404: "not_found", 405: "method_not_allowed"}.get(
        error.status_code, f"http_{error.status_code}"
    )
    payload = {"error": {"type": kind, "message": str(error.detail), "fields": []}}
    return JSONResponse(payload, status_code=error.status_code, headers=error.headers)


async def _on_bug(request: Request, error: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    payload = {
        "error": {
            "type": "internal_error",
            "message": "the server failed on this request; it has been logged",
            "fields": [],
        }
    }
    return _json_error(500, payload)


def create_app(settings: ServingSettings) -> FastAPI:
    """Build the serving app; the model loads when the app starts (lifespan)."""

    metrics = ServingMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        events = EventStore(settings.event_store or ":memory:")
        model = model_fn(settings.model_dir)
        metrics.watch_cache(model.cache)
        app.state.serving = ServingState(
            model=model,
            events=events,
            settings=settings,
            metrics=metrics,
        )
        try:
            yield
        finally:
            events.close()

    app = FastAPI(
        title="MovIA",
        version=__version__,
        summary="Movie recommendations with review sentiment and machine-written blurbs.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI comes from a CDN: blank offline; /openapi.json is the API
        redoc_url=None,
    )
    app.state.metrics = metrics
    app.include_router(contract.router)
    app.include_router(api.router)
    app.add_exception_handler(MoviaError, _on_movia_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_bug)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)

    @app.get("/metrics", include_in_schema=False)
    def prometheus(metrics: MetricsDep) -> Response:
        body, media_type = metrics.render()
        return Response(body, media_type=media_type)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(RequestMetrics, metrics=metrics)
    return app


def app_from_environment() -> FastAPI:
    """uvicorn's ``--factory`` entry: settings from ``MOVIA_*`` variables, read now."""
    return create_app(ServingSettings.from_environment())
