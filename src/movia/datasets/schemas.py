"""Contracts of the raw files, checked the moment they are read.

A failed check becomes a :class:`~movia.errors.DataError` that names the file, the line (1-based,
counting the header, so an editor jumps straight to it) and the column, plus how many other rows
fail, so one run reports the whole problem instead of the first symptom.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from movia.errors import DataError

# pandera's import costs about a second; build schemas on first use, not at import.
_SCHEMAS: dict[str, object] = {}


def _build_schemas() -> dict[str, object]:
    import pandera.pandas as pa

    def column(
        dtype: object = None,
        *checks: object,
        nullable: bool = False,
        unique: bool = False,
        coerce: bool = True,
    ) -> pa.Column:
        return pa.Column(
            dtype, list(checks), nullable=nullable, unique=unique, coerce=coerce
        )

    half_stars = pa.Check(lambda s: (s * 2).round() == s * 2, name="multiple_of_0.5")
    not_blank = pa.Check(
        lambda s: s.astype(str).str.strip().str.len() > 0, name="not_blank"
    )
    imdb_id = pa.Check.str_matches(r"^tt\d{7,8}$")
    labels = pa.Check.isin(["pos", "neg"])
    return {
        "movielens_ratings": pa.DataFrameSchema(
            {
                "userId": column(int, pa.Check.ge(1)),
                "movieId": column(int, pa.Check.ge(1)),
                "rating": column(float, pa.Check.in_range(0.5, 5.0), half_stars),
                "timestamp": column(int, pa.Check.ge(0)),
            }
        ),
        "movielens_movies": pa.DataFrameSchema(
            {
                "movieId": column(int, pa.Check.ge(1), unique=True),
                "title": column(str, not_blank),
                "genres": column(str),
            }
        ),
        "movielens_tags": pa.DataFrameSchema(
            {
                "userId": column(int, pa.Check.ge(1)),
                "movieId": column(int, pa.Check.ge(1)),
                "tag": column(str, nullable=True),
                "timestamp": column(int, pa.Check.ge(0)),
            }
        ),
        "movielens_links": pa.DataFrameSchema(
            {
                "movieId": column(int, pa.Check.ge(1), unique=True),
                "imdbId": column(int, pa.Check.ge(1), nullable=True),
                "tmdbId": column(float, pa.Check.ge(1), nullable=True),
            }
        ),
        "aclimdb_reviews": pa.DataFrameSchema(
            {
                "split": column(str, pa.Check.isin(["train", "test"])),
                "label": column(str, pa.Check.isin(["pos", "neg", "unsup"])),
                "rating": column(float, pa.Check.in_range(1, 10), nullable=True),
                "review_id": column(int, pa.Check.ge(0)),
                "imdb_id": column(str, imdb_id),
                "text": column(str, not_blank),
            }
        ),
        "imdb_es_reviews": pa.DataFrameSchema(
            {
                "id": column(str, unique=True),
                "rating": column(float, pa.Check.in_range(1, 10), nullable=True),
                "label": column(str, labels),
                "text": column(str, not_blank),
                "imdb_id": column(str, imdb_id, nullable=True),
                "aclimdb_review_id": column(str, nullable=True),
                "aclimdb_split": column(str, nullable=True),
            }
        ),
        "sfu_reviews": pa.DataFrameSchema(
            {
                "domain": column(str),
                "label": column(str, labels),
                "stars": column(int, pa.Check.in_range(1, 5)),
                "source_file": column(str),
                "text": column(str, not_blank),
            }
        ),
        "tmdb_overviews": pa.DataFrameSchema(
            {
                "tmdb_id": column(int, pa.Check.ge(1), unique=True),
                "title": column(str),
                "release_year": column(float, nullable=True),
                "genres": column(str, nullable=True),
                "keywords": column(str, nullable=True),
                "tagline": column(str, nullable=True),
                "overview": column(str, nullable=True),
            }
        ),
    }


def schema_names() -> list[str]:
    """Names accepted by :func:`validate_frame` (and by the ``schema`` of a raw dataset)."""
    if not _SCHEMAS:
        _SCHEMAS.update(_build_schemas())
    return sorted(_SCHEMAS)


def validate_frame(
    frame: pd.DataFrame,
    schema: str,
    path: str,
    line_of: Callable[[object], int] | None = None,
) -> pd.DataFrame:
    """Validate ``frame`` against the named contract, or raise a :class:`DataError` saying where.

    Args:
        frame: The frame as read from ``path``.
        schema: One of :func:`schema_names`.
        path: The file the frame came from; it leads the error message.
        line_of: Maps a row label to its 1-based line in the file; defaults to ``label + 2``
            (a header line, then rows in order), right for a default-indexed CSV.

    Returns:
        The validated frame (with dtypes coerced where the contract says so).
    """
    import pandera.errors as pa_errors

    names = schema_names()
    if schema not in _SCHEMAS:
        raise DataError(
            f"unknown schema {schema!r}; known: {', '.join(names)}", path=path
        )
    line_of = line_of or (lambda label: int(label) + 2)
    try:
        return _SCHEMAS[schema].validate(frame, lazy=True)
    except pa_errors.SchemaErrors as err:
        cases = err.failure_cases
        first = cases.iloc[0]
        total = len(cases)
        more = f" ({total - 1} more failure(s) in this file)" if total > 1 else ""
        if first["check"] == "column_in_dataframe":
            missing = cases.loc[
                cases["check"] == "column_in_dataframe", "failure_case"
            ].tolist()
            raise DataError(
                f"missing column(s) {missing}; found {list(frame.columns)}", path=path
            ) from None
        row = None if pd.isna(first["index"]) else line_of(first["index"])
        case = first["failure_case"]
        case = (
            case.item() if hasattr(case, "item") else case
        )  # np.float64(11.0) -> 11.0
        if str(first["check"]).startswith("dtype"):
            message = f"wrong type: {first['check']} (values such as {case!r})"
        else:
            message = f"value {case!r} fails {first['check']}"
        raise DataError(
            message + more, path=path, row=row, field=str(first["column"])
        ) from None
