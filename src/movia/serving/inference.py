"""The one prediction path: SageMaker's ``model_fn`` / ``input_fn`` / ``predict_fn`` / ``output_fn``.

The SageMaker PyTorch framework container imports ``code/inference.py`` from ``model.tar.gz`` and
calls these four functions; the local contract server, the web API and the Lambda handler call the
same ones, so a request is validated, answered and serialised identically wherever it enters.

A model directory (the root of ``model.tar.gz``) holds::

    recommendation/            RecommenderBundle.save() output: bundle.pkl, manifest.json
                               (the recommendation pipeline's ``recommendation_artifact``)
    movie_sentiment.json       optional: {movie_id: {smoothed_score, n_reviews, ci_low, ci_high}}
    generated_reviews.json     optional: {movie_id: {text, sentiment}}
    model_info.json            version and provenance written by the deployment pipeline
    code/                      inference.py, requirements.txt and the vendored ``movia`` package

The optional files come from the sentiment and generation pipelines; without them the answers
simply carry no sentiment or blurb. Nothing heavy is imported at module level: the recommender
(numpy, pandas, scikit-learn) is imported by :func:`model_fn`, so the Lambda handler can reuse
:func:`input_fn` with pydantic alone.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from movia.errors import ConfigError, ResourceMissingError, UnknownIdError
from movia.serving.answer_cache import AnswerCache
from movia.serving.request_errors import (
    InvalidFieldsError,
    MalformedBodyError,
    NotAcceptableError,
    PayloadTooLargeError,
    UnsupportedContentTypeError,
)
from movia.serving.schemas import (
    MAX_QUERY_CHARS,
    MAX_SEARCH_RESULTS,
    BlurbOut,
    ExplanationOut,
    MovieMatchOut,
    RecommendationOut,
    RecommendationsOut,
    RecommendRequest,
    SentimentOut,
)

logger = logging.getLogger(__name__)

JSON = "application/json"
ENV_CACHE_SIZE = "MOVIA_ANSWER_CACHE"
DEFAULT_CACHE_SIZE = 2048
ENV_BLAS_THREADS = "MOVIA_BLAS_THREADS"
# The synchronous payload limit of Lambda and (historically) SageMaker real-time endpoints.
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
RECOMMENDER_DIR = "recommendation"
SENTIMENT_FILE = "movie_sentiment.json"
BLURBS_FILE = "generated_reviews.json"
INFO_FILE = "model_info.json"
# A movie whose smoothed positive share is this far from one half is called positive/negative.
SENTIMENT_BAND = 0.1


class Recommender(Protocol):
    """What serving needs from the recommendation pipeline's ``RecommenderBundle``."""

    def recommend_user(
        self, user_id: int, k: int = 10, exclude_seen: bool = True
    ) -> list[dict[str, Any]]: ...

    def recommend_from_preferences(
        self,
        liked_titles: Sequence[str] = (),
        disliked_titles: Sequence[str] = (),
        genres: Sequence[str] = (),
        text: str = "",
        lang: str | None = None,
        k: int = 10,
    ) -> list[dict[str, Any]]: ...

    def search_titles(self, query: str, limit: int = 10) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class ServingModel:
    """A loaded model directory: the recommender plus the optional per-movie extras.

    Attributes:
        recommender: The loaded ``RecommenderBundle``.
        version: Content hash of the artifacts (from ``model_info.json``), so logs, responses
            and A/B events say which model answered.
        known_users: Users with a history in the model. The bundle answers others with popular
            films; the service refuses them instead, so a typo in an id is not silently
            answered with someone else's list.
        n_movies: Films the recommender can return.
        max_k: Longest list the recommender serves; longer requests get this many.
        genres: Genres a preference profile may name, sorted.
        sentiment: Review sentiment by movie id (empty without the sentiment pipeline).
        blurbs: Machine-written blurb by movie id (empty without the generation pipeline).
        info: The rest of ``model_info.json``.
        cache: Answers already computed (see :mod:`movia.serving.answer_cache`).
    """

    recommender: Recommender
    version: str
    known_users: frozenset[int] = frozenset()
    n_movies: int = 0
    max_k: int = 0
    genres: tuple[str, ...] = ()
    sentiment: Mapping[int, SentimentOut] = field(default_factory=dict)
    blurbs: Mapping[int, BlurbOut] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict)
    cache: AnswerCache = field(default_factory=AnswerCache)


# --- model_fn --------------------------------------------------------------------------------


def _sentiment_label(score: float) -> str:
    if score >= 0.5 + SENTIMENT_BAND:
        return "positive"
    if score <= 0.5 - SENTIMENT_BAND:
        return "negative"
    return "mixed"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ResourceMissingError(
            f"{path}: not valid JSON (line {err.lineno}): rebuild the model archive with "
            "`kedro run --pipeline deployment`"
        ) from err


def load_sentiment(path: Path) -> dict[int, SentimentOut]:
    """Per-movie sentiment from ``movie_sentiment.json``; absent file → no sentiment."""
    if not path.exists():
        return {}
    rows = _read_json(path)
    return {
        int(movie_id): _sentiment_out(row, "smoothed_score")
        for movie_id, row in rows.items()
    }


def load_blurbs(path: Path) -> dict[int, BlurbOut]:
    """Per-movie generated reviews from ``generated_reviews.json``; absent file → none."""
    if not path.exists():
        return {}
    rows = _read_json(path)
    return {
        int(movie_id): BlurbOut(text=row["text"], sentiment=row.get("sentiment"))
        for movie_id, row in rows.items()
    }


def _sentiment_out(row: Mapping[str, Any], score_key: str) -> SentimentOut:
    score = float(row[score_key])
    return SentimentOut(
        score=score,
        n_reviews=int(row["n_reviews"]),
        ci_low=row.get("ci_low"),
        ci_high=row.get("ci_high"),
        label=_sentiment_label(score),
    )


def _env_count(name: str, default: int, expected: str) -> int:
    """A whole number from the environment (negative counts as 0); a clear error otherwise."""
    value = os.environ.get(name, str(default))
    try:
        return max(0, int(value))
    except ValueError as err:
        raise ConfigError(name, value, [expected]) from err


def _cache_size() -> int:
    return _env_count(
        ENV_CACHE_SIZE, DEFAULT_CACHE_SIZE, "a whole number of answers (0 = off)"
    )


def limit_blas_threads() -> int | None:
    """Give numpy's BLAS one thread in a serving process (``MOVIA_BLAS_THREADS`` overrides).

    A request alternates small numpy products (scores of ~10k films) with a MiniLM forward
    pass in torch. With a multi-threaded BLAS, its idle threads keep spinning after each product
    and take the cores torch's threads need: measured on 2 cores, a free-text request took
    67 ms with both pools at 2 threads and 25 ms with BLAS at 1, with no loss elsewhere (the
    products are too small to gain from threads). Returns the limit set, or None when disabled.
    """
    threads = _env_count(
        ENV_BLAS_THREADS, 1, "a whole number of threads (0 = leave as is)"
    )
    if threads == 0:
        return None
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")
    return threads


def model_fn(model_dir: str | Path, context: object | None = None) -> ServingModel:
    """Load a model directory (SageMaker passes ``/opt/ml/model``).

    The sentence model for free-text requests is loaded here (``warm_up``), so the first
    visitor who types a sentence does not wait seconds for it. ``MOVIA_ANSWER_CACHE`` (read
    here, when the process starts) sets how many answers are kept (default 2048, 0 = off).

    Args:
        model_dir: The unpacked ``model.tar.gz``.
        context: Passed by newer SageMaker toolkits (TorchServe context); unused.

    Raises:
        ResourceMissingError: The directory has no ``recommendation/`` artifact.
    """
    from movia.models.recommenders.bundle import RecommenderBundle

    root = Path(model_dir)
    artifact = root / RECOMMENDER_DIR
    if not artifact.exists():
        raise ResourceMissingError(
            f"{artifact}: no recommendation artifact; build one with "
            "`kedro run --pipeline recommendation` then `--pipeline deployment`"
        )
    info_path = root / INFO_FILE
    info = _read_json(info_path) if info_path.exists() else {}
    bundle = RecommenderBundle.load(artifact)
    limit_blas_threads()
    bundle.warm_up()
    model = ServingModel(
        recommender=bundle,
        version=str(info.get("model_version", "unversioned")),
        known_users=frozenset(int(user) for user in bundle.user_ids),
        n_movies=bundle.n_items,
        max_k=int(bundle.max_k),
        genres=tuple(sorted(bundle.genres)),
        sentiment=load_sentiment(root / SENTIMENT_FILE),
        blurbs=load_blurbs(root / BLURBS_FILE),
        info=info,
        cache=AnswerCache(_cache_size()),
    )
    logger.info(
        "loaded model %s from %s: %d users, %d movies, sentiment for %d, blurbs for %d",
        model.version,
        root,
        len(model.known_users),
        model.n_movies,
        len(model.sentiment),
        len(model.blurbs),
    )
    return model


# --- input_fn --------------------------------------------------------------------------------


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def field_path(location: Sequence[str | int]) -> str:
    """``("liked_titles", 3)`` → ``"liked_titles[3]"``; the body itself is ``""``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Pydantic errors as ``(field, message)`` pairs a person can read."""
    pairs = []
    for error in errors:
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field; remove it"
        elif error["type"] == "model_type" or error["type"] == "model_attributes_type":
            message = "the body must be a JSON object"
        pairs.append((field_path(error["loc"]), message))
    return pairs


def parse_request(
    body: bytes | str, model: type[RecommendRequest] = RecommendRequest
) -> RecommendRequest:
    """Validate a JSON body against ``model``; 400 for broken JSON, 422 naming bad fields."""
    try:
        return model.model_validate_json(body)
    except ValidationError as err:
        errors = err.errors(include_url=False, include_input=False)
        broken = next((e for e in errors if e["type"] == "json_invalid"), None)
        if broken is not None:
            raise MalformedBodyError(
                f"the body is not valid JSON ({broken['msg']}); send a JSON object such as "
                '{"user_id": 1} or {"liked_titles": ["Toy Story"]}'
            ) from None
        raise InvalidFieldsError(field_errors(errors)) from None


def input_fn(
    request_body: bytes | str, request_content_type: str | None = JSON
) -> RecommendRequest:
    """Deserialize a request body into a validated :class:`RecommendRequest`.

    Raises:
        UnsupportedContentTypeError: Not ``application/json``.
        PayloadTooLargeError: Over :data:`MAX_PAYLOAD_BYTES`.
        MalformedBodyError: Not JSON.
        InvalidFieldsError: JSON that breaks the schema; every bad field is listed.
    """
    media_type = _media_type(request_content_type)
    if media_type and media_type != JSON and not media_type.endswith("+json"):
        raise UnsupportedContentTypeError(
            f"content type {media_type!r} is not supported; send Content-Type: {JSON}"
        )
    size = len(request_body)
    if size > MAX_PAYLOAD_BYTES:
        raise PayloadTooLargeError(size, MAX_PAYLOAD_BYTES)
    return parse_request(request_body)


# --- predict_fn ------------------------------------------------------------------------------


def _unknown_id_fields(
    error: UnknownIdError, request: RecommendRequest
) -> list[tuple[str, str]]:
    """Point an unknown id at the field that holds it, so the page can mark that input."""
    if error.kind == "user":
        return [("user_id", str(error))]
    fields = []
    for name in ("liked_titles", "disliked_titles", "genres"):
        values = getattr(request, name)
        for index, value in enumerate(values):
            if value in error.ids:
                fields.append((f"{name}[{index}]", str(error)))
    return fields or [("", str(error))]


def _year(value: object) -> int | None:
    """A year, or ``None`` for a missing one (``None``, NaN and ``pd.NA`` all occur)."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _item(row: Mapping[str, Any], model: ServingModel) -> RecommendationOut:
    """One bundle answer plus extras; sentiment falls back to the bundle's own summary."""
    movie_id = int(row["movie_id"])
    explanation = dict(row.get("explanation") or {})
    sentiment = model.sentiment.get(movie_id)
    if sentiment is None and explanation.get("sentiment"):
        sentiment = _sentiment_out(explanation["sentiment"], "score")
    return RecommendationOut(
        movie_id=movie_id,
        title=str(row["title"]),
        year=_year(row.get("year")),
        genres=[str(genre) for genre in row.get("genres", ())],
        score=float(row["score"]),
        reason=str(row.get("reason") or ""),
        explanation=ExplanationOut.model_validate(explanation),
        sentiment=sentiment,
        blurb=model.blurbs.get(movie_id),
    )


def predict_fn(data: RecommendRequest, model: ServingModel) -> RecommendationsOut:
    """Answer a known user or a cold-start profile, with sentiment and blurbs attached.

    Raises:
        InvalidFieldsError: An unknown user, title or genre, or a value the recommender refuses;
            the field that holds it is named.
    """
    if data.user_id is not None and data.user_id not in model.known_users:
        raise InvalidFieldsError(
            [
                (
                    "user_id",
                    f"unknown user id(s): {data.user_id}; the model knows "
                    f"{len(model.known_users)} MovieLens users. Leave user_id out and send "
                    "liked_titles, genres or text for a recommendation from preferences",
                )
            ]
        )
    # k means "up to k", as in every recommender here: a small catalogue answers with all it has.
    k = min(data.k, model.max_k) if model.max_k else data.k
    key = (
        data.user_id,
        data.exclude_seen,
        tuple(data.liked_titles),
        tuple(data.disliked_titles),
        tuple(data.genres),
        data.text,
        data.lang,
        k,
    )
    items = model.cache.get(key)
    if items is None:
        items = tuple(_item(row, model) for row in _recommend(data, k, model))
        model.cache.put(key, items)
    return RecommendationsOut(
        request_id=uuid.uuid4().hex,
        mode=data.mode,
        model_version=model.version,
        items=list(items),
    )


def _recommend(
    data: RecommendRequest, k: int, model: ServingModel
) -> list[dict[str, Any]]:
    """The recommender's rows; its unknown ids and bad values become field errors."""
    try:
        if data.user_id is not None:
            return model.recommender.recommend_user(
                data.user_id, k=k, exclude_seen=data.exclude_seen
            )
        return model.recommender.recommend_from_preferences(
            liked_titles=data.liked_titles,
            disliked_titles=data.disliked_titles,
            genres=data.genres,
            text=data.text,
            lang=data.lang,
            k=k,
        )
    except UnknownIdError as err:
        raise InvalidFieldsError(_unknown_id_fields(err, data)) from err
    except ConfigError as err:
        raise InvalidFieldsError([(err.name, str(err))]) from err


def search_titles(
    model: ServingModel, query: str, limit: int = 10
) -> list[MovieMatchOut]:
    """Title suggestions for autocomplete; an empty query suggests nothing."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return []
    rows = model.recommender.search_titles(query, limit=min(limit, MAX_SEARCH_RESULTS))
    return [
        MovieMatchOut(
            movie_id=int(row["movie_id"]),
            title=str(row["title"]),
            year=_year(row.get("year")),
            genres=[str(genre) for genre in row.get("genres", ())],
        )
        for row in rows
    ]


# --- output_fn -------------------------------------------------------------------------------


def accepts_json(accept: str | None) -> bool:
    """Whether an ``Accept`` header admits JSON (absent and ``*/*`` do)."""
    if not accept:
        return True
    for part in accept.split(","):
        media_type = _media_type(part)
        if media_type in {JSON, "*/*", "application/*", ""} or media_type.endswith(
            "+json"
        ):
            return True
    return False


def output_fn(prediction: RecommendationsOut, accept: str | None = JSON) -> bytes:
    """Serialise a prediction as UTF-8 JSON (the only format offered).

    Raises:
        NotAcceptableError: ``accept`` rules out JSON.
    """
    if not accepts_json(accept):
        raise NotAcceptableError(f"cannot answer in {accept!r}; accept {JSON} (or */*)")
    return prediction.model_dump_json().encode("utf-8")


def invoke(
    model: ServingModel,
    body: bytes | str,
    content_type: str | None = JSON,
    accept: str | None = JSON,
) -> bytes:
    """``input_fn`` → ``predict_fn`` → ``output_fn``, as the SageMaker container chains them.

    Not named ``transform_fn``: the SageMaker toolkit refuses a module that defines both
    ``transform_fn`` and the three functions it would replace.
    """
    if not accepts_json(accept):
        raise NotAcceptableError(f"cannot answer in {accept!r}; accept {JSON} (or */*)")
    return output_fn(predict_fn(input_fn(body, content_type), model), accept)
