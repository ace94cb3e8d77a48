"""Composing and sending the daily reminders (run by `tasks.daily_reminders`): to learners
whose assigned programs are overdue or due soon, and to each supervisor a digest of their
sites and teams.

Who is reminded of what is read by `reminder_selectors`. Here each reminder is composed once,
whatever it travels by (a `Message`: recipient, subject, template name and context, in the
site language), and handed to a `Channel`. E-mail (`EmailChannel`) is the one channel today;
a WeCom, DingTalk or SMS channel is another class with the same members beside it, which
renders the same template name in its own form and says whom it can reach.

Each message is recorded in `ReminderLog` and sent in one transaction, so a second run on the
same day, or a retried task, sends nothing twice; a failed send is rolled back, and a later
run tries again.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff.models import StaffProfile

from .models import ReminderLog
from .reminder_selectors import (
    DIGEST,
    LEARNER,
    DigestProgram,
    LearnerReminder,
    digest_for,
    learners_to_remind,
    supervisors_to_digest,
)
from .selectors import programs_for_dashboard, reminder_settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One reminder to one person, before a channel gives it its form."""

    user: Any
    kind: str  # reminder_selectors.LEARNER or DIGEST (ReminderLog.kind)
    subject: str
    template: str  # "learner_reminder" or "supervisor_digest"
    context: dict


class Channel(Protocol):
    """Where reminders go. One channel serves one run: `with channel:` opens its connection
    once for all of the run's messages."""

    reachable: Q  # a filter over users: who has an address on this channel

    def __enter__(self) -> Channel: ...

    def __exit__(self, *exc_info) -> None: ...

    def send(self, message: Message) -> None:
        """Deliver `message`; raise OSError when it could not be delivered."""


class EmailChannel:
    """E-mail to the user's address, plain text and HTML from
    `supervision/email/<template>.txt` and `.html`, through settings.EMAIL_BACKEND."""

    reachable = ~Q(email="")

    def __init__(self):
        self._open = ExitStack()
        self._connection = None

    def __enter__(self) -> EmailChannel:
        self._connection = self._open.enter_context(mail.get_connection())
        return self

    def __exit__(self, *exc_info) -> None:
        self._connection = None
        self._open.close()

    def send(self, message: Message) -> None:
        text = render_to_string(f"supervision/email/{message.template}.txt", message.context)
        html = render_to_string(f"supervision/email/{message.template}.html", message.context)
        email = mail.EmailMultiAlternatives(
            message.subject, text, to=[message.user.email], connection=self._connection
        )
        email.attach_alternative(html, "text/html")
        email.send()


# --- composing -----------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _person_name(user, profile: StaffProfile | None) -> str:
    if profile is not None:
        return profile.name
    return user.get_full_name() or user.get_username()


def learner_reminder_message(
    learner: LearnerReminder, *, today: date, due_soon_days: int
) -> Message:
    """The reminder of their overdue and soon-due programs (in the active language)."""
    count = len(learner.entries)
    return Message(
        user=learner.user,
        kind=LEARNER,
        template="learner_reminder",
        subject=ngettext(
            "Kefu Academy: %(count)d assigned program needs your attention",
            "Kefu Academy: %(count)d assigned programs need your attention",
            count,
        )
        % {"count": count},
        context={
            "name": _person_name(learner.user, learner.profile),
            "entries": learner.entries,
            "today": today,
            "due_soon_days": due_soon_days,
            "home_url": _absolute(reverse("learner_home")),
            "certificates_url": _absolute(reverse("my_certificates")),
        },
    )


def supervisor_digest_message(supervisor, digest: list[DigestProgram], *, today: date) -> Message:
    """A supervisor's digest of the programs that need attention (in the active language)."""
    return Message(
        user=supervisor,
        kind=DIGEST,
        template="supervisor_digest",
        subject=_("Kefu Academy: certification digest for %(date)s") % {"date": today.isoformat()},
        context={
            "name": _person_name(supervisor, getattr(supervisor, "staff_profile", None)),
            "programs": digest,
            "today": today,
            "dashboard_url": _absolute(reverse("dashboard")),
        },
    )


# --- sending -------------------------------------------------------------------------------


def _send_once(channel: Channel, message: Message, today: date) -> bool:
    """Record the reminder, then send it, in one transaction: if sending fails the record
    is rolled back and a later run tries again; if it is already recorded, nothing is sent."""
    try:
        with transaction.atomic():
            _log, created = ReminderLog.objects.get_or_create(
                user=message.user, kind=message.kind, sent_on=today
            )
            if not created:
                return False
            channel.send(message)
    except OSError:  # smtplib.SMTPException and connection errors
        logger.exception("Could not send the %s reminder to user %s", message.kind, message.user.pk)
        return False
    return True


def learner_reminders_send(*, today: date, channel: Channel | None = None) -> int:
    """Remind everyone `reminder_selectors.learners_to_remind` finds (e-mail unless another
    channel is given), once a day. Returns how many people were reminded. A constant number
    of queries plus one write per message."""
    config = reminder_settings()
    if not config["enabled"]:
        return 0
    channel = channel if channel is not None else EmailChannel()
    due_soon_days = int(config["due_soon_days"])
    learners = learners_to_remind(today, due_soon_days=due_soon_days, reachable=channel.reachable)
    if not learners:
        return 0
    sent = 0
    with channel, translation.override(settings.LANGUAGE_CODE):
        for learner in learners:
            message = learner_reminder_message(learner, today=today, due_soon_days=due_soon_days)
            sent += _send_once(channel, message, today)
    return sent


def supervisor_digests_send(*, today: date, channel: Channel | None = None) -> int:
    """Send every supervisor one digest a day of what is overdue, expiring within 30 days
    and expired in their sites and teams (e-mail unless another channel is given); nobody
    gets an empty digest. Returns how many digests were sent."""
    config = reminder_settings()
    if not (config["enabled"] and config["supervisor_digest"]):
        return 0
    programs = programs_for_dashboard()
    if not programs:
        return 0
    channel = channel if channel is not None else EmailChannel()
    sent = 0
    with channel, translation.override(settings.LANGUAGE_CODE):
        for supervisor in supervisors_to_digest(today, reachable=channel.reachable):
            digest = digest_for(supervisor, programs, today)
            if digest:
                message = supervisor_digest_message(supervisor, digest, today=today)
                sent += _send_once(channel, message, today)
    return sent
