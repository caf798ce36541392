"""Library layers stay free of Kedro, so serving and notebooks can import them alone."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "movia.models.recommenders",
        "movia.evaluation.metrics",
        "movia.evaluation.splitters",
        "movia.evaluation.comparison",
        "movia.evaluation.significance",
    ],
)
def test_no_kedro_and_no_torch_on_import(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('kedro', 'torch', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
