"""Estimators with a scikit-learn-style API (recommenders, sentiment, generation); no Kedro imports.

Each subpackage re-exports its classes and a name → class registry.
"""
