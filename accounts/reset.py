"""Self-service password reset: which way a person is reached, what they may type, and when
a reset code still works. Pure Python.

A person asks at the login page with what they know of their account: employee number,
username, e-mail address or mobile number. The answer is the same page whoever asked, and
whatever happens next happens off the request (a task), so neither the page nor its timing
tells whether an account matched.

Someone with an e-mail address gets Django's reset link (a signed token that stops working
once the password changes). Someone without gets a reset code through the first reminder
channel that reaches them (WeCom, DingTalk, SMS: `accounts.delivery`). The code is an
activation code (`accounts.activation`: 8 characters from 32, 2 ** 40 codes), stored as a
keyed digest of its own purpose, so it never matches an activation code. It works once,
for `DEFAULT_CODE_MINUTES`, only while it is the person's latest (asking again voids it),
and for `DEFAULT_WRONG_TRIES` wrong codes typed against it at most: a guesser has a chance
of 5 in 2 ** 40 per code, and each new code costs one request of the few allowed per
account and hour.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from staff.contact import normalize_mobile

DEFAULT_CODE_MINUTES = 30
DEFAULT_WRONG_TRIES = 5
MAX_IDENTIFIER = 254  # the longest e-mail address; anything longer is not an account's
DIGEST_PURPOSE = "reset"  # `activation.code_digest` of a reset code, apart from activations'


def by_email(email: str) -> bool:
    """The reset link goes by e-mail to whoever has an address; everybody else gets a code."""
    return bool(email.strip())


def cleaned_identifier(typed: str) -> str:
    """What a person typed, as looked up: full-width characters (a Chinese keyboard's ＠ and
    digits) made plain, surrounding spaces dropped, cut at `MAX_IDENTIFIER`."""
    return unicodedata.normalize("NFKC", typed).strip()[:MAX_IDENTIFIER]


def identifier_key(typed: str) -> str:
    """The account a request is about, for counting requests per account: the same for
    every way of writing one e-mail address (case) or mobile number (spaces, +86). Defined
    for any text, so an unknown name is counted exactly like a known one."""
    cleaned = cleaned_identifier(typed)
    return normalize_mobile(cleaned) or cleaned.casefold()


def code_expiry(issued_at: datetime, minutes: int = DEFAULT_CODE_MINUTES) -> datetime:
    return issued_at + timedelta(minutes=minutes)
