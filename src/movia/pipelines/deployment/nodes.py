"""Nodes of the deployment pipeline: serving extras → ``model.tar.gz`` → validated manifest.

Thin wrappers over :mod:`movia.deploy.packaging`; the archive goes through the catalog as bytes
(versioned), and validation loads what the catalog saved, not what this run held in memory.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import pandas as pd

from movia.deploy.packaging import (
    SavableArtifact,
    archive_members,
    audience_feeling,
    blurbs_by_movie,
    build_model_archive,
    sentiment_by_movie,
    validate_model_archive,
)

logger = logging.getLogger(__name__)


def prepare_serving_extras(
    movie_sentiment: pd.DataFrame | None,
    generated_reviews: pd.DataFrame | None,
    ratings: pd.DataFrame,
    extras: dict[str, Any],
) -> dict[str, Any]:
    """Per-movie sentiment and blurbs for the page, or ``None`` for what was never produced.

    Args:
        movie_sentiment: The sentiment pipeline's ``movie_sentiment``, or ``None``.
        generated_reviews: The generation pipeline's ``generated_reviews``, or ``None``.
        ratings: MovieLens ratings: which blurb agrees with people where no review does.
        extras: ``include_sentiment``, ``include_blurbs``, ``blurb_max_chars`` and
            ``blurb_rating_threshold``.

    Returns:
        ``{"sentiment": {...} | None, "blurbs": {...} | None}`` keyed by movie id.
    """
    felt = sentiment_by_movie(movie_sentiment) if movie_sentiment is not None else None
    sentiment = felt if extras["include_sentiment"] else None
    blurbs = None
    if extras["include_blurbs"] and generated_reviews is not None:
        feeling = audience_feeling(felt, ratings, extras["blurb_rating_threshold"])
        blurbs = blurbs_by_movie(generated_reviews, extras["blurb_max_chars"], feeling)
    logger.info(
        "serving extras: sentiment for %s movies, blurbs for %s movies",
        len(sentiment) if sentiment is not None else "no",
        len(blurbs) if blurbs is not None else "no",
    )
    return {"sentiment": sentiment, "blurbs": blurbs}


def package_model(
    recommendation_artifact: SavableArtifact,
    serving_extras: dict[str, Any],
    package: dict[str, Any],
) -> bytes:
    """Build ``model.tar.gz`` in the SageMaker PyTorch layout (see :mod:`movia.deploy.packaging`)."""
    return build_model_archive(
        recommendation_artifact,
        serving_extras["sentiment"],
        serving_extras["blurbs"],
        requirements=package["requirements"],
        vendored_modules=package["vendored_modules"],
        compresslevel=package["compresslevel"],
    )


def validate_model_package(
    model_archive: bytes, validation: dict[str, Any], sagemaker: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Load the saved archive through its own handler; describe it for the deploy step.

    Args:
        model_archive: The archive as the catalog saved it.
        validation: ``requests`` to answer and ``timeout_seconds`` for the whole check.
        sagemaker: The deployment target, recorded so the manifest says where it would go.

    Returns:
        The deployment manifest (sha256, size, members, handler report, target) and metrics
        for MLflow (archive size, load time, slowest request).
    """
    report = validate_model_archive(
        model_archive, validation["requests"], validation["timeout_seconds"]
    )
    members = archive_members(model_archive)
    manifest = {
        "model_version": report["model_version"],
        "sha256": hashlib.sha256(model_archive).hexdigest(),
        "size_bytes": len(model_archive),
        "members": len(members),
        "layout": sorted({name.split("/", 1)[0] for name in members}),
        "validation": report,
        "sagemaker": sagemaker,
    }
    slowest = max(response["seconds"] for response in report["responses"])
    metrics = {
        "archive_mb": {"value": len(model_archive) / 1e6, "step": 0},
        "handler_load_seconds": {"value": report["load_seconds"], "step": 0},
        "slowest_request_seconds": {"value": slowest, "step": 0},
    }
    logger.info(
        "validated model %s: %.1f MB, loads in %.1f s, slowest request %.3f s",
        manifest["model_version"],
        len(model_archive) / 1e6,
        report["load_seconds"],
        slowest,
    )
    return manifest, metrics
