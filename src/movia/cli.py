"""``movia`` commands that are not pipelines: fetch-data, serve, deploy, undeploy (bench as it lands).

Kedro also loads this module as the project's CLI, so ``kedro fetch-data`` works too, and it looks
up ``run`` here: we hand back Kedro's own ``run`` command unchanged. Commands parse arguments and
call into the package; a :class:`~movia.errors.MoviaError` becomes one line on stderr and exit
code 1, anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from movia.errors import MoviaError

logger = logging.getLogger("movia")


def _configure_logging(verbose: bool) -> None:
    """CLI entry points decide logging; library modules only create loggers."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def known_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a MoviaError into one clear stderr line and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MoviaError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)

    return wrapper


@click.group(name="movia", context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """MovIA: movie recommendations with NLP, sentiment and generated reviews."""


@cli.command("fetch-data")
@click.option(
    "--dataset",
    "datasets",
    multiple=True,
    metavar="NAME",
    help="Source to fetch (repeatable); default: every source the main run needs.",
)
@click.option(
    "--all", "fetch_every", is_flag=True, help="Fetch every registered source."
)
@click.option(
    "--raw-dir",
    type=click.Path(path_type=Path),
    default=Path("data/01_raw"),
    show_default=True,
    help="Where sources land (Kedro's raw layer).",
)
@click.option(
    "--mirror",
    type=click.Path(path_type=Path),
    default=None,
    help="Copy from this local mirror instead of downloading "
    "(default: $MOVIA_DATA_MIRROR).",
)
@click.option(
    "--force", is_flag=True, help="Fetch again even when valid files are present."
)
@click.option(
    "--list", "list_only", is_flag=True, help="List the registered sources and exit."
)
@click.option("-v", "--verbose", is_flag=True)
@known_errors
def fetch_data(
    datasets: tuple[str, ...],
    fetch_every: bool,
    raw_dir: Path,
    mirror: Path | None,
    force: bool,
    list_only: bool,
    verbose: bool,
) -> None:
    """Download (or copy from a mirror) the data sources into data/01_raw, verified by sha256."""
    from movia.datasets.fetch import fetch_all, mirror_from_env
    from movia.datasets.sources import DEFAULT_SOURCES, SOURCES

    _configure_logging(verbose)
    if list_only:
        for source in SOURCES.values():
            how = "download" if source.downloads else "manual/mirror"
            tags = ",".join(source.tags) or "-"
            click.echo(
                f"{source.name:16} {source.approx_size:>7}  {how:13} {tags:16} {source.title}"
            )
        return
    names = list(SOURCES) if fetch_every else (list(datasets) or list(DEFAULT_SOURCES))
    optional = [n for n in names if n in SOURCES and "optional" in SOURCES[n].tags]
    mirror = mirror.resolve() if mirror else mirror_from_env()
    if mirror:
        logger.info("using data mirror %s", mirror)
    results = fetch_all(
        names, raw_dir, mirror=mirror, force=force, skip_unavailable=optional
    )
    for result in results:
        click.echo(f"{result.name:16} {result.status:11} {result.path}")


def _serving_settings(
    model: Path | None,
    scratch: Path,
    events: Path | None,
    endpoint_name: str | None,
    variant: str | None,
) -> Any:
    """Settings for a local server, from options first, then ``MOVIA_*`` variables."""
    import os

    from movia.serving.model_files import DEFAULT_ARCHIVE, resolve_model_dir
    from movia.serving.settings import (
        DEFAULT_ENDPOINT_NAME,
        ENV_ENDPOINT_NAME,
        ENV_EVENT_STORE,
        ENV_MODEL_DIR,
        ENV_VARIANT,
        ServingSettings,
    )

    source = model or Path(os.environ.get(ENV_MODEL_DIR) or DEFAULT_ARCHIVE)
    event_store = events or Path(
        os.environ.get(ENV_EVENT_STORE) or "data/07_model_output/serving_events.sqlite"
    )
    return ServingSettings(
        model_dir=resolve_model_dir(source, scratch).resolve(),
        event_store=event_store.resolve(),
        endpoint_name=endpoint_name
        or os.environ.get(ENV_ENDPOINT_NAME)
        or DEFAULT_ENDPOINT_NAME,
        variant=variant or os.environ.get(ENV_VARIANT) or "A",
    )


def _serve_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``serve`` and ``deploy --target local``."""
    options = [
        click.option(
            "--model",
            type=click.Path(path_type=Path, exists=True),
            default=None,
            help="model.tar.gz, its versioned folder, or an unpacked model directory "
            "(default: $MOVIA_MODEL_DIR, else the newest data/06_models/model.tar.gz).",
        ),
        click.option("--host", default="127.0.0.1", show_default=True),
        click.option("--port", type=int, default=8080, show_default=True),
        click.option("--workers", type=int, default=1, show_default=True),
        click.option(
            "--events",
            type=click.Path(path_type=Path),
            default=None,
            help="SQLite event store for impressions and feedback (default: "
            "$MOVIA_EVENT_STORE, else data/07_model_output/serving_events.sqlite).",
        ),
        click.option(
            "--endpoint-name",
            default=None,
            help="Name /endpoints/{name}/invocations answers to.",
        ),
        click.option("--variant", default=None, help="A/B arm recorded with events."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run_local(
    model: Path | None,
    host: str,
    port: int,
    workers: int,
    events: Path | None,
    endpoint_name: str | None,
    variant: str | None,
    open_browser: bool,
) -> None:
    import tempfile

    from movia.serving.server import run_server

    with tempfile.TemporaryDirectory(prefix="movia-model-") as scratch:
        settings = _serving_settings(
            model, Path(scratch), events, endpoint_name, variant
        )
        click.echo(
            f"serving model {settings.model_dir} on http://{host}:{port}/ "
            f"(SageMaker runtime: AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=http://{host}:{port}, "
            f"endpoint {settings.endpoint_name})",
            err=True,
        )
        run_server(settings, host, port, workers, open_browser=open_browser)


@cli.command("serve")
@_serve_options
@click.option("--open", "open_browser", is_flag=True, help="Open the web page.")
@click.option("-v", "--verbose", is_flag=True)
@known_errors
def serve(
    model: Path | None,
    host: str,
    port: int,
    workers: int,
    events: Path | None,
    endpoint_name: str | None,
    variant: str | None,
    open_browser: bool,
    verbose: bool,
) -> None:
    """Serve the web page, the public API and the SageMaker contract with uvicorn."""
    _configure_logging(verbose)
    _run_local(model, host, port, workers, events, endpoint_name, variant, open_browser)


@cli.command("deploy")
@click.option(
    "--target",
    type=click.Choice(["sagemaker", "local"]),
    default="sagemaker",
    show_default=True,
    help="sagemaker: a real-time endpoint on AWS; local: the same contract on this machine.",
)
@_serve_options
@click.option(
    "--env", "conf_env", default=None, help="Kedro environment of the parameters."
)
@click.option("--instance-type", default=None, help="Overrides the parameters.")
@click.option(
    "--instance-count", type=int, default=None, help="Overrides the parameters."
)
@click.option("--role", default=None, help="SageMaker execution role ARN.")
@click.option("--region", default=None, help="AWS region (default: AWS_REGION).")
@click.option("--bucket", default=None, help="S3 bucket (default: SageMaker's).")
@click.option(
    "--no-wait", is_flag=True, help="Return once creation started (no smoke test)."
)
@click.option("-v", "--verbose", is_flag=True)
@known_errors
def deploy(
    target: str,
    model: Path | None,
    host: str,
    port: int,
    workers: int,
    events: Path | None,
    endpoint_name: str | None,
    variant: str | None,
    conf_env: str | None,
    instance_type: str | None,
    instance_count: int | None,
    role: str | None,
    region: str | None,
    bucket: str | None,
    no_wait: bool,
    verbose: bool,
) -> None:
    """Deploy the newest model.tar.gz to SageMaker, or serve it locally (--target local)."""
    import json

    _configure_logging(verbose)
    if target == "local":
        _run_local(model, host, port, workers, events, endpoint_name, variant, False)
        return
    from movia.deploy.config import load_deployment_parameters
    from movia.deploy.sagemaker_deploy import SageMakerSettings
    from movia.deploy.sagemaker_deploy import deploy as deploy_to_sagemaker
    from movia.serving.model_files import DEFAULT_ARCHIVE, latest_version

    parameters = load_deployment_parameters(env=conf_env)["sagemaker"]
    settings = SageMakerSettings.from_parameters(
        parameters,
        endpoint_name=endpoint_name,
        instance_type=instance_type,
        initial_instance_count=instance_count,
        role_arn=role,
        region=region,
        bucket=bucket,
    )
    archive = latest_version(model or DEFAULT_ARCHIVE)
    record = deploy_to_sagemaker(archive, settings, wait=not no_wait)
    click.echo(json.dumps(record, indent=2, default=str))


@cli.command("undeploy")
@click.option("--endpoint-name", default=None, help="Default: from the parameters.")
@click.option(
    "--env", "conf_env", default=None, help="Kedro environment of the parameters."
)
@click.option("--region", default=None, help="AWS region (default: AWS_REGION).")
@click.option(
    "--keep-models",
    is_flag=True,
    help="Delete the endpoint and its configuration only.",
)
@click.option("-v", "--verbose", is_flag=True)
@known_errors
def undeploy(
    endpoint_name: str | None,
    conf_env: str | None,
    region: str | None,
    keep_models: bool,
    verbose: bool,
) -> None:
    """Delete the SageMaker endpoint, its configuration and its models."""
    import json

    from movia.deploy.sagemaker_deploy import undeploy as undeploy_endpoint

    _configure_logging(verbose)
    if endpoint_name is None:
        from movia.deploy.config import load_deployment_parameters

        endpoint_name = load_deployment_parameters(env=conf_env)["sagemaker"][
            "endpoint_name"
        ]
    deleted = undeploy_endpoint(
        endpoint_name, region=region, delete_models=not keep_models
    )
    click.echo(json.dumps(deleted, indent=2))


def main() -> None:
    """Console entry point of ``movia``."""
    cli()


def __getattr__(name: str) -> Any:
    """Kedro's ``find_run_command`` asks this module for ``run``: give it Kedro's own."""
    if name == "run":
        from kedro.framework.cli.project import run

        return run
    raise AttributeError(f"module 'movia.cli' has no attribute {name!r}")
