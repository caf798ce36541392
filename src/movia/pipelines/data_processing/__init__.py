"""data_processing: raw sources → validated primary tables, data quality report, EDA figures."""

from movia.pipelines.data_processing.pipeline import create_pipeline

__all__ = ["create_pipeline"]
