"""Debian's Chromium driven by Playwright (never ``playwright install``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@contextmanager
def chromium_page(viewport: tuple[int, int] = (1200, 1400)) -> Iterator[object]:
    """A fresh page in a headless Chromium; closed with its browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(
                viewport={"width": viewport[0], "height": viewport[1]}, locale="es-ES"
            )
            yield page
        finally:
            browser.close()
