"""Composing and sending the daily reminders (run by `tasks.daily_reminders`): to learners
whose assigned programs are overdue or due soon, and to each supervisor a digest of their
sites and teams; and composing the message that carries a password-reset code.

Who is reminded of what is read by `reminder_selectors`. Here each reminder is composed once,
whatever it travels by (a `channels.Message`, in the site language), and sent through the
person's channel (`channels`: the first of KEFU_REMINDER_CHANNELS that is configured and
for which they have an address). People needing a reminder whom no channel reaches are
not skipped in silence: their supervisors' digests list them (and so does the dashboard).

At most one reminder of a kind per person and day, and never one sent twice. Each send is
recorded in `ReminderLog` in three steps, each committed on its own:

1. claim: the row is written *pending* (with the channel) before anything is sent;
2. send;
3. the row becomes *sent* with the provider's answer (msgid, task_id, serial number), or
   *failed* with the error.

A rerun the same day, or the task worker's retry of a failed run, sends the *failed* rows
again and leaves *sent* ones alone. A *pending* row means the run stopped, or the answer was
lost (a timeout), after the send may have gone: it is not sent again — except on WeCom,
whose duplicate check drops a repeat of the same card for hours, so there a retry within
`WeComChannel.resend_window` is safe (`ReminderLogQuerySet`). A claim is taken by a
conditional update, so two runs at once do not both send.
"""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff.models import StaffProfile
from staff.selectors import staff_visible_to

from . import reminder_selectors
from .channels import (
    LEARNER_REMINDER,
    RESET_CODE,
    SUPERVISOR_DIGEST,
    BaseChannel,
    Delivery,
    EmailChannel,
    Message,
    carrying,
    channel_for,
    deliver,
    enabled_channels,
    pick,
    reachable_by_any,
    resend_windows,
    unreachable_text,
)
from .channels import BaseChannel as Channel
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
    """The reminder of their overdue and soon-due programs (in the active language); it
    links to the learner's tasks on their home page."""
    count = len(learner.entries)
    home_url = _absolute(reverse("learner_home"))
    return Message(
        user=learner.user,
        kind=LEARNER,
        template=LEARNER_REMINDER,
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
            "home_url": home_url,
            "certificates_url": _absolute(reverse("my_certificates")),
        },
        link=home_url,
    )


@dataclass(frozen=True)
class Unreachable:
    """Some of a supervisor's people who needed a reminder today and have no channel."""

    people: list[StaffProfile]  # the first DIGEST_NAMES
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.people)


def supervisor_digest_message(
    supervisor,
    digest: list[DigestProgram],
    *,
    today: date,
    unreachable: Unreachable | None = None,
) -> Message:
    """A supervisor's digest of the programs that need attention, and of their people who
    could not be reminded (in the active language)."""
    dashboard_url = _absolute(reverse("dashboard"))
    return Message(
        user=supervisor,
        kind=DIGEST,
        template=SUPERVISOR_DIGEST,
        subject=_("Kefu Academy: certification digest for %(date)s") % {"date": today.isoformat()},
        context={
            "name": _person_name(supervisor, getattr(supervisor, "staff_profile", None)),
            "programs": digest,
            "today": today,
            "dashboard_url": dashboard_url,
            "unreachable": unreachable or Unreachable(people=[], total=0),
            "unreachable_heading": unreachable_text(),
            "unreachable_url": _absolute(reverse("unreachable_staff")),
        },
        link=dashboard_url,
    )


def reset_code_message(user, *, code: str, expires_at: datetime, reset_url: str) -> Message:
    """The message carrying a password-reset code (in the active language), for
    `channels.deliver`. `code` is shown as given; `reset_url` is where it is typed."""
    return Message(
        user=user,
        kind=RESET_CODE,
        template=RESET_CODE,
        subject=_("Kefu Academy: your password reset code"),
        context={
            "name": _person_name(user, getattr(user, "staff_profile", None)),
            "code": code,
            "expires_at": timezone.localtime(expires_at),
            "reset_url": reset_url,
        },
        link=reset_url,
    )


# --- sending -------------------------------------------------------------------------------


@dataclass
class SendReport:
    """What a run did, for the task's result and its retry."""

    by_channel: Counter = field(default_factory=Counter)
    failed: int = 0  # sends that raised
    to_retry: int = 0  # of those, the ones a retry will send again
    unreachable: int = 0  # learners who needed a reminder and have no channel


class _Sender:
    """Sends one run's messages, each through the first of `channels` that reaches its
    person, opening each channel once, when first needed."""

    def __init__(self, channels: list[BaseChannel], today: date, report: SendReport):
        self.channels = channels
        self.today = today
        self.report = report
        self._open = ExitStack()
        self._opened: set[str] = set()

    def __enter__(self) -> _Sender:
        return self

    def __exit__(self, *exc_info) -> None:
        self._open.close()

    def send(self, message: Message) -> bool:
        channel = pick(message.user, self.channels)
        if channel is None:
            return False
        rendered = channel.render(message)  # a template error stops before anything is claimed
        log = self._claim(message, channel)
        if log is None:
            return False
        if channel.name not in self._opened:
            self._open.enter_context(channel)
            self._opened.add(channel.name)
        try:
            answer = channel.transmit(channel.address(message.user), rendered)
        except OSError as error:  # smtplib's errors, WorkChatError, connection errors
            self._record_failure(log, channel, message, error)
            return False
        ReminderLog.objects.filter(pk=log.pk).update(
            state=ReminderLog.State.SENT, answer=answer, updated_at=timezone.now()
        )
        self.report.by_channel[channel.name] += 1
        return True

    def _claim(self, message: Message, channel: BaseChannel) -> ReminderLog | None:
        """The row of this message, pending, if this run is to send it; None if it is sent
        already or may have been (see the module's docstring)."""
        log, created = ReminderLog.objects.get_or_create(
            user=message.user,
            kind=message.kind,
            sent_on=self.today,
            defaults={"channel": channel.name, "state": ReminderLog.State.PENDING},
        )
        if created:
            return log
        resendable = ReminderLog.objects.filter(pk=log.pk).to_resend(
            now=timezone.now(), resend_windows=resend_windows([channel])
        )
        if log.state == ReminderLog.State.PENDING:
            resendable = resendable.filter(channel=channel.name)
        # Only one run wins the row: the update matches the attempt it read.
        taken = resendable.filter(attempts=log.attempts).update(
            state=ReminderLog.State.PENDING,
            channel=channel.name,
            attempts=F("attempts") + 1,
            updated_at=timezone.now(),
        )
        return log if taken else None

    def _record_failure(self, log, channel, message, error: OSError) -> None:
        maybe_delivered = bool(getattr(error, "maybe_delivered", False))
        answer = {"error": str(error)[:500], "maybe_delivered": maybe_delivered}
        for key in ("errcode", "answer"):
            if getattr(error, key, None):
                answer[key] = getattr(error, key)
        # An error that leaves the outcome unknown keeps the row pending: not sent again
        # unless the channel makes that safe.
        state = ReminderLog.State.PENDING if maybe_delivered else ReminderLog.State.FAILED
        ReminderLog.objects.filter(pk=log.pk).update(
            state=state, answer=answer, updated_at=timezone.now()
        )
        self.report.failed += 1
        if state == ReminderLog.State.FAILED or channel.resend_window is not None:
            self.report.to_retry += 1
        logger.warning(
            "Could not send the %s reminder to user %s by %s (%s): %s",
            message.kind,
            message.user.pk,
            channel.name,
            "may have been delivered: not sent again"
            if state == ReminderLog.State.PENDING and channel.resend_window is None
            else "sent again on retry",
            error,
        )


def _channels(template: str, channel: BaseChannel | None) -> list[BaseChannel]:
    return carrying([channel] if channel is not None else enabled_channels(), template)


def learner_reminders_send(
    *, today: date, channel: BaseChannel | None = None, report: SendReport | None = None
) -> int:
    """Remind everyone `reminder_selectors.learners_to_remind` finds, each through their
    channel (only `channel` when given), once a day. Returns how many people were reminded.
    A constant number of queries plus three writes per message."""
    report = report if report is not None else SendReport()
    config = reminder_settings()
    if not config["enabled"]:
        return 0
    channels = _channels(LEARNER_REMINDER, channel)
    due_soon_days = int(config["due_soon_days"])
    reachable = reachable_by_any(channels)
    report.unreachable += len(
        learners_to_remind(today, due_soon_days=due_soon_days, reachable=~reachable)
    )
    if report.unreachable:
        logger.info(
            "%d learners need a reminder and have no channel: listed for their supervisors",
            report.unreachable,
        )
    learners = learners_to_remind(
        today,
        due_soon_days=due_soon_days,
        reachable=reachable,
        resend_windows=resend_windows(channels),
    )
    sent = 0
    with _Sender(channels, today, report) as sender, translation.override(settings.LANGUAGE_CODE):
        for learner in learners:
            message = learner_reminder_message(learner, today=today, due_soon_days=due_soon_days)
            sent += sender.send(message)
    return sent


def unreachable_learners(today: date, *, due_soon_days: int) -> list[StaffProfile]:
    """Staff who need a reminder today and whom no enabled channel reaches."""
    reachable = reachable_by_any(carrying(enabled_channels(), LEARNER_REMINDER))
    found = learners_to_remind(today, due_soon_days=due_soon_days, reachable=~reachable)
    return [learner.profile for learner in found if learner.profile is not None]


def _unreachable_for(supervisor, unreachable: list[StaffProfile]) -> Unreachable:
    """Those of `unreachable` in the supervisor's own sites and teams. One query."""
    if not unreachable:
        return Unreachable(people=[], total=0)
    visible = set(
        staff_visible_to(supervisor)
        .filter(pk__in=[p.pk for p in unreachable])
        .exclude(user=supervisor)
        .values_list("pk", flat=True)
    )
    people = [p for p in unreachable if p.pk in visible]
    return Unreachable(people=people[: reminder_selectors.DIGEST_NAMES], total=len(people))


def supervisor_digests_send(
    *, today: date, channel: BaseChannel | None = None, report: SendReport | None = None
) -> int:
    """Send every supervisor one digest a day of what is overdue, expiring within 30 days
    and expired in their sites and teams, and of their people who needed a reminder today
    but have no channel; each through their own channel (only `channel` when given);
    nobody gets an empty digest. Returns how many digests were sent."""
    report = report if report is not None else SendReport()
    config = reminder_settings()
    if not (config["enabled"] and config["supervisor_digest"]):
        return 0
    programs = programs_for_dashboard()
    if not programs:
        return 0
    channels = _channels(SUPERVISOR_DIGEST, channel)
    unreachable = (
        unreachable_learners(today, due_soon_days=int(config["due_soon_days"]))
        if channel is None
        else []
    )
    supervisors = supervisors_to_digest(
        today, reachable=reachable_by_any(channels), resend_windows=resend_windows(channels)
    )
    sent = 0
    with _Sender(channels, today, report) as sender, translation.override(settings.LANGUAGE_CODE):
        for supervisor in supervisors:
            digest = digest_for(supervisor, programs, today)
            theirs = _unreachable_for(supervisor, unreachable)
            if digest or theirs.total:
                message = supervisor_digest_message(
                    supervisor, digest, today=today, unreachable=theirs
                )
                sent += sender.send(message)
    return sent


__all__ = [
    "Channel",
    "Delivery",
    "EmailChannel",
    "Message",
    "SendReport",
    "channel_for",
    "deliver",
    "learner_reminder_message",
    "learner_reminders_send",
    "reset_code_message",
    "supervisor_digest_message",
    "supervisor_digests_send",
]
