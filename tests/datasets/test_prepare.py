"""Building the mirror layout from the publishers' archives, on tiny synthetic copies."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from movia.datasets.prepare import (
    build_aclimdb_tables,
    build_tmdb_overviews,
    link_spanish_imdb_sample,
)
from movia.errors import DataError


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _tiny_aclimdb(root: Path) -> None:
    acl = root / "aclImdb"
    for name in ("README", "imdb.vocab", "imdbEr.txt"):
        _write(acl / name, name)
    url = "http://www.imdb.com/title/{}/usercomments"
    for split in ("train", "test"):
        _write(
            acl / split / "urls_pos.txt",
            "\n".join(url.format(f"tt000000{i}") for i in (1, 2)),
        )
        _write(
            acl / split / "urls_neg.txt",
            "\n".join(url.format(f"tt000001{i}") for i in (1, 2)),
        )
        _write(acl / split / "pos" / "1_9.txt", f"great {split}<br />film")
        _write(acl / split / "pos" / "0_10.txt", "loved it")
        _write(acl / split / "neg" / "0_2.txt", "awful")
    _write(acl / "train" / "urls_unsup.txt", url.format("tt0000099"))
    _write(acl / "train" / "unsup" / "0_0.txt", "no label here")


def test_aclimdb_tables_follow_the_reference_layout(tmp_path: Path) -> None:
    _tiny_aclimdb(tmp_path / "unpacked")
    build_aclimdb_tables(tmp_path / "unpacked", tmp_path / "out", tmp_path)
    labelled = pd.read_csv(tmp_path / "out" / "imdb_reviews_labeled.csv.gz")
    assert list(labelled.columns) == [
        "split",
        "label",
        "rating",
        "review_id",
        "imdb_id",
        "text",
    ]
    assert labelled[["split", "label", "review_id"]].values.tolist() == [
        ["train", "neg", 0],
        ["train", "pos", 0],
        ["train", "pos", 1],
        ["test", "neg", 0],
        ["test", "pos", 0],
        ["test", "pos", 1],
    ]
    # review i of a split/label takes line i of that urls file
    assert labelled.loc[2, "imdb_id"] == "tt0000002"
    assert labelled.loc[2, "rating"] == 9
    unsup = pd.read_csv(tmp_path / "out" / "imdb_reviews_unsup.csv.gz")
    assert unsup["rating"].isna().all() and unsup.loc[0, "label"] == "unsup"
    assert (tmp_path / "out" / "aclImdb" / "train" / "urls_unsup.txt").exists()


def test_aclimdb_bad_file_name_is_named(tmp_path: Path) -> None:
    _tiny_aclimdb(tmp_path / "unpacked")
    _write(tmp_path / "unpacked" / "aclImdb" / "test" / "neg" / "oops.txt", "x")
    with pytest.raises(DataError, match="oops.txt"):
        build_aclimdb_tables(tmp_path / "unpacked", tmp_path / "out", tmp_path)


def test_tmdb_overviews_keep_names_of_json_lists(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": [5],
            "title": ["Four Rooms"],
            "original_title": ["Four Rooms"],
            "original_language": ["en"],
            "release_date": ["1995-12-09"],
            "genres": [
                json.dumps([{"id": 80, "name": "Crime"}, {"id": 35, "name": "Comedy"}])
            ],
            "keywords": [json.dumps([{"id": 1, "name": "hotel"}])],
            "tagline": ["Twelve outrageous guests."],
            "overview": ["Ted the bellhop..."],
        }
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tmdb_5000_movies.csv", frame.to_csv(index=False))
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        archive.extractall(unpacked)
    build_tmdb_overviews(unpacked, tmp_path, tmp_path)
    out = pd.read_csv(tmp_path / "movie_overviews.csv.gz")
    assert out.loc[0, "genres"] == "Crime|Comedy"
    assert out.loc[0, "release_year"] == 1995


def test_spanish_sample_is_linked_through_its_english_twin(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    acl = pd.DataFrame(
        {
            "split": ["train", "test", "test"],
            "label": ["pos", "neg", "neg"],
            "rating": [8, 2, 2],
            "review_id": [3, 7, 9],
            "imdb_id": ["tt0000001", "tt0000002", "tt0000003"],
            "text": ["Good  film.", "Bad film.", "Bad film."],
        }
    )
    (raw / "imdb_aclImdb").mkdir(parents=True)
    acl.to_csv(raw / "imdb_aclImdb" / "imdb_reviews_labeled.csv.gz", index=False)
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    pd.DataFrame(
        {
            "review_es": ["Buena película.", "Mala película."],
            "sentimiento": ["positivo", "negativo"],
        }
    ).to_csv(unpacked / "sampled_imdb_es.csv", index=False)
    pd.DataFrame(
        {"review": ["Good film.", "Bad film."], "sentiment": ["positive", "negative"]}
    ).to_csv(unpacked / "sampled_imdb_en.csv", index=False)
    link_spanish_imdb_sample(unpacked, tmp_path, raw)
    out = pd.read_csv(
        tmp_path / "imdb_es_reviews.csv.gz", dtype={"aclimdb_review_id": str}
    )
    assert out.loc[0, ["imdb_id", "rating", "label", "aclimdb_review_id"]].tolist() == [
        "tt0000001",
        8,
        "pos",
        "3",
    ]
    # the same English text under two IMDb ids: no single id, both review ids kept
    assert pd.isna(out.loc[1, "imdb_id"])
    assert out.loc[1, "aclimdb_review_id"] == "7;9"
