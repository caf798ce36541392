"""Kedro project settings for MovIA.

Configuration lives in ``conf/``: ``base`` is the default run (the whole ``make run`` fits in 30
minutes on 2 CPU cores), ``full`` holds the long recipes behind headline benchmark figures
(``kedro run --env full``) and ``test`` the tiny overrides used by tests and CI. ``local`` is
git-ignored (credentials, personal overrides) and is the default run environment, layered over
``base``.
"""

from kedro.config import OmegaConfigLoader

from movia.hooks import MlflowArtifactHook

# Versioned catalog entries with `metadata: {mlflow_artifact: ...}` are logged to the MLflow run.
HOOKS = (MlflowArtifactHook(),)

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "config_patterns": {
        "mlflow": ["mlflow*", "mlflow*/**"],
    },
}
