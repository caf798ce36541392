"""What a serving process needs to know, read from the environment where the process starts.

:class:`ServingSettings` is a plain value: ``movia serve`` builds it from its options, uvicorn
workers build it from the environment through
:func:`movia.serving.app.app_from_environment`, and tests build it directly. Nothing reads the
environment at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from movia.errors import ResourceMissingError
from movia.serving.inference import MAX_PAYLOAD_BYTES

ENV_MODEL_DIR = "MOVIA_MODEL_DIR"
ENV_EVENT_STORE = "MOVIA_EVENT_STORE"
ENV_ENDPOINT_NAME = "MOVIA_ENDPOINT_NAME"
ENV_VARIANT = "MOVIA_VARIANT"
DEFAULT_ENDPOINT_NAME = "movia-recommender"


@dataclass(frozen=True)
class ServingSettings:
    """Settings of one serving app.

    Attributes:
        model_dir: An unpacked ``model.tar.gz`` (what SageMaker calls ``/opt/ml/model``).
        event_store: SQLite file for impressions and feedback; ``None`` keeps them in memory.
        endpoint_name: The name ``/endpoints/{name}/invocations`` answers to, as a SageMaker
            endpoint would (other names get SageMaker's "endpoint not found" error).
        variant: The A/B arm this process serves, recorded with every impression.
        max_body_bytes: Larger request bodies get a 413.
    """

    model_dir: Path
    event_store: Path | None = None
    endpoint_name: str = DEFAULT_ENDPOINT_NAME
    variant: str = "A"
    max_body_bytes: int = MAX_PAYLOAD_BYTES

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None
    ) -> ServingSettings:
        """Build settings from ``MOVIA_MODEL_DIR`` (required) and optional variables.

        Raises:
            ResourceMissingError: ``MOVIA_MODEL_DIR`` is unset.
        """
        env = os.environ if environ is None else environ
        model_dir = env.get(ENV_MODEL_DIR, "").strip()
        if not model_dir:
            raise ResourceMissingError(
                f"{ENV_MODEL_DIR} is not set: point it at an unpacked model.tar.gz "
                "(or start the server with `movia serve`)"
            )
        event_store = env.get(ENV_EVENT_STORE, "").strip()
        return cls(
            model_dir=Path(model_dir),
            event_store=Path(event_store) if event_store else None,
            endpoint_name=env.get(ENV_ENDPOINT_NAME, "").strip()
            or DEFAULT_ENDPOINT_NAME,
            variant=env.get(ENV_VARIANT, "").strip() or "A",
        )

    def to_environment(self) -> dict[str, str]:
        """The variables :meth:`from_environment` reads (to hand settings to workers)."""
        env = {
            ENV_MODEL_DIR: str(self.model_dir),
            ENV_ENDPOINT_NAME: self.endpoint_name,
            ENV_VARIANT: self.variant,
        }
        if self.event_store is not None:
            env[ENV_EVENT_STORE] = str(self.event_store)
        return env
