"""Login throttling: too many wrong passwords lock an account, or a client address, for a
while (OWASP ASVS 2.2.1). Built on django-axes, which watches every `authenticate()` — the
staff login page and the Wagtail admin's alike — and records failures in the database.

Two limits, not Axes' one: an account locks after a few failures (guessing one person's
password), a client address only after many more, because a whole service centre signs in
from behind one address at the start of a shift, where a few typos each must not lock everyone
out; the address limit stops one machine guessing many accounts. A lock lasts
LOGIN_THROTTLE["minutes"] from the failure that set it; failures while locked are not counted,
so the time the page gives is the time it ends. A supervisor (their own staff) or a trainer
unlocks sooner (`unlock_account`).
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger("academy.security")

USERNAME, CLIENT = "username", "ip_address"  # Axes' names for the two lockout parameters


def limits() -> dict[str, int]:
    return {
        USERNAME: settings.LOGIN_THROTTLE["per_account"],
        CLIENT: settings.LOGIN_THROTTLE["per_client"],
    }


def cool_off() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_THROTTLE["minutes"])


def cool_off_for(request) -> dt.timedelta:  # AXES_COOLOFF_TIME
    return cool_off()


def account_limit(request, credentials) -> int:  # AXES_FAILURE_LIMIT: the scale of get_failures
    return limits()[USERNAME]


def _recent(attempts):
    return attempts.filter(attempt_time__gte=timezone.now() - cool_off())


def _lock_end(attempts, limit: int) -> dt.datetime | None:
    """When the lock these failures set ends; None when they set none."""
    totals = _recent(attempts).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if (totals["failures"] or 0) < limit:
        return None
    return totals["last"] + cool_off()


def account_locked_until(username: str) -> dt.datetime | None:
    return _lock_end(AccessAttempt.objects.filter(username=username), limits()[USERNAME])


def locked_accounts() -> list[tuple[str, dt.datetime]]:
    """(username, locked until) of every locked account, soonest end first."""
    return _locked_by("username", limits()[USERNAME])


def locked_clients() -> list[tuple[str, dt.datetime]]:
    """(client address, locked until) of every locked address, soonest end first."""
    return _locked_by("ip_address", limits()[CLIENT])


def _locked_by(field: str, limit: int) -> list[tuple[str, dt.datetime]]:
    rows = (
        _recent(AccessAttempt.objects.exclude(**{f"{field}__isnull": True}))
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("last")
    )
    return [(row[field], row["last"] + cool_off()) for row in rows]


def unlock_account(username: str, *, by) -> int:
    """Forget the failed logins of `username` (the account can sign in again at once)."""
    removed, _kinds = AccessAttempt.objects.filter(username=username).delete()
    log.warning("Login unlocked for account %r by %r", username, by.get_username())
    return removed


def unlock_client(address: str, *, by) -> int:
    removed, _kinds = AccessAttempt.objects.filter(ip_address=address).delete()
    log.warning("Login unlocked for client address %s by %r", address, by.get_username())
    return removed


@receiver(user_locked_out)
def log_locked_out(sender, request, username, ip_address, **kwargs):
    # Sent when a lock is set and for every attempt refused while it lasts (which Axes then
    # neither counts nor logs), so the log shows an attack that goes on against a lock.
    log.warning("Login refused, locked: account %r from %s", username, ip_address)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for each lockout parameter."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Axes compares this with AXES_FAILURE_LIMIT (the account limit): report that limit
        # when either parameter is over its own limit, and less otherwise.
        per_parameter = self.get_user_attempts(request, credentials)  # in LOCKOUT_PARAMETERS order
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in per_parameter
        ]
        limit_of = limits()
        if any(
            count >= limit_of[parameter]
            for parameter, count in zip(settings.AXES_LOCKOUT_PARAMETERS, counts, strict=True)
        ):
            return limit_of[USERNAME]
        return min(counts[0], limit_of[USERNAME] - 1)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A successful login clears that account's failures only: signing in to one's own
        # account must not clear what this address did to other accounts.
        username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
        if not username:
            return 0
        removed, _kinds = AccessAttempt.objects.filter(username=username).delete()
        return removed


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The login page again, saying until when sign-in is locked and who can unlock it."""
    from .views import StaffAuthenticationForm

    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    account_end = account_locked_until(username) if username else None
    client_end = _lock_end(
        AccessAttempt.objects.filter(ip_address=getattr(request, "axes_ip_address", None)),
        limits()[CLIENT],
    )
    ends = [end for end in (account_end, client_end) if end is not None]
    until = max(ends) if ends else timezone.now() + cool_off()
    values = {
        "time": timezone.localtime(until).strftime("%H:%M"),
        "minutes": max(1, math.ceil((until - timezone.now()).total_seconds() / 60)),
    }
    if client_end is not None and account_end is None:
        # The address is locked, not the account: a supervisor's unlock of the person would
        # not help, only a trainer's unlock of the address (or waiting).
        message = (
            _(
                "Too many wrong passwords from this network: signing in from here is "
                "locked until %(time)s (about %(minutes)d minutes). Try again then, or ask "
                "a trainer to unlock this network's address."
            )
            % values
        )
    else:
        message = (
            _(
                "Too many wrong passwords: signing in is locked until %(time)s (about "
                "%(minutes)d minutes). Try again then, or ask your supervisor or a trainer "
                "to unlock your account."
            )
            % values
        )
    form = StaffAuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_message": message,
            "username": username,
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
