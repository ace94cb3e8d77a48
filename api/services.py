"""Writes: making, revoking and using API tokens."""

from __future__ import annotations

from datetime import timedelta

from academy.errors import Kind, Refused, refuse_if_too_long
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tokens
from .models import ApiToken

# Noting every use would write a row on every API call; once a minute says enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token acting as `user`. Returns the row and the token, which is shown once and
    never stored."""
    name = name.strip()
    if not name:
        raise ApiTokenError(_("Name the system that will use the token."))
    refuse_if_too_long(
        name,
        limit=ApiToken._meta.get_field("name").max_length,
        what=_("The name"),
        error=ApiTokenError,
    )
    if not user.is_active:
        raise ApiTokenError(_("The user is inactive: a token acting as them would not work."))
    token = tokens.new_token()
    row = ApiToken.objects.create(
        name=name, user=user, prefix=tokens.token_prefix(token), token_hash=tokens.token_hash(token)
    )
    return row, token


def api_token_revoke(*, prefix: str) -> ApiToken:
    """Revoke the token with this prefix (idempotent: revoking twice keeps the first time)."""
    found = list(ApiToken.objects.filter(prefix=prefix)[:2])
    if not found:
        raise ApiTokenError(
            _("No API token starts with “%(prefix)s”.") % {"prefix": prefix}, Kind.NOT_FOUND
        )
    if len(found) > 1:
        raise ApiTokenError(
            _("More than one API token starts with “%(prefix)s”.") % {"prefix": prefix}
        )
    row = found[0]
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


def api_token_authenticate(token: str) -> ApiToken | None:
    """The live token row for `token`, or None: unknown, revoked, or its user inactive."""
    if not tokens.looks_like_token(token):
        return None
    candidates = ApiToken.objects.select_related("user").filter(
        prefix=tokens.token_prefix(token), revoked_at__isnull=True
    )
    found = None
    for row in candidates:
        if tokens.hashes_match(row.token_hash, token):
            found = row
    if found is None or not found.user.is_active:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found
