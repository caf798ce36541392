"""Sphinx configuration for the MovIA documentation (`make docs`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import movia  # noqa: E402

project = "MovIA"
author = "MovIA contributors"
release = movia.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx_autodoc_typehints",
    "sphinx_copybutton",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist", "tasklist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_mock_imports = []
napoleon_google_docstring = True
napoleon_numpy_docstring = False
html_theme = "sphinx_rtd_theme"
html_title = "MovIA"
suppress_warnings = ["myst.header", "myst.xref_missing"]
