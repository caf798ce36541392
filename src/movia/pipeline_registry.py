"""Project pipelines: every package under ``movia.pipelines`` is found automatically."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines; ``__default__`` runs all of them.

    ``raise_errors=True`` turns a broken pipeline module into an error at start-up instead of a
    pipeline that silently goes missing from ``kedro run`` and kedro-viz.
    """
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = sum(pipelines.values(), Pipeline([]))
    return pipelines
