"""data_processing on ml-latest-small + all reviews (conf/base), beside the raw-read floor.

The baseline is the cheapest thing that touches the same bytes: reading every raw file with plain
pandas and no validation, joins, cleaning, reports or figures. Target: under 60 s and 2 GB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.measure import measure_command, python_command

RAW_READ = """
import pandas as pd
raw = 'data/01_raw/'
for path in ['movielens/ml-latest-small/ratings.csv', 'movielens/ml-latest-small/movies.csv',
             'movielens/ml-latest-small/tags.csv', 'movielens/ml-latest-small/links.csv',
             'imdb_aclImdb/imdb_reviews_labeled.csv.gz', 'imdb_aclImdb/imdb_reviews_unsup.csv.gz',
             'spanish_reviews_imdb_es/imdb_es_reviews.csv.gz', 'tmdb_overviews/movie_overviews.csv.gz']:
    pd.read_csv(raw + path)
"""


def run() -> dict:
    kedro = str(Path(sys.executable).with_name("kedro"))
    pipeline = measure_command([kedro, "run", "--pipeline", "data_processing"])
    baseline = measure_command(python_command(RAW_READ))
    return {
        "dataset": "ml-latest-small + aclImdb (100k reviews) + Spanish reviews + TMDB overviews",
        "config": "conf/base",
        "targets": {"wall_seconds": 60, "peak_rss_mb": 2048},
        "pipeline": pipeline,
        "baseline_raw_read": baseline,
        "meets_targets": pipeline["wall_seconds"] < 60
        and pipeline["peak_rss_mb"] < 2048,
    }


def markdown(result: dict) -> str:
    p, b = result["pipeline"], result["baseline_raw_read"]
    return "\n".join(
        [
            "# data_processing benchmark",
            "",
            f"{result['dataset']}, {result['config']}; {result['machine']['cpu_count']} CPU cores.",
            "",
            "| run | wall seconds | peak RSS (MB) |",
            "|---|---:|---:|",
            f"| `kedro run --pipeline data_processing` | {p['wall_seconds']} | {p['peak_rss_mb']} |",
            f"| baseline: plain pandas read of the raw files | {b['wall_seconds']} | {b['peak_rss_mb']} |",
            "",
            f"Targets: < {result['targets']['wall_seconds']} s and < {result['targets']['peak_rss_mb']} MB"
            f" — {'met' if result['meets_targets'] else 'NOT met'}.",
        ]
    )
