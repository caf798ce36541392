"""Run the serving app with uvicorn (``movia serve`` and ``movia deploy --target local``).

Settings travel to uvicorn workers as ``MOVIA_*`` variables (a worker is a fresh process that
calls :func:`movia.serving.app.app_from_environment`), so one code path serves one worker or
many.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.error
import urllib.request
import webbrowser

from movia.serving.settings import ServingSettings

logger = logging.getLogger(__name__)
APP_FACTORY = "movia.serving.app:app_from_environment"


def _open_when_ready(url: str, timeout: float = 60.0) -> None:
    """Open the page once ``/api/health`` answers (the model may take seconds to load)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}api/health", timeout=1):
                webbrowser.open(url)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    logger.warning(
        "the server did not answer within %.0f s; not opening %s", timeout, url
    )


def run_server(
    settings: ServingSettings,
    host: str = "127.0.0.1",
    port: int = 8080,
    workers: int = 1,
    open_browser: bool = False,
    access_log: bool = False,
) -> None:
    """Serve until interrupted.

    Args:
        settings: What to serve; exported to the environment for the workers.
        host: Interface; ``127.0.0.1`` keeps it on this machine.
        port: 8080 is the SageMaker container's port.
        workers: uvicorn worker processes (one per core is the usual choice).
        open_browser: Open the web page once the model is loaded.
        access_log: One log line per request (off: it costs throughput).
    """
    import uvicorn

    os.environ.update(settings.to_environment())
    url = f"http://{host}:{port}/"
    logger.info("serving %s on %s (%d worker(s))", settings.model_dir, url, workers)
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(url,), daemon=True).start()
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info",
    )
