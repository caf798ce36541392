"""Request and response models of the serving API, kept apart (``...Request`` in, ``...Out`` out).

One request model serves every entry point: the SageMaker handler's ``input_fn``, the
``/api/recommendations`` route and the Lambda handler all validate with :class:`RecommendRequest`,
so a request the Lambda accepts is one the endpoint accepts. Models are strict (``"5"`` is not a
user id) and closed (an unknown field is an error that names it), and every string, list and
number has a bound: a fuzzer, or a person pasting a novel into the text box, gets a 422 that says
which field to fix instead of a slow or crashing request.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

MAX_K = 50
DEFAULT_K = 10
MAX_TITLES = 20
MAX_GENRES = 20
MAX_TEXT_CHARS = 1000
MAX_QUERY_CHARS = 100
MAX_SEARCH_RESULTS = 20
# MovieLens ids are positive 32-bit integers; the bound keeps a fuzzer's 10**30 away from numpy.
MAX_ID = 2**31 - 1

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
Genre = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)
]
SessionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
RequestId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
Language = Literal["es", "en"]


class _Strict(BaseModel):
    """Strict, closed input: wrong types and unknown fields are errors naming the field."""

    model_config = ConfigDict(strict=True, extra="forbid")


class RecommendRequest(_Strict):
    """Either a known MovieLens user, or a cold-start profile of preferences.

    Known user: ``{"user_id": 1, "k": 10}``. Cold start: any of ``liked_titles``,
    ``disliked_titles``, ``genres`` and ``text`` (what the person feels like watching, Spanish or
    English; ``lang`` is detected when omitted). Mixing the two is refused rather than guessed.
    """

    user_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="MovieLens userId"
    )
    liked_titles: list[Title] = Field(default_factory=list, max_length=MAX_TITLES)
    disliked_titles: list[Title] = Field(default_factory=list, max_length=MAX_TITLES)
    genres: list[Genre] = Field(default_factory=list, max_length=MAX_GENRES)
    text: str = Field(default="", max_length=MAX_TEXT_CHARS)
    lang: Language | None = None
    k: int = Field(default=DEFAULT_K, ge=1, le=MAX_K)
    exclude_seen: bool = True

    @property
    def mode(self) -> Literal["user", "preferences"]:
        """Which recommender path answers this request."""
        return "user" if self.user_id is not None else "preferences"

    @model_validator(mode="after")
    def _one_mode(self) -> RecommendRequest:
        has_preferences = bool(
            self.liked_titles
            or self.disliked_titles
            or self.genres
            or self.text.strip()
        )
        if self.user_id is not None and has_preferences:
            raise ValueError(
                "give either user_id or preferences (liked_titles, disliked_titles, "
                "genres, text), not both"
            )
        if self.user_id is None and not has_preferences:
            raise ValueError(
                "nothing to recommend from: give user_id, or at least one of "
                "liked_titles, genres or text"
            )
        return self


class WebRecommendRequest(RecommendRequest):
    """What the web page sends: the model request plus an anonymous session for A/B analysis."""

    session_id: SessionId | None = None


class FeedbackRequest(_Strict):
    """A person's reaction to one recommendation shown by ``/api/recommendations``."""

    request_id: RequestId
    movie_id: int = Field(ge=1, le=MAX_ID)
    action: Literal["click", "like", "dislike"]
    session_id: SessionId | None = None


class SentimentOut(BaseModel):
    """How reviewers felt about the movie (the sentiment pipeline's ``movie_sentiment``)."""

    score: float = Field(description="smoothed share of positive reviews, 0..1")
    n_reviews: int
    ci_low: float | None = None
    ci_high: float | None = None
    label: Literal["positive", "mixed", "negative"]


class BlurbOut(BaseModel):
    """A short review written by the generation pipeline; always flagged as machine-written."""

    text: str
    sentiment: str | None = None
    machine_generated: Literal[True] = True


class NearestLikedOut(BaseModel):
    """A film the person liked that resembles the recommended one."""

    movie_id: int
    title: str
    similarity: float


class OpinionOut(BaseModel):
    """An aspect-opinion pair reviewers often wrote about the film ("plot" — "smart")."""

    aspect: str
    opinion: str
    negated: bool = False
    lang: str = ""
    count: int = 0


class ExplanationOut(BaseModel):
    """Why the film was chosen, as facts the page phrases in the reader's language."""

    nearest_liked_movies: list[NearestLikedOut] = Field(default_factory=list)
    shared_genres: list[str] = Field(default_factory=list)
    shared_tags: list[str] = Field(default_factory=list)
    opinion_pairs: list[OpinionOut] = Field(default_factory=list)
    signals: dict[str, float] = Field(
        default_factory=dict,
        description="cold start: each signal's weighted share of the score",
    )


class RecommendationOut(BaseModel):
    """One recommended movie, with the reason it was chosen."""

    movie_id: int
    title: str
    year: int | None = None
    genres: list[str]
    score: float
    reason: str = Field(description="the explanation as one English sentence")
    explanation: ExplanationOut
    sentiment: SentimentOut | None = None
    blurb: BlurbOut | None = None


class RecommendationsOut(BaseModel):
    """The answer of every recommendation entry point (``/invocations`` included)."""

    request_id: str = Field(description="quote it in /api/feedback")
    mode: Literal["user", "preferences"]
    model_version: str
    items: list[RecommendationOut]


class MovieMatchOut(BaseModel):
    """A title suggestion for the page's autocomplete."""

    movie_id: int
    title: str
    year: int | None = None
    genres: list[str]


class GenresOut(BaseModel):
    """The genres a preference profile may name."""

    genres: list[str]


class FeedbackOut(BaseModel):
    """Acknowledges a stored feedback event."""

    stored: bool
    event_id: int


class HealthOut(BaseModel):
    """Liveness plus what the loaded model can show (the page hides what is missing)."""

    status: Literal["ok"]
    model_version: str
    n_movies: int
    sentiment_available: bool
    blurbs_available: bool
    variant: str


class FieldErrorOut(BaseModel):
    """One invalid field: where (dotted path) and what to change."""

    field: str
    message: str


class ErrorBodyOut(BaseModel):
    """A machine-readable type plus a message a person can act on."""

    type: str
    message: str
    fields: list[FieldErrorOut] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """Every 4xx/5xx answer of the app and the Lambda handler has this shape."""

    error: ErrorBodyOut
