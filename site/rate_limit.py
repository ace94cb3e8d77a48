"""Requests counted per client and minute, for pages open to anybody (certificate
verification, activation)."""

from django.core.cache import cache
from django.utils import timezone

from .clients import client_address


def over_limit(request, *, scope: str, per_minute: int) -> bool:
    """Count this request and say whether the client went over `per_minute` in `scope`.
    Counted per client address (behind trusted proxies too) and minute in the shared cache:
    `add` then `incr` are atomic in Redis, so every worker and app server counts together."""
    key = f"{scope}-rate:{client_address(request)}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=70)
    return cache.incr(key) > per_minute
