"""API tokens: how they are made and how they are stored. Pure Python.

A token is 43 letters and digits (256 random bits): no `-` or `_`, so that it is selected
whole by a double click, and its prefix is never mistaken for an option on a command line.
Only its SHA-256 hash is stored, with its first characters as a prefix to find the row and to
show which token is which; the token itself is shown once, when it is made. A plain hash
(no salt, no slow hashing) is enough because the token is random and long: there is nothing
to guess from a dictionary.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

PREFIX_LENGTH = 8
TOKEN_LENGTH = 43  # 62 ** 43 > 2 ** 256
ALPHABET = string.ascii_letters + string.digits
MAX_TOKEN_LENGTH = 128  # anything longer is not one of ours: refused before any lookup


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))


def token_prefix(token: str) -> str:
    return token[:PREFIX_LENGTH]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hashes_match(stored_hash: str, token: str) -> bool:
    """Constant-time comparison, so timing does not tell how much of a hash matched."""
    return hmac.compare_digest(stored_hash.encode(), token_hash(token).encode())


def looks_like_token(token: str) -> bool:
    return PREFIX_LENGTH <= len(token) <= MAX_TOKEN_LENGTH and token.isascii()
