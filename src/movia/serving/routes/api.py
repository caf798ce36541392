"""The public JSON API behind the web page (``/api/...``), documented in ``/openapi.json``.

Every recommendation goes through :func:`~movia.serving.inference.predict_fn`, the same function
SageMaker calls; this router only adds what a web client needs around it: title search, the genre
list, impressions and feedback for A/B analysis, and a health summary.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from movia.serving.deps import ModelDep, StateDep
from movia.serving.inference import JSON, search_titles
from movia.serving.routes.openapi_docs import ERROR_RESPONSES
from movia.serving.scheduling import predict
from movia.serving.schemas import (
    MAX_QUERY_CHARS,
    MAX_SEARCH_RESULTS,
    FeedbackOut,
    FeedbackRequest,
    GenresOut,
    HealthOut,
    MovieMatchOut,
    RecommendationsOut,
    WebRecommendRequest,
)

router = APIRouter(prefix="/api", tags=["web API"])
_BODY_ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 413, 422)}


@router.post(
    "/recommendations",
    summary="Recommend for a MovieLens user or a preference profile",
    response_model=RecommendationsOut,
    responses=_BODY_ERRORS,
)
async def recommend(request: WebRecommendRequest, state: StateDep) -> Response:
    """Answer, then log what was shown so feedback can be attributed to this variant.

    Cheap requests run inline, those with free text on the thread pool (see
    :mod:`movia.serving.scheduling`). The answer is already a validated :class:`RecommendationsOut`, so it is serialised once, by
    pydantic, instead of being re-validated by FastAPI's response model.
    """
    answer = await predict(request, state.model)
    state.events.record_impressions(
        answer.request_id,
        [item.movie_id for item in answer.items],
        variant=state.settings.variant,
        model_version=answer.model_version,
        mode=answer.mode,
        session_id=request.session_id,
    )
    state.metrics.recommendations.labels(answer.mode).inc()
    return Response(answer.model_dump_json(), media_type=JSON)


@router.get(
    "/movies/search",
    summary="Title autocomplete",
    responses={422: ERROR_RESPONSES[422]},
)
async def search_movies(
    model: ModelDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="typed text")] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_RESULTS)] = 8,
) -> list[MovieMatchOut]:
    """Movies whose title matches what the person typed (accents and case ignored)."""
    return search_titles(model, q, limit)


@router.get("/genres", summary="Genres a preference profile may name")
async def list_genres(model: ModelDep) -> GenresOut:
    """The recommender's genre vocabulary (MovieLens' English names)."""
    return GenresOut(genres=list(model.genres))


@router.post(
    "/feedback",
    status_code=status.HTTP_201_CREATED,
    summary="Store a click, like or dislike on a shown recommendation",
    responses=_BODY_ERRORS,
)
async def store_feedback(feedback: FeedbackRequest, state: StateDep) -> FeedbackOut:
    """Feedback must name a movie that request showed, so it counts for the right variant."""
    event_id = state.events.record_feedback(
        feedback.request_id,
        feedback.movie_id,
        feedback.action,
        session_id=feedback.session_id,
    )
    state.metrics.feedback.labels(feedback.action).inc()
    return FeedbackOut(stored=True, event_id=event_id)


@router.get("/health", summary="Liveness and what the loaded model can show")
async def health(state: StateDep) -> HealthOut:
    """The page hides the sentiment and blurb areas when the model has none."""
    model = state.model
    return HealthOut(
        status="ok",
        model_version=model.version,
        n_movies=model.n_movies,
        sentiment_available=bool(model.sentiment),
        blurbs_available=bool(model.blurbs),
        variant=state.settings.variant,
    )
