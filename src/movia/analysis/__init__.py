"""Analyses of the data (quality report, EDA figures) shared by pipelines and notebooks."""
