"""Bad raw input is reported with file, line and column before anything runs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from movia.datasets.raw_table import RawTableDataset, read_table
from movia.errors import DataError

RATINGS = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n"


def _csv(tmp_path: Path, text: str, name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_with_contract_types(tmp_path: Path) -> None:
    frame = RawTableDataset(
        str(_csv(tmp_path, RATINGS)), schema="movielens_ratings"
    ).load()
    assert frame["rating"].tolist() == [4.0, 4.5]


def test_out_of_range_rating_names_file_line_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, RATINGS + "2,5,11.0,964981247\n")
    with pytest.raises(DataError) as info:
        read_table(path, "movielens_ratings")
    err = info.value
    assert (err.path, err.row, err.field) == (str(path), 4, "rating")
    assert "11.0" in str(err)


def test_missing_column_is_listed(tmp_path: Path) -> None:
    path = _csv(tmp_path, "userId,movieId,timestamp\n1,1,964982703\n")
    with pytest.raises(
        DataError, match=r"ratings.csv: missing column\(s\) \['rating'\]"
    ):
        read_table(path, "movielens_ratings")


def test_wrong_type_is_reported_with_its_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, RATINGS + "two,5,3.0,964981247\n")
    with pytest.raises(DataError) as info:
        read_table(path, "movielens_ratings")
    assert info.value.field == "userId"


def test_latin1_file_read_as_utf8_points_at_the_line(tmp_path: Path) -> None:
    """ml-100k's u.item is Latin-1: the error names the line and the fix."""
    path = tmp_path / "u.item"
    path.write_bytes(
        "1|Toy Story (1995)\n2|Cité des enfants perdus (1995)\n".encode("latin-1")
    )
    with pytest.raises(DataError, match=r"u.item:2: .*not valid utf-8.*latin-1"):
        read_table(path, load_args={"sep": "|", "header": None})
    frame = read_table(
        path, load_args={"sep": "|", "header": None, "encoding": "latin-1"}
    )
    assert frame.iloc[1, 1] == "Cité des enfants perdus (1995)"


def test_truncated_gzip_is_named(tmp_path: Path) -> None:
    whole = gzip.compress(RATINGS.encode() * 200)
    path = tmp_path / "ratings.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match="ratings.csv.gz: file is truncated or corrupt"):
        read_table(path, "movielens_ratings")


def test_missing_file_says_how_to_fetch(tmp_path: Path) -> None:
    """Kedro wraps load errors in DatasetError; ours stays the cause and in the message."""
    from kedro.io import DatasetError

    with pytest.raises(
        DatasetError, match="nope.csv: file not found; run `movia fetch-data`"
    ) as info:
        RawTableDataset(str(tmp_path / "nope.csv")).load()
    assert isinstance(info.value.__cause__, DataError)


def test_missing_ok_gives_an_empty_frame_with_columns(tmp_path: Path) -> None:
    frame = RawTableDataset(
        str(tmp_path / "nope.csv"), missing_ok=True, columns=["a", "b"]
    ).load()
    assert frame.empty and list(frame.columns) == ["a", "b"]


def test_raw_data_is_read_only(tmp_path: Path) -> None:
    from kedro.io import DatasetError

    with pytest.raises(DatasetError, match="read-only"):
        RawTableDataset(str(_csv(tmp_path, RATINGS))).save(pd.DataFrame())
