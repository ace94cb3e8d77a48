"""What the service worker (`/sw.js`) keeps for use without a signal, and how it answers.

Pure: no database, no request. The worker's script (`courses/service_worker.js`) applies the
table `worker_config` gives it and decides nothing of its own; `rule_for` is the same rule
in Python, for the tests and for anyone asking "is this page kept offline?".

The rule, for a request to our own origin:
- anything but GET is never touched (a POST goes to the network, never into a cache);
- `BYPASS` paths are never cached and never answered by the worker: the Wagtail admin, the
  API, the login, logout and password-reset pages (`/accounts/`), activation, media and
  document downloads, the language switch, `/health/`, the worker itself;
- a page (a navigation):
  - `/emergency/` (the emergency cards): network first, the copy kept in the shell cache
    (precached when the worker installs) and refreshed each time it is opened online;
  - a course page (`/courses/…`: lessons and their modules): network first, the last
    `KEPT_COURSE_PAGES` opened are kept, the one opened longest ago evicted first;
  - `/practice/…`: network first, the last `KEPT_PRACTICE_PAGES` kept the same way;
  - any other page: the network only;
  - offline, a page without a kept copy gets the offline page (`/offline/`);
- any other GET (CSS, JS, icons): from the shell cache when precached, else the network,
  never stored;
- only a plain `200` HTML answer is stored: never a redirect (such as to the login page).

Kept pages are personal: logging out clears them (`Clear-Site-Data`, `academy.views`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

KEPT_COURSE_PAGES = 10
KEPT_PRACTICE_PAGES = 10
# Network first, but a page with a kept copy does not wait longer than this for a weak
# signal: the copy is shown and the answer, when it comes, replaces it for next time.
NETWORK_TIMEOUT_MS = 4000

BYPASS = (
    "/admin/",
    "/api/",
    "/accounts/",
    "/activate/",
    "/documents/",
    "/i18n/",
    "/health/",
    "/sw.js",
)

# What a page is, for the worker: how it is fetched and where its copy lives.
BYPASSED = "bypass"  # not the worker's business
EMERGENCY = "emergency"  # network first, copy in the shell cache
NETWORK_ONLY = "network"  # network, else the offline page
STATIC = "static"  # a non-page GET: shell cache if precached, else network


@dataclass(frozen=True)
class KeptPages:
    """Pages under `prefix` are fetched network first and the last `limit` kept."""

    name: str
    prefix: str
    limit: int


def kept_pages(course_prefix: str = "/courses/") -> tuple[KeptPages, ...]:
    return (
        KeptPages("courses", course_prefix, KEPT_COURSE_PAGES),
        KeptPages("practice", "/practice/", KEPT_PRACTICE_PAGES),
    )


def bypassed_prefixes(media_url: str = "/media/") -> tuple[str, ...]:
    return (*BYPASS, media_url)


def rule_for(
    path: str,
    *,
    method: str = "GET",
    navigation: bool = True,
    emergency_url: str = "/emergency/",
    course_prefix: str = "/courses/",
    media_url: str = "/media/",
) -> str:
    """How the worker answers a request for `path` (no query string): `BYPASSED`,
    `EMERGENCY`, a `KeptPages.name`, `NETWORK_ONLY` or `STATIC`."""
    if method.upper() != "GET":
        return BYPASSED
    if path.startswith(bypassed_prefixes(media_url)):
        return BYPASSED
    if not navigation:
        return STATIC
    if path == emergency_url:
        return EMERGENCY
    for kept in kept_pages(course_prefix):
        if path.startswith(kept.prefix):
            return kept.name
    return NETWORK_ONLY


def precache_urls(
    static_url: Callable[[str], str], static_files: Iterable[str], pages: Iterable[str]
) -> list[str]:
    """The offline shell: the pages and the static files (by their served, possibly hashed,
    URLs: `static_url` is Django's `static()`), each once, in a stable order."""
    urls = [*pages, *(static_url(name) for name in static_files)]
    return sorted(set(urls), key=urls.index)


def cache_version(urls: Iterable[str], content_stamp: str) -> str:
    """Names the shell cache: changes when a precached URL does (a new static file's hash)
    or when the emergency content does, so the browser installs a new worker."""
    digest = hashlib.sha256(json.dumps([list(urls), content_stamp]).encode())
    return digest.hexdigest()[:16]


def worker_config(
    *,
    precache: list[str],
    content_stamp: str,
    emergency_url: str,
    offline_url: str,
    course_prefix: str,
    media_url: str,
) -> dict:
    """What the worker script is given: everything it decides by."""
    return {
        "version": cache_version(precache, content_stamp),
        "precache": precache,
        "emergencyUrl": emergency_url,
        "offlineUrl": offline_url,
        "bypass": list(bypassed_prefixes(media_url)),
        "kept": [
            {"name": kept.name, "prefix": kept.prefix, "limit": kept.limit}
            for kept in kept_pages(course_prefix)
        ],
        "networkTimeoutMs": NETWORK_TIMEOUT_MS,
    }
