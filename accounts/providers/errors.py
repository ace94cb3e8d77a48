"""How a platform's failure during a login is told apart: the login's code refused (the
person can start again) or the platform unreachable (nobody can, for now)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from allauth.socialaccount.providers.base import ProviderException

from workchat.errors import WorkChatError

# WeCom: invalid code (40029), code already used (40163).
REJECTED_CODE_ERRCODES = {40029, 40163}


class CodeRejected(ProviderException):
    """The platform did not accept the login code: made up, expired or used already."""


class PlatformUnavailable(ProviderException):
    """The platform could not be reached, or failed, while confirming a login."""


@contextmanager
def platform_call() -> Iterator[None]:
    """Turn a `WorkChatError` into one of the two, which allauth hands to the adapter's
    `on_authentication_error` (a plain OSError would be a server error)."""
    try:
        yield
    except WorkChatError as error:
        if error.errcode in REJECTED_CODE_ERRCODES:
            raise CodeRejected(str(error)) from error
        raise PlatformUnavailable(str(error)) from error
