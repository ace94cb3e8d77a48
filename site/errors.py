"""The one exception services raise to refuse a request: a message for the user and what
kind of refusal it is, in the domain's words (no HTTP here: `academy.http.status_for` is the
one mapping from kind to status code); and the checks of free text that every service
shares, so that each limit is refused with the same words wherever it is typed."""

from __future__ import annotations

from enum import Enum

from django.utils.translation import gettext as _

from . import limits


class Kind(Enum):
    """Why a service refuses."""

    INVALID = "invalid"  # what was asked is malformed or breaks a limit
    NOT_ALLOWED = "not_allowed"  # the user's role never allows it
    # No such thing, or not one the user may act on: the two read alike, so a refusal never
    # reveals what exists outside the user's scope.
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"  # the thing's current state refuses it (already done, time is up)


class Refused(Exception):
    def __init__(self, message: str, kind: Kind = Kind.INVALID):
        super().__init__(message)
        self.message = message
        self.kind = kind


def refuse_if_too_long(text: str, *, limit: int, what: str, error: type[Refused] = Refused) -> str:
    """`text` if it has at most `limit` characters; else refused (invalid) saying the limit
    (`what` names the field, e.g. _("The note"))."""
    if len(text) > limit:
        raise error(
            _("%(what)s is too long: at most %(limit)d characters, this one has %(length)d.")
            % {"what": what, "limit": limit, "length": len(text)},
            Kind.INVALID,
        )
    return text


def cleaned_reason(reason: str | None, *, missing: str, error: type[Refused] = Refused) -> str:
    """A reason for a change that goes into a record's history: required (`missing` is the
    message when empty), on one line, at most limits.REASON characters."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise error(missing, Kind.INVALID)
    return refuse_if_too_long(reason, limit=limits.REASON, what=_("The reason"), error=error)
