"""Turn unpacked downloads into the layout of a data mirror.

Each function takes ``(unpacked, staging, raw_dir)``: the folder the downloads were unpacked into,
the staging folder to fill with the source's layout files, and the raw data folder (for sources
that read another, already fetched source). They write only into ``staging``; the fetcher verifies
and moves the result into place. The layouts match ``../shared/data`` so that a mirror copy and a
download are read by the same catalog entries.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import re
import shutil
from pathlib import Path

import pandas as pd

from movia.errors import DataError

logger = logging.getLogger(__name__)

_IMDB_ID = re.compile(r"/title/(tt\d+)/")
ACLIMDB_COLUMNS = ["split", "label", "rating", "review_id", "imdb_id", "text"]


def lift_single_folder(unpacked: Path, staging: Path, raw_dir: Path) -> None:  # noqa: ARG001
    """MovieLens zips hold one top folder (``ml-latest-small/``); its files are the layout."""
    tops = [
        p
        for p in unpacked.iterdir()
        if p.is_dir() and not p.name.startswith("__MACOSX")
    ]
    if len(tops) != 1:
        raise DataError(
            f"expected one top folder in the archive, found {[p.name for p in tops]}",
            path=str(unpacked),
        )
    for item in tops[0].iterdir():
        shutil.move(str(item), staging / item.name)


def _write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    """RFC-4180 quoting and ``\\n`` line ends, as the reference copies were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=6) as handle:
        frame.to_csv(
            handle, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n"
        )


def _read_urls(path: Path) -> list[str]:
    """``urls_*.txt`` line ``i`` is the IMDb page of review ``i`` of that split and label."""
    ids = []
    for number, line in enumerate(
        path.read_text(encoding="utf-8").splitlines(), start=1
    ):
        match = _IMDB_ID.search(line)
        if not match:
            raise DataError(f"no IMDb title id in {line!r}", path=str(path), row=number)
        ids.append(match.group(1))
    return ids


def _read_review_folder(
    folder: Path, split: str, label: str, urls: list[str]
) -> pd.DataFrame:
    """Files are named ``<id>_<rating>.txt``; unlabelled reviews carry rating 0 (we store NA)."""
    rows = []
    for path in folder.glob("*.txt"):
        stem = path.stem
        try:
            review_id, rating = (int(part) for part in stem.split("_"))
        except ValueError as err:
            raise DataError(
                "file name is not <id>_<rating>.txt", path=str(path)
            ) from err
        if review_id >= len(urls):
            raise DataError(
                f"review {review_id} has no line in the urls file", path=str(path)
            )
        rows.append(
            {
                "split": split,
                "label": label,
                "rating": rating if label != "unsup" else None,
                "review_id": review_id,
                "imdb_id": urls[review_id],
                "text": path.read_text(encoding="utf-8"),
            }
        )
    frame = pd.DataFrame(rows, columns=ACLIMDB_COLUMNS)
    frame["rating"] = frame["rating"].astype("Int64")
    return frame.sort_values("review_id", kind="stable")


def build_aclimdb_tables(unpacked: Path, staging: Path, raw_dir: Path) -> None:  # noqa: ARG001
    """Rebuild the two review tables from the Stanford tarball's 100k text files.

    Order is split (train, test), then label (neg, pos; unsup), then review id, as in the
    reference copy, so row positions are stable across download and mirror.
    """
    root = unpacked / "aclImdb"
    if not root.is_dir():
        raise DataError("archive has no aclImdb/ folder", path=str(unpacked))
    labelled = []
    for split in ("train", "test"):
        for label in ("neg", "pos"):
            urls = _read_urls(root / split / f"urls_{label}.txt")
            labelled.append(
                _read_review_folder(root / split / label, split, label, urls)
            )
    unsup = _read_review_folder(
        root / "train" / "unsup",
        "train",
        "unsup",
        _read_urls(root / "train" / "urls_unsup.txt"),
    )
    _write_csv_gz(
        pd.concat(labelled, ignore_index=True), staging / "imdb_reviews_labeled.csv.gz"
    )
    _write_csv_gz(unsup.reset_index(drop=True), staging / "imdb_reviews_unsup.csv.gz")
    for name in (
        "README",
        "imdb.vocab",
        "imdbEr.txt",
        "train/urls_pos.txt",
        "train/urls_neg.txt",
        "train/urls_unsup.txt",
        "test/urls_pos.txt",
        "test/urls_neg.txt",
    ):
        target = staging / "aclImdb" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, target)


def _normalise_ws(text: str) -> str:
    return " ".join(str(text).split())


def link_spanish_imdb_sample(unpacked: Path, staging: Path, raw_dir: Path) -> None:
    """Attach IMDb ids and star ratings to the Spanish sample through its English twin.

    The Spanish and English sample files are row-aligned (same seed, same sampling). Each English
    text is matched, whitespace-normalised, to the aclImdb labelled reviews; a text found under
    several ids gets its ids ``;``-joined and no single ``imdb_id``, as in the reference copy.
    """
    spanish = pd.read_csv(unpacked / "sampled_imdb_es.csv")
    english = pd.read_csv(unpacked / "sampled_imdb_en.csv")
    if len(spanish) != len(english):
        raise DataError(
            f"{len(spanish)} Spanish rows but {len(english)} English rows",
            path=str(unpacked / "sampled_imdb_es.csv"),
        )
    aclimdb = pd.read_csv(raw_dir / "imdb_aclImdb" / "imdb_reviews_labeled.csv.gz")
    aclimdb["key"] = aclimdb["text"].map(_normalise_ws)
    grouped = aclimdb.groupby("key", sort=False).agg(
        imdb_ids=("imdb_id", lambda s: sorted(set(s))),
        review_ids=("review_id", lambda s: ";".join(map(str, s))),
        splits=("split", lambda s: ";".join(sorted(set(s)))),
        rating=("rating", "first"),
    )
    keys = english["review"].map(_normalise_ws)
    matched = grouped.reindex(keys)
    if matched["rating"].isna().any():
        first = int(matched["rating"].isna().to_numpy().argmax())
        raise DataError(
            "English review not found in aclImdb",
            path="sampled_imdb_en.csv",
            row=first + 2,
            field="review",
        )
    label = spanish["sentimiento"].map({"positivo": "pos", "negativo": "neg"})
    out = pd.DataFrame(
        {
            "source": "imdb_es_kaggle_luisdiegofv97_sample_meshal6299",
            "id": [f"imdb_es_{i:04d}" for i in range(len(spanish))],
            "title": None,
            "year": None,
            "rating": matched["rating"].astype("Int64").to_numpy(),
            "label": label.to_numpy(),
            "text": spanish["review_es"].to_numpy(),
            "imdb_id": [
                ids[0] if len(ids) == 1 else None for ids in matched["imdb_ids"]
            ],
            "aclimdb_review_id": matched["review_ids"].to_numpy(),
            "aclimdb_split": matched["splits"].to_numpy(),
        }
    )
    _write_csv_gz(out, staging / "imdb_es_reviews.csv.gz")


def _names(cell: object) -> str:
    """TMDB stores genres/keywords as JSON lists of ``{"id", "name"}``; keep ``|``-joined names."""
    if not isinstance(cell, str) or not cell.strip():
        return ""
    return "|".join(item["name"] for item in json.loads(cell))


def build_tmdb_overviews(unpacked: Path, staging: Path, raw_dir: Path) -> None:  # noqa: ARG001
    """Reduce Kaggle's ``tmdb_5000_movies.csv`` to the text columns MovIA uses."""
    found = list(unpacked.rglob("tmdb_5000_movies.csv"))
    if not found:
        raise DataError("archive has no tmdb_5000_movies.csv", path=str(unpacked))
    movies = pd.read_csv(found[0])
    release = pd.to_datetime(movies["release_date"], errors="coerce")
    out = pd.DataFrame(
        {
            "tmdb_id": movies["id"].astype(int),
            "title": movies["title"],
            "original_title": movies["original_title"],
            "original_language": movies["original_language"],
            "release_date": movies["release_date"],
            "release_year": release.dt.year.astype("Int64"),
            "genres": movies["genres"].map(_names),
            "keywords": movies["keywords"].map(_names),
            "tagline": movies["tagline"],
            "overview": movies["overview"],
        }
    ).sort_values("tmdb_id")
    _write_csv_gz(out, staging / "movie_overviews.csv.gz")
