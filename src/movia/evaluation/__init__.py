"""Splitters, ranking and rating metrics, and model comparison (no Kedro, no models imports)."""
