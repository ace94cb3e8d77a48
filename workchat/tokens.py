"""Access tokens kept in the shared cache until shortly before they expire: the platforms
limit how often a token may be fetched (WeCom and DingTalk both ask callers to cache the
7,200-second token rather than fetch one per call), and every worker shares one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from .errors import WorkChatError
from .http import call

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


# The token was revoked or lapsed before our cached copy did (both platforms use these).
STALE_TOKEN_ERRCODES = {40014, 42001}


class TokenClient:
    """A platform API whose calls carry an application access token as `access_token`: the
    token fetched from `auth_path` with the application's credentials, cached, and fetched
    again once when the platform calls it stale."""

    platform: str
    auth_path: str

    def __init__(self, base: str, credentials: dict[str, str]):
        self.base = base
        self._credentials = credentials
        self._token_key = cache_key(self.platform, base, *credentials.values())

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + path

    def access_token(self) -> str:
        def fetch() -> tuple[str, int]:
            answer = call("GET", self.url(self.auth_path), params=self._credentials)
            return answer["access_token"], int(answer.get("expires_in", 7200))

        return cached_token(self._token_key, fetch)

    def call_with_token(self, method: str, path: str, *, params=None, json=None) -> dict:
        for attempt in (1, 2):
            try:
                return call(
                    method,
                    self.url(path),
                    params={**(params or {}), "access_token": self.access_token()},
                    json=json,
                )
            except WorkChatError as error:
                if error.errcode in STALE_TOKEN_ERRCODES and attempt == 1:
                    forget(self._token_key)
                    continue
                raise
        raise AssertionError("unreachable")
