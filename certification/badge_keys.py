"""Where the badge signing keys come from: `KEFU_BADGE_KEYS` (a JSON list of private
Ed25519 JWKs, the current one first), else the key file `KEFU_BADGE_KEY_FILE` (JSON
`{"keys": [...]}`, outside git), which development creates with one key on first use and
`manage.py badge_key --rotate` extends. Key material is never logged or shown: errors and
messages name a key by its `kid` only."""

from __future__ import annotations

import json
import os
import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from joserfc.jwk import KeySet

from . import badges


def _key_file() -> Path:
    return Path(settings.KEFU_BADGE_KEY_FILE)


def configured_in_environment() -> bool:
    return bool(settings.KEFU_BADGE_KEYS)


def new_kid(today: date | None = None) -> str:
    """A key's name: the day it was made and a random part."""
    return f"{(today or date.today()).isoformat()}-{secrets.token_hex(4)}"


def _read_file() -> list[dict]:
    path = _key_file()
    if not path.exists():
        return []
    try:
        return json.loads(path.read_text("utf-8"))["keys"]
    except (ValueError, KeyError, TypeError):
        raise badges.BadgeKeyError(f"The badge key file {path} cannot be read.") from None


def _write_file(private_jwks: list[dict]) -> None:
    """Written readable by its owner only, in one step (a partial file loses no key)."""
    path = _key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump({"keys": private_jwks}, stream)
    temporary.replace(path)


def _private_jwks() -> list[dict]:
    if configured_in_environment():
        try:
            keys = json.loads(settings.KEFU_BADGE_KEYS)
        except ValueError:
            raise badges.BadgeKeyError("KEFU_BADGE_KEYS is not a JSON list of JWKs.") from None
        return keys if isinstance(keys, list) else [keys]
    keys = _read_file()
    if not keys:
        if not settings.KEFU_BADGE_KEY_AUTOCREATE:
            raise badges.BadgeKeyError(
                "No badge signing key: set KEFU_BADGE_KEYS or run manage.py badge_key --rotate."
            )
        _create_first_key()
        keys = _read_file()
    return keys


def _create_first_key() -> None:
    """The first key, unless another process made it meanwhile (O_EXCL): two workers
    starting together must not each sign with a key the other overwrites."""
    path = _key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump({"keys": [badges.new_private_jwk(new_kid())]}, stream)


def signing_keys() -> KeySet:
    """Every configured key, the current one (which signs) first."""
    return badges.load_keys(_private_jwks())


def rotate() -> str:
    """Make a new current key in the key file; the old ones stay (retired: they verify what
    they signed). Returns the new key's `kid`."""
    if configured_in_environment():
        raise badges.BadgeKeyError(
            "The badge keys come from KEFU_BADGE_KEYS: put a new key first in that list."
        )
    keys = _read_file()
    kid = new_kid()
    _write_file([badges.new_private_jwk(kid), *keys])
    return kid
