"""Build ``model.tar.gz`` in the SageMaker PyTorch framework layout, and prove it loads.

Layout (what the PyTorch inference container expects; it unpacks the archive into
``/opt/ml/model``, pip-installs ``code/requirements.txt`` and imports ``code/inference.py``)::

    recommendation/          the RecommenderBundle (RecommenderBundle.save output)
    movie_sentiment.json     optional, from the sentiment pipeline
    generated_reviews.json   optional, from the generation pipeline
    model_info.json          model_version (content hash), what is inside, pinned requirements
    code/inference.py        a copy of movia/serving/inference.py: the one handler
    code/requirements.txt    pinned third-party requirements of the vendored code
    code/movia/...           the vendored library (errors, models, text, evaluation, serving)

The archive is reproducible: members are sorted, owned by root and dated at
:data:`ARCHIVE_EPOCH`, and gzip carries no timestamp, so the same inputs give the same bytes and
the same sha256. :func:`validate_model_archive` unpacks it and runs the handler in a fresh
interpreter whose ``movia`` comes from ``code/``, as the container would, so a missing vendored
module or a broken layout fails the deployment pipeline instead of the endpoint.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

import movia
from movia.errors import ColumnContractError, DataError, ResourceMissingError
from movia.serving.inference import (
    BLURBS_FILE,
    INFO_FILE,
    RECOMMENDER_DIR,
    SENTIMENT_FILE,
)
from movia.serving.model_files import extract_archive

logger = logging.getLogger(__name__)

ARCHIVE_EPOCH = (
    946684800  # 2000-01-01: fixed member dates make the archive reproducible
)
PACKAGE_ROOT = Path(movia.__file__).resolve().parent
HANDLER_SOURCE = PACKAGE_ROOT / "serving" / "inference.py"
# What inference.py and the recommender import (conf: deployment.package.vendored_modules).
VENDORED_MODULES = ("errors", "progress", "models", "text", "evaluation", "serving")
SENTIMENT_COLUMNS = ["movie_id", "n_reviews", "smoothed_score", "ci_low", "ci_high"]
BLURB_COLUMNS = ["movie_id", "text"]
# C0 control characters but tab and newline: generated text can hold them, a page cannot show them.
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f]"


class SavableArtifact(Protocol):
    """The recommendation artifact: anything that saves itself into a path."""

    def save(self, path: str | Path) -> None: ...


# --- extras: per-movie sentiment and blurbs as small JSON files ------------------------------


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ColumnContractError(
            f"missing column(s) {missing}; has {list(frame.columns)}", path=name
        )


def _number(value: object) -> float | None:
    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]


def sentiment_by_movie(movie_sentiment: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """``movie_sentiment`` rows as ``{movie_id: {smoothed_score, n_reviews, ci_low, ci_high}}``.

    Raises:
        ColumnContractError: The frame lacks a contract column (docs/architecture.md).
    """
    _require(movie_sentiment, SENTIMENT_COLUMNS, "movie_sentiment")
    rows = movie_sentiment.dropna(subset=["movie_id", "smoothed_score"])
    return {
        str(int(row.movie_id)): {
            "smoothed_score": float(row.smoothed_score),
            "n_reviews": int(row.n_reviews),
            "ci_low": _number(row.ci_low),
            "ci_high": _number(row.ci_high),
        }
        for row in rows.itertuples(index=False)
    }


def audience_feeling(
    sentiment: Mapping[str, Mapping[str, Any]] | None,
    ratings: pd.DataFrame | None,
    rating_threshold: float = 3.5,
) -> dict[str, str]:
    """Whether people liked each movie ("pos"/"neg"): reviews first, else MovieLens ratings.

    Review sentiment covers about a quarter of the catalogue (the films IMDb reviews join to);
    the mean MovieLens rating (``>= rating_threshold`` on the 0.5-5 scale) covers the rest, so
    Toy Story is not introduced by a generated pan just because no review was linked to it.
    """
    feeling: dict[str, str] = {}
    if ratings is not None and len(ratings):
        _require(ratings, ["movie_id", "rating"], "ratings")
        means = ratings.groupby("movie_id")["rating"].mean()
        feeling = {
            str(int(movie)): "pos" if mean >= rating_threshold else "neg"
            for movie, mean in means.items()
        }
    for movie, row in (sentiment or {}).items():
        feeling[movie] = "pos" if row["smoothed_score"] >= 0.5 else "neg"
    return feeling


def blurbs_by_movie(
    generated_reviews: pd.DataFrame,
    max_chars: int = 600,
    feeling: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """One machine-written blurb per movie, agreeing with what people felt when known.

    The generation pipeline writes a positive and a negative blurb per movie. With
    ``feeling`` (movie id → "pos"/"neg", see :func:`audience_feeling`) the blurb whose
    ``sentiment`` matches is kept, so the page never shows a pan next to a well-loved film;
    otherwise, or without a match, the one the sentiment classifier was surest of. Genre-level
    rows (no ``movie_id``) are not about any one movie and are left out. Texts are cut at a
    word boundary to ``max_chars``.

    Raises:
        ColumnContractError: The frame lacks ``movie_id`` or ``text``.
    """
    _require(generated_reviews, BLURB_COLUMNS, "generated_reviews")
    movie_ids = pd.to_numeric(generated_reviews["movie_id"], errors="coerce")
    broken = int((movie_ids.isna() & generated_reviews["movie_id"].notna()).sum())
    if broken:
        # A bare carriage return in a generated text splits its CSV row when read back.
        logger.warning(
            "generated_reviews: %d row(s) with a non-numeric movie_id skipped", broken
        )
    rows = generated_reviews.assign(movie_id=movie_ids).dropna(
        subset=["movie_id", "text"]
    )
    rows = rows.assign(
        text=rows["text"].astype(str).str.replace(_CONTROL, "", regex=True)
    )
    rows = rows[rows["text"].str.strip() != ""]
    ids = rows["movie_id"].astype("int64").astype(str)
    agrees = pd.Series(False, index=rows.index)
    if feeling and "sentiment" in rows.columns:
        agrees = rows["sentiment"].astype(str).eq(ids.map(feeling))
    confidence = (
        rows["classifier_score"].astype(float)
        if "classifier_score" in rows.columns
        else pd.Series(0.0, index=rows.index)
    )
    ranked = rows.assign(_id=ids, _agrees=agrees, _confidence=confidence).sort_values(
        ["_agrees", "_confidence"], ascending=False, kind="stable"
    )
    blurbs = {}
    for row in ranked.drop_duplicates(subset="_id", keep="first").to_dict("records"):
        text = str(row["text"]).strip()
        if len(text) > max_chars:
            text = text[:max_chars].rsplit(" ", 1)[0] + "…"
        label = row.get("sentiment")
        blurbs[row["_id"]] = {
            "text": text,
            "sentiment": None if pd.isna(label) else str(label),
        }
    return blurbs


# --- code/: handler, vendored library, requirements ------------------------------------------


def pinned_requirements(names: Sequence[str]) -> list[str]:
    """``name==version`` of each installed distribution, so the container runs what we tested.

    Raises:
        ResourceMissingError: A named distribution is not installed here.
    """
    pins = []
    for name in names:
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError as err:
            raise ResourceMissingError(
                f"requirement {name!r} is not installed, so its version cannot be pinned; "
                "fix parameters_deployment.yml (package.requirements)"
            ) from err
    return pins


def vendored_sources(include: Sequence[str]) -> dict[str, bytes]:
    """The ``.py`` files of the listed ``movia`` modules and subpackages, by archive path.

    Raises:
        ResourceMissingError: A listed module does not exist.
    """
    files: dict[str, bytes] = {
        "code/movia/__init__.py": (PACKAGE_ROOT / "__init__.py").read_bytes()
    }
    for name in include:
        source = PACKAGE_ROOT / name
        if source.is_dir():
            paths = sorted(
                p for p in source.rglob("*.py") if "__pycache__" not in p.parts
            )
        elif source.with_suffix(".py").is_file():
            paths = [source.with_suffix(".py")]
        else:
            raise ResourceMissingError(
                f"movia/{name}: no such module to vendor; fix parameters_deployment.yml "
                "(package.vendored_modules)"
            )
        for path in paths:
            relative = path.relative_to(PACKAGE_ROOT).as_posix()
            files[f"code/movia/{relative}"] = path.read_bytes()
    return files


# --- the archive -----------------------------------------------------------------------------


def _directory_files(root: Path, prefix: str) -> dict[str, bytes]:
    if root.is_file():
        return {prefix: root.read_bytes()}
    return {
        f"{prefix}/{path.relative_to(root).as_posix()}": path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def content_version(files: Mapping[str, bytes]) -> str:
    """A short content hash: equal models get equal versions, whenever they were built."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:12]


def _tar_gz(files: Mapping[str, bytes], compresslevel: int) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name in sorted(files):
            data = files[name]
            member = tarfile.TarInfo(name)
            member.size, member.mtime, member.mode = len(data), ARCHIVE_EPOCH, 0o644
            member.uid = member.gid = 0
            member.uname = member.gname = "root"
            archive.addfile(member, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), compresslevel=compresslevel, mtime=0)


def build_model_archive(
    recommender: SavableArtifact,
    sentiment: Mapping[str, Any] | None = None,
    blurbs: Mapping[str, Any] | None = None,
    *,
    requirements: Sequence[str] = (),
    vendored_modules: Sequence[str] = VENDORED_MODULES,
    compresslevel: int = 6,
) -> bytes:
    """Assemble ``model.tar.gz`` (SageMaker PyTorch layout) in memory.

    Args:
        recommender: The recommendation artifact; saved into ``recommendation/``.
        sentiment: Output of :func:`sentiment_by_movie`, or ``None`` without sentiment.
        blurbs: Output of :func:`blurbs_by_movie`, or ``None`` without generated reviews.
        requirements: Distribution names for ``code/requirements.txt`` (pinned to the
            versions installed here).
        vendored_modules: ``movia`` modules and subpackages copied under ``code/movia``.
        compresslevel: gzip level; 1 is much faster on big artifacts, 9 barely smaller.

    Returns:
        The archive's bytes.
    """
    with tempfile.TemporaryDirectory(prefix="movia-artifact-") as scratch:
        target = Path(scratch) / RECOMMENDER_DIR
        recommender.save(target)
        if not target.exists():
            raise ResourceMissingError(
                f"{type(recommender).__name__}.save() wrote nothing at {target}"
            )
        files = _directory_files(target, RECOMMENDER_DIR)
    artifacts = dict(files)
    if sentiment:
        artifacts[SENTIMENT_FILE] = json.dumps(sentiment, sort_keys=True).encode()
    if blurbs:
        artifacts[BLURBS_FILE] = json.dumps(
            blurbs, sort_keys=True, ensure_ascii=False
        ).encode()
    pins = pinned_requirements(requirements)
    code = vendored_sources(vendored_modules)
    code["code/inference.py"] = HANDLER_SOURCE.read_bytes()
    code["code/requirements.txt"] = ("\n".join(pins) + "\n").encode()
    info = {
        "model_version": content_version(artifacts),
        "movia_version": movia.__version__,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "requirements": pins,
        "artifacts": sorted(artifacts),
        "has_sentiment": bool(sentiment),
        "has_blurbs": bool(blurbs),
    }
    artifacts[INFO_FILE] = json.dumps(info, indent=2, sort_keys=True).encode()
    archive = _tar_gz({**artifacts, **code}, compresslevel)
    logger.info(
        "built model.tar.gz %s: %d files, %.1f MB (sentiment: %s, blurbs: %s)",
        info["model_version"],
        len(artifacts) + len(code),
        len(archive) / 1e6,
        bool(sentiment),
        bool(blurbs),
    )
    return archive


# --- validation: the handler, loaded from the archive alone ----------------------------------

# Runs in a fresh interpreter with the archive's code/ first on sys.path, as SageMaker does.
_VALIDATOR = r"""
import json, sys, time
model_dir, requests = sys.argv[1], json.loads(sys.argv[2])
sys.path.insert(0, model_dir + "/code")
started = time.perf_counter()
import inference, movia
model = inference.model_fn(model_dir)
report = {"load_seconds": time.perf_counter() - started,
          "movia_from_archive": movia.__file__.startswith(model_dir),
          "model_version": model.version, "responses": []}
for request in requests:
    started = time.perf_counter()
    data = inference.input_fn(json.dumps(request), "application/json")
    body = inference.output_fn(inference.predict_fn(data, model), "application/json")
    answer = json.loads(body)
    report["responses"].append({"request": request, "seconds": time.perf_counter() - started,
        "n_items": len(answer["items"]), "items": answer["items"][:3]})
print(json.dumps(report))
"""
REQUIRED_MEMBERS = ("code/inference.py", "code/requirements.txt", INFO_FILE)


def archive_members(archive: bytes) -> list[str]:
    """Names of the archive's regular files."""
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        return sorted(member.name for member in tar.getmembers() if member.isfile())


def validate_model_archive(
    archive: bytes, requests: Sequence[Mapping[str, Any]], timeout: float = 120.0
) -> dict[str, Any]:
    """Load the archive through its own ``code/inference.py`` and answer ``requests``.

    Returns:
        ``load_seconds``, ``model_version``, ``movia_from_archive`` (the vendored package was
        used, not this checkout) and per request ``seconds``, ``n_items`` and the first items.

    Raises:
        DataError: A required member is missing, the handler fails, or a request gets no items.
    """
    members = archive_members(archive)
    missing = [name for name in REQUIRED_MEMBERS if name not in members]
    if not any(name.startswith(f"{RECOMMENDER_DIR}") for name in members):
        missing.append(f"{RECOMMENDER_DIR}/")
    if missing:
        raise DataError(f"missing member(s) {missing}", path="model.tar.gz")
    with tempfile.TemporaryDirectory(prefix="movia-validate-") as scratch:
        model_dir = extract_archive(archive, Path(scratch))
        completed = subprocess.run(
            [
                sys.executable,
                "-I",
                "-c",
                _VALIDATOR,
                str(model_dir),
                json.dumps(list(requests)),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if completed.returncode != 0:
        raise DataError(
            "the packaged handler failed:\n" + completed.stderr[-3000:],
            path="model.tar.gz",
        )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    if not report["movia_from_archive"]:
        raise DataError(
            "the handler imported movia from outside the archive; vendoring is incomplete",
            path="model.tar.gz",
        )
    empty = [r["request"] for r in report["responses"] if r["n_items"] == 0]
    if empty:
        raise DataError(f"no recommendations for {empty}", path="model.tar.gz")
    return report
