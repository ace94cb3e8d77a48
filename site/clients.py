"""Who is asking: the client's address, also behind proxies.

Behind `KEFU_TRUSTED_PROXIES` proxies (nginx, a cloud load balancer) the socket's peer
(`REMOTE_ADDR`) is the nearest proxy, and each proxy appends the address it saw to
X-Forwarded-For. Only the entries our own proxies appended can be trusted: a client may send
any X-Forwarded-For it likes, and the proxies append to it. So the client is the address the
outermost trusted proxy saw — counted from the right of the chain "X-Forwarded-For entries,
then REMOTE_ADDR" — never the leftmost entry. With no trusted proxy the header is ignored.

The rate limit of /verify/ and the login throttle (django-axes, AXES_CLIENT_IP_CALLABLE)
count per this address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

UNKNOWN = "0.0.0.0"  # noqa: S104  (a placeholder address, never bound)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request) -> str:
    """The address of the client that made `request`, as the outermost trusted proxy saw it."""
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN
    trusted = settings.KEFU_TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [entry.strip() for entry in forwarded.split(",") if entry.strip()] + [remote]
    # chain[-1] is the nearest proxy, chain[-1 - trusted] what the outermost one saw. A
    # shorter chain means fewer proxies than configured: take the farthest address there is.
    candidate = chain[max(0, len(chain) - 1 - trusted)]
    return candidate if _valid(candidate) else remote
