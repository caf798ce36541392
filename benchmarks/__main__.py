"""Run the benchmarks and write their JSON and Markdown reports."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ORDER = [
    "data_processing",
    "nlp",
    "sentiment",
    "recommendation",
    "generation",
    "serving",
]
ROOT = Path(__file__).resolve().parents[1]


def available() -> list[str]:
    """Benchmarks that exist, in pipeline order."""
    return [name for name in ORDER if (ROOT / "benchmarks" / f"{name}.py").exists()]


def machine() -> dict:
    """Where the figures were measured: they mean little without it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "commit": commit,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {available()})"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "data" / "08_reporting" / "benchmarks"
    )
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {available()}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        result = module.run()
        result["benchmark_seconds"] = round(time.perf_counter() - started, 1)
        result["machine"] = machine()
        (args.out / f"{name}.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        )
        report = module.markdown(result)
        (args.out / f"{name}.md").write_text(report + "\n")
        print(report, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
