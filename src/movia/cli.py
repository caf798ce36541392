"""``movia`` commands that are not pipelines: fetch-data (and, as they land, serve, deploy, bench).

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


def main() -> None:
    """Console entry point of ``movia``."""
    cli()


def __getattr__(name: str) -> Any:
    """Kedro's ``find_run_command`` asks this module for ``run``: give it Kedro's own."""
    if name == "run":
        from kedro.framework.cli.project import run

        return run
    raise AttributeError(f"module 'movia.cli' has no attribute {name!r}")
