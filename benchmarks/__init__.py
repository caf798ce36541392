"""Side-by-side benchmarks: `make bench` (or `python -m benchmarks [NAME ...]`).

Each module ``benchmarks/<name>.py`` defines ``run() -> dict`` (JSON-ready figures, ours beside the
baseline's, measured in the same run) and ``markdown(result) -> str``. The harness adds the
machine and commit, and writes ``data/08_reporting/benchmarks/<name>.json`` and ``<name>.md``.
"""
