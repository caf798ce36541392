"""MovIA's exception hierarchy: a leaf module, importable from anywhere.

Every failure we anticipate derives from :class:`MoviaError`, so the CLI and the API can tell a
known problem (bad input, missing data, wrong configuration) from a bug. Each subclass also
derives from the matching built-in, so callers that catch ``ValueError`` or ``LookupError``
keep working.
"""

from __future__ import annotations

from collections.abc import Iterable


class MoviaError(Exception):
    """Root of our errors: lets the CLI and the API tell a known failure from a bug."""


class DataError(MoviaError, ValueError):
    """Input breaks a contract; says where, so the fix starts at the right line.

    Args:
        message: What is wrong, in words a user can act on.
        path: The file (or catalog dataset) that holds the bad value.
        row: The 1-based line of the file, or the row label of a frame.
        field: The column or field name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.path, self.row, self.field = path, row, field
        self.message = message
        where = ":".join(str(part) for part in (path, row, field) if part is not None)
        super().__init__(f"{where}: {message}" if where else message)


class ColumnContractError(DataError):
    """A frame lacks columns (or has the wrong dtypes) that the next step relies on."""


class ChecksumError(DataError):
    """A downloaded or copied file does not match the sha256 recorded in the registry."""


class DownloadError(MoviaError, OSError):
    """A transfer failed or was cut short; nothing partial is left in place."""


class SourceUnavailableError(MoviaError, LookupError):
    """A data source cannot be fetched automatically; the message says how to get it."""


class UnknownIdError(MoviaError, LookupError):
    """Ids that were never seen in ``fit`` (users, items, titles).

    Args:
        kind: What the ids are ("user", "item", "title").
        ids: The offending ids; at most ten are listed in the message.
        suggestions: Optional close matches to offer the user.
    """

    def __init__(
        self, kind: str, ids: Iterable[object], suggestions: Iterable[str] = ()
    ) -> None:
        self.kind = kind
        self.ids = list(ids)
        self.suggestions = list(suggestions)
        shown = ", ".join(map(str, self.ids[:10]))
        more = f" (and {len(self.ids) - 10} more)" if len(self.ids) > 10 else ""
        hint = (
            f"; did you mean: {', '.join(self.suggestions)}?"
            if self.suggestions
            else ""
        )
        super().__init__(f"unknown {kind} id(s): {shown}{more}{hint}")


class ConfigError(MoviaError, ValueError):
    """A configuration value is not one of the valid choices; the message lists them."""

    def __init__(self, name: str, value: object, choices: Iterable[object]) -> None:
        self.name, self.value, self.choices = name, value, list(choices)
        listed = ", ".join(map(str, self.choices))
        super().__init__(f"{name}={value!r} is not valid; choose one of: {listed}")


class ResourceMissingError(MoviaError, LookupError):
    """A model or corpus (NLTK data, a spaCy pipeline, weights) is not installed here."""
