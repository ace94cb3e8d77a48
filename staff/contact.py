"""How staff are reached outside the platform: a Chinese mobile number and the user ids of
WeCom (企业微信) and DingTalk (钉钉). Pure: no database access."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers: 11 digits starting 13–19. Rosters write them with spaces, dashes
# or a +86 / 0086 country code; they are stored as the 11 digits.
MOBILE = re.compile(r"1[3-9]\d{9}")
SEPARATORS = re.compile(r"[\s\-()（）]")
COUNTRY_CODE = re.compile(r"^(\+86|0086|86)(?=1\d{10}$)")
# WeCom and DingTalk user ids are at most 64 characters in their own APIs.
USERID_MAX = 64
USERID = re.compile(r"[A-Za-z0-9_.@\-]+")


def normalize_mobile(text: str) -> str | None:
    """The 11-digit number, or None if `text` is not a mainland mobile number."""
    digits = COUNTRY_CODE.sub("", SEPARATORS.sub("", text))
    return digits if MOBILE.fullmatch(digits) else None


def validate_mobile(value: str) -> None:
    if value and normalize_mobile(value) != value:
        raise ValidationError(
            _("“%(value)s” is not a mainland mobile number (11 digits starting with 1)."),
            params={"value": value},
            code="invalid_mobile",
        )


def userid_problem(value: str) -> str | None:
    """Why `value` cannot be a WeCom / DingTalk user id, or None if it can."""
    if len(value) > USERID_MAX:
        return str(_("longer than %(count)s characters") % {"count": USERID_MAX})
    if not USERID.fullmatch(value):
        return str(_("only letters, digits and _ . @ - are allowed"))
    return None


def validate_userid(value: str) -> None:
    problem = userid_problem(value) if value else None
    if problem:
        raise ValidationError(problem, code="invalid_userid")
