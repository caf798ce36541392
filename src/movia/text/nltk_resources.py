"""Find NLTK data (punkt_tab, stop words) or say exactly how to get it.

NLTK looks for its data in ``NLTK_DATA`` and a few system folders; CI points ``NLTK_DATA`` at
``../shared/nltk_data``. When a resource is missing we try ``nltk.download`` only if the NLTK
data server answers within a couple of seconds (an offline machine must not hang on a socket),
and otherwise raise :class:`~movia.errors.ResourceMissingError` naming the resource, the folders
searched and the two ways to provide it. Nothing here runs at import time.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlparse

from movia.errors import ConfigError, ResourceMissingError

logger = logging.getLogger(__name__)

#: NLTK names of the languages we process, keyed by ISO code.
NLTK_LANGUAGES = {"en": "english", "es": "spanish"}


@dataclass(frozen=True)
class NltkResource:
    """One piece of NLTK data: where ``nltk.data.find`` looks and which package holds it."""

    path: str
    package: str


def punkt_resource(lang: str) -> NltkResource:
    """The punkt_tab sentence model of ``lang`` (``"en"`` or ``"es"``)."""
    return NltkResource(f"tokenizers/punkt_tab/{nltk_language(lang)}/", "punkt_tab")


STOPWORDS = NltkResource("corpora/stopwords/", "stopwords")


def nltk_language(lang: str) -> str:
    """``"es"`` → ``"spanish"``; anything unsupported is a configuration error."""
    try:
        return NLTK_LANGUAGES[lang]
    except KeyError:
        raise ConfigError("lang", lang, NLTK_LANGUAGES) from None


def _data_server_reachable(timeout: float) -> bool:
    """True if NLTK's download host accepts a TCP connection within ``timeout`` seconds."""
    from nltk.downloader import Downloader

    host = urlparse(Downloader.DEFAULT_URL).hostname or ""
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def _find(path: str) -> str | None:
    """Where NLTK finds ``path`` (a folder or a zip member), or None."""
    import nltk

    try:
        return str(nltk.data.find(path))
    except LookupError:
        return None


@cache
def require_nltk_resource(
    resource: NltkResource, allow_download: bool = True, timeout: float = 3.0
) -> str:
    """Return the resource's location, downloading it first when that is possible.

    Args:
        resource: What to find (see :func:`punkt_resource`, :data:`STOPWORDS`).
        allow_download: Try ``nltk.download`` when the resource is missing and the data server
            answers; set false in tests and air-gapped runs.
        timeout: Seconds to wait for the data server before declaring the machine offline.

    Raises:
        ResourceMissingError: The resource is neither installed nor downloadable; the message
            names it, lists the folders searched and says how to provide it.
    """
    import nltk

    found = _find(resource.path)
    if found is None and allow_download and _data_server_reachable(timeout):
        logger.warning("NLTK resource %r missing: downloading it", resource.package)
        nltk.download(resource.package, quiet=True, raise_on_error=False)
        found = _find(resource.path)
    if found is not None:
        return found
    searched = ", ".join(nltk.data.path)
    raise ResourceMissingError(
        f"NLTK resource {resource.path!r} (package {resource.package!r}) not found; searched:"
        f" {searched}. Set NLTK_DATA to a folder that holds it (CI uses ../shared/nltk_data)"
        f" or, with internet access, run: python -m nltk.downloader {resource.package}"
    )
