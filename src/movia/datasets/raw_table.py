"""A read-only Kedro dataset for raw tables: read, decode, validate, and say where it failed.

Raw files are where bad input enters, so this is where it is caught: a wrong encoding (ml-100k's
``u.item`` is Latin-1), a truncated gzip, a missing column or an out-of-range value each raise a
:class:`~movia.errors.DataError` naming the file, the line and the column, before any node runs
and before any output of an earlier run is touched.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
from kedro.io import AbstractDataset, DatasetError

from movia.datasets.schemas import validate_frame
from movia.errors import DataError

logger = logging.getLogger(__name__)


def _first_undecodable_line(path: Path, encoding: str) -> tuple[int | None, bytes]:
    """Find the first line that does not decode: pandas' error offsets are per chunk, not per file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError as err:
                return number, line[max(0, err.start - 10) : err.end + 10]
    return None, b""


def read_table(
    filepath: str | Path,
    schema: str | None = None,
    load_args: dict[str, Any] | None = None,
    header_lines: int = 1,
) -> pd.DataFrame:
    """Read a CSV-like file with pandas and validate it against a named contract.

    Args:
        filepath: The file to read (``.gz`` is decompressed).
        schema: A contract from :mod:`movia.datasets.schemas`, or ``None`` to skip checks.
        load_args: Passed to :func:`pandas.read_csv` (``sep``, ``names``, ``encoding`` ...).
        header_lines: Lines before the first row, so reported line numbers match the file.

    Raises:
        DataError: Undecodable bytes, a truncated or corrupt file, or a failed contract.
    """
    path = Path(filepath)
    args = dict(load_args or {})
    encoding = args.get("encoding", "utf-8")
    try:
        frame = pd.read_csv(path, **args)
    except UnicodeDecodeError as err:
        line, context = _first_undecodable_line(path, encoding)
        raise DataError(
            f"bytes {context!r} are not valid {encoding}; if the file is "
            "Latin-1 (as MovieLens ml-100k u.item is), set load_args.encoding: latin-1",
            path=str(path),
            row=line,
        ) from err
    except (EOFError, zlib.error, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise DataError(
            f"file is truncated or corrupt ({err})", path=str(path)
        ) from err
    except pd.errors.ParserError as err:
        raise DataError(f"cannot parse as CSV: {err}", path=str(path)) from err
    if schema is None:
        return frame
    offset = header_lines + 1
    return validate_frame(
        frame, schema, str(path), line_of=lambda label: int(label) + offset
    )


class RawTableDataset(AbstractDataset[None, pd.DataFrame]):
    """Catalog entry for a raw table: ``type: movia.datasets.RawTableDataset``.

    Example::

        movielens_ratings:
          type: movia.datasets.RawTableDataset
          filepath: data/01_raw/movielens/ml-latest-small/ratings.csv
          schema: movielens_ratings

    Args:
        filepath: Local path of the file.
        schema: Contract name (see :func:`movia.datasets.schemas.schema_names`).
        load_args: Extra :func:`pandas.read_csv` arguments.
        header_lines: Lines before the first data row (0 for ml-100k's ``u.data``).
        missing_ok: Return an empty frame with ``columns`` (and log a warning) when the file is
            absent: for sources without a public URL that the pipelines can do without.
        columns: Columns of that empty frame.
        metadata: Free-form metadata (kedro-viz shows it).
    """

    def __init__(
        self,
        filepath: str,
        schema: str | None = None,
        load_args: dict[str, Any] | None = None,
        header_lines: int = 1,
        missing_ok: bool = False,
        columns: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self._filepath = PurePosixPath(filepath)
        self._schema = schema
        self._load_args = load_args or {}
        self._header_lines = header_lines
        self._missing_ok = missing_ok
        self._columns = columns or []
        self.metadata = metadata

    def load(self) -> pd.DataFrame:
        """Read and validate the file (see :func:`read_table`)."""
        path = Path(self._filepath)
        if not path.exists():
            if self._missing_ok:
                logger.warning("%s is absent: continuing without it (missing_ok)", path)
                return pd.DataFrame(
                    {name: pd.Series(dtype="object") for name in self._columns}
                )
            raise DataError(
                "file not found; run `movia fetch-data` (or set MOVIA_DATA_MIRROR) first",
                path=str(path),
            )
        return read_table(path, self._schema, self._load_args, self._header_lines)

    def save(self, data: None) -> None:
        """Raw data is read-only: outputs go to later layers."""
        raise DatasetError(f"{self._filepath} is raw input and read-only")

    def _exists(self) -> bool:
        return Path(self._filepath).exists()

    def _describe(self) -> dict[str, Any]:
        return {
            "filepath": str(self._filepath),
            "schema": self._schema,
            "load_args": self._load_args,
            "missing_ok": self._missing_ok,
        }
