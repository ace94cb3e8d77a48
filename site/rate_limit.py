"""Requests counted per client and minute, for pages open to anybody (certificate
verification, activation, password reset), and per anything else a page names (the account a
reset is asked for)."""

import hashlib
import time

from django.core.cache import cache

from .clients import client_address


def over_limit(request, *, scope: str, per_minute: int) -> bool:
    """Count this request and say whether the client went over `per_minute` in `scope`.
    Counted per client address (behind trusted proxies too) and minute in the shared cache:
    `add` then `incr` are atomic in Redis, so every worker and app server counts together."""
    return over_limit_for(client_address(request), scope=scope, limit=per_minute, seconds=60)


def over_limit_for(subject: str, *, scope: str, limit: int, seconds: int) -> bool:
    """Count one more request about `subject` (a client address, an account name as typed)
    in `scope` and say whether it went over `limit` in the current window of `seconds`.
    The subject is hashed into the key, so what people typed is not kept in the cache."""
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    window = int(time.time() // seconds)
    key = f"{scope}-rate:{seconds}:{digest}:{window}"
    cache.add(key, 0, timeout=seconds + 10)
    return cache.incr(key) > limit
