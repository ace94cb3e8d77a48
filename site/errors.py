"""The one exception services raise to refuse a request: a message for the user and the
HTTP status a view should answer with; and the checks of free text that every service
shares, so that each limit is refused with the same words wherever it is typed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import limits


class Refused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def refuse_if_too_long(text: str, *, limit: int, what: str,
                       error: type[Refused] = Refused) -> str:
    """`text` if it has at most `limit` characters; else refused with 400 saying the limit
    (`what` names the field, e.g. _("The note"))."""
    if len(text) > limit:
        raise error(_("%(what)s is too long: at most %(limit)d characters, this one has "
                      "%(length)d.") % {"what": what, "limit": limit, "length": len(text)}, 400)
    return text


def cleaned_reason(reason: str | None, *, missing: str, error: type[Refused] = Refused) -> str:
    """A reason for a change that goes into a record's history: required (`missing` is the
    message when empty), on one line, at most limits.REASON characters."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise error(missing, 400)
    return refuse_if_too_long(reason, limit=limits.REASON, what=_("The reason"), error=error)
