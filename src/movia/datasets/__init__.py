"""Data sources (registry, downloader, mirror) and the raw-table catalog dataset.

``RawTableDataset`` is imported lazily so that fetching data (and ``movia --help``) never pays
for importing Kedro.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RawTableDataset"]


def __getattr__(name: str) -> Any:
    if name == "RawTableDataset":
        from movia.datasets.raw_table import RawTableDataset

        return RawTableDataset
    raise AttributeError(f"module 'movia.datasets' has no attribute {name!r}")
