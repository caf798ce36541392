"""Measure a command in a child process: wall seconds and peak resident memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure_command(args: list[str], env: dict[str, str] | None = None) -> dict:
    """Run ``args`` from the project root; fail loudly if it fails.

    Peak RSS comes from ``wait4``'s rusage of that child alone, so earlier benchmarks in the same
    harness do not inflate it (unlike ``RUSAGE_CHILDREN``, which keeps the maximum ever seen).
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(output[-5000:])
        raise RuntimeError(f"benchmark command failed: {' '.join(args)}")
    return {
        "wall_seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def python_command(code: str) -> list[str]:
    """A command that runs ``code`` with this interpreter."""
    return [sys.executable, "-c", code]
