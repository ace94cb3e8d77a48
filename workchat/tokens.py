"""Access tokens kept in the shared cache until shortly before they expire: the platforms
limit how often a token may be fetched (WeCom and DingTalk both ask callers to cache the
7,200-second token rather than fetch one per call), and every worker shares one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

# Fetch a new token this long before the old one expires, so none is used as it lapses.
MARGIN_SECONDS = 300


def cache_key(platform: str, *parts: str) -> str:
    # The credentials name the token (a changed secret must not reuse the old token), hashed
    # so that no secret is written to the cache's keys.
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
    return f"workchat:{platform}:token:{digest}"


def cached_token(key: str, fetch: Callable[[], tuple[str, int]]) -> str:
    token = cache.get(key)
    if token is None:
        token, expires_in = fetch()
        cache.set(key, token, max(1, expires_in - MARGIN_SECONDS))
    return token


def forget(key: str) -> None:
    cache.delete(key)
