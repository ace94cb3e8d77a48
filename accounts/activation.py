"""Activation codes: how they look, how they are stored, when one still works. Pure Python.

Each activation carries two secrets: a token for the QR code's link (`/activate/<token>/`,
128 random bits: unguessable, and short enough to keep the QR code small on a printed slip
and quick to draw; 256 bits needed a larger QR version and 2.7× the time, see
bench/activation.py) and a short code typed by hand with the employee number. The code is 8
characters from 32 (no 0 / O / 1 / I, which read alike on paper): 32 ** 8 = 2 ** 40 codes.
At the activation pages' rate limit (10 tries per client and minute) one client trying
for a code's whole 14 days has about 200,000 tries: a chance of 2 in 10 million.

Neither secret is stored. What is stored is an HMAC-SHA256 keyed with the server's secret
key: a plain hash of a 40-bit code would be reversed from a leaked database in minutes, a
keyed one is not without the key. The code's digest also covers the person's user id, so
equal codes of two people do not share a digest.

A code works once, until it expires, and only while it is the person's latest: issuing a
new one voids the old.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from enum import Enum

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 characters: no 0, O, 1 or I
CODE_LENGTH = 8
DEFAULT_VALID_DAYS = 14
MAX_TYPED_CODE = 32  # anything longer is not a code: refused before any lookup


class State(Enum):
    USABLE = "usable"
    USED = "used"
    VOIDED = "voided"  # a newer code was issued
    EXHAUSTED = "exhausted"  # too many wrong codes were typed against it (reset codes)
    EXPIRED = "expired"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(16)


def display_code(code: str) -> str:
    """As printed: two groups of four, easier to copy ("ABCD-EFGH")."""
    return f"{code[:4]}-{code[4:]}"


def normalised_code(typed: str) -> str:
    """What a person typed, as the code it stands for: case, spaces and dashes do not matter.
    Not a valid code (wrong length or letters) gives ""."""
    code = "".join(typed[:MAX_TYPED_CODE].split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return ""
    return code


def _digest(secret: str, purpose: str, value: str) -> str:
    return hmac.new(
        secret.encode(), f"kefu.activation.{purpose}:{value}".encode(), hashlib.sha256
    ).hexdigest()


def token_digest(token: str, *, secret: str) -> str:
    return _digest(secret, "token", token)


def code_digest(code: str, *, user_id: int, secret: str, purpose: str = "code") -> str:
    """`purpose` keeps codes of different kinds apart: a reset code ("reset") never matches
    an activation code's digest, even when the characters are equal."""
    return _digest(secret, purpose, f"{user_id}:{code}")


def digests_match(stored: str, computed: str) -> bool:
    """Constant-time, so timing does not tell how much of a digest matched."""
    return hmac.compare_digest(stored.encode(), computed.encode())


def expiry(issued_at: datetime, valid_days: int = DEFAULT_VALID_DAYS) -> datetime:
    return issued_at + timedelta(days=valid_days)


def state(
    *,
    expires_at: datetime,
    used_at: datetime | None,
    voided_at: datetime | None,
    now: datetime,
    wrong_tries: int = 0,
    max_wrong_tries: int | None = None,
) -> State:
    """Used wins over voided and expired (it is what happened first that matters to the
    person: they already activated); a voided code reads as voided even before it expires.
    A code with a limit of wrong tries (reset codes) is exhausted once it reaches it, even
    when the right code comes next."""
    if used_at is not None:
        return State.USED
    if voided_at is not None:
        return State.VOIDED
    if max_wrong_tries is not None and wrong_tries >= max_wrong_tries:
        return State.EXHAUSTED
    if now >= expires_at:
        return State.EXPIRED
    return State.USABLE
