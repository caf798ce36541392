"""Read the deployment parameters the way a Kedro run would (base, then the chosen environment)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from movia.errors import ResourceMissingError


def load_deployment_parameters(
    conf_source: Path = Path("conf"), env: str | None = None
) -> dict[str, Any]:
    """The ``deployment`` parameters block of ``conf_source`` for ``env`` (default: local).

    Raises:
        ResourceMissingError: No ``deployment`` block (wrong folder or environment).
    """
    from kedro.config import OmegaConfigLoader

    loader = OmegaConfigLoader(
        str(conf_source), base_env="base", default_run_env="local", env=env
    )
    block = loader["parameters"].get("deployment")
    if not block:
        raise ResourceMissingError(
            f"{conf_source}: no `deployment` parameters (run from the project root, or pass "
            "--conf-source)"
        )
    return block
