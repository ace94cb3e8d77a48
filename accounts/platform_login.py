"""Who a WeCom / DingTalk login is: the active member of staff whose roster entry carries the
user id the platform vouched for (`platforms.ROSTER_FIELD`). Anyone else is refused, in words
that say what to do; nothing is created — no user, no link between the platform's account and
ours (the roster is the one place that says who is who, so a corrected id takes effect at the
next login)."""

from __future__ import annotations

from academy.errors import Kind, Refused
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staff.models import StaffProfile

from .platforms import ROSTER_FIELD, Platform

PLATFORM_NAMES = {
    Platform.WECOM: gettext_lazy("WeCom"),
    Platform.DINGTALK: gettext_lazy("DingTalk"),
}


class LoginRefused(Refused):
    """A platform login refused; `reason` names the case for the log."""

    def __init__(self, message: str, kind: Kind, *, reason: str):
        super().__init__(message, kind)
        self.reason = reason


def platform_login_user(*, platform: Platform, userid: str | None):
    """The user to sign in for `userid`, the id `platform` gave for the person who logged in
    there (None: the person is not a member of the company on that platform)."""
    names = {"platform": PLATFORM_NAMES[platform], "userid": userid}
    if not userid:
        raise LoginRefused(
            _(
                "This %(platform)s account is not a member of your company on %(platform)s. "
                "Log in with your company's %(platform)s, or with your username and password."
            )
            % names,
            Kind.NOT_ALLOWED,
            reason="not a member",
        )
    person = (
        StaffProfile.objects.select_related("user")
        .filter(**{ROSTER_FIELD[platform]: userid})
        .first()
    )
    if person is None:
        raise LoginRefused(
            _(
                "Your %(platform)s account (user ID “%(userid)s”) is not on the staff roster. "
                "Ask your supervisor to enter this %(platform)s user ID in your roster entry, "
                "then try again; until then, log in with your username and password."
            )
            % names,
            Kind.NOT_ALLOWED,
            reason="not on the roster",
        )
    if not (person.active and person.user.is_active):
        raise LoginRefused(
            _(
                "Your account is switched off, so you cannot log in. If you still work here, "
                "ask your supervisor to switch it on again."
            ),
            Kind.NOT_ALLOWED,
            reason="inactive",
        )
    return person.user
