"""Assignments of programs with due dates, and each person's progress in each program."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from staff.models import Position


class Assignment(models.Model):
    """A program assigned with a due date to one person, a team, or a position at a site.
    Who it covers is decided when asked (staff move between teams)."""

    program = models.ForeignKey(
        "certification.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    team = models.ForeignKey(
        "staff.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    site = models.ForeignKey(
        "staff.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)
    due_on = models.DateField(_("due"))
    automatic = models.BooleanField(
        _("automatic"),
        default=False,
        help_text=_("Made by the platform because a certificate is about to expire."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn: kept (with who, when and why) so that its history stays, but it covers
    # nobody any more (`coverage`): no due date, no reminder, not on anybody's list.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    # Each change after the assignment is made says why (`services.assignment_edit`,
    # `assignment_extend`, `assignment_withdraw`): kept as its `history_change_reason`.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "pk"]
        constraints = [
            # Exactly one kind of target: a person, a team, or a position at a site.
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, team__isnull=True, site__isnull=True, position="")
                    | models.Q(
                        user__isnull=True, team__isnull=False, site__isnull=True, position=""
                    )
                    | models.Q(user__isnull=True, team__isnull=True, site__isnull=False)
                    & ~models.Q(position="")
                ),
                name="assignment_has_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.program} → {self.target_label()} · {self.due_on}"

    def target_label(self) -> str:
        if self.user_id:
            profile = getattr(self.user, "staff_profile", None)
            return profile.name if profile else self.user.get_username()
        if self.team_id:
            return f"{self.team.site.name} {self.team.name}"
        return f"{self.site.name} {self.get_position_display()}"

    def clean(self):
        targets = [
            self.user_id is not None,
            self.team_id is not None,
            self.site_id is not None and bool(self.position),
        ]
        if sum(targets) != 1:
            raise ValidationError(_("Assign to one person, one team, or one position at a site."))


class ProgramProgress(models.Model):
    """How many of a program's requirements a person meets, and when it is due; kept in step
    with the evidence and the assignments so that the dashboard can count thousands of
    people in one query."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_progress"
    )
    program = models.ForeignKey(
        "certification.Program", on_delete=models.CASCADE, related_name="progress"
    )
    # The person's staff profile, joined on the user (no column of its own), so that the
    # dashboard joins each profile to its progress row directly, not through the user table.
    profile = models.ForeignObject(
        "staff.StaffProfile",
        on_delete=models.DO_NOTHING,
        from_fields=["user"],
        to_fields=["user"],
        related_name="program_progress",
        null=True,  # someone without a staff profile may have progress
        editable=False,
    )
    # The person's latest certificate of the program (revoked, expired or valid), if any.
    certificate = models.ForeignKey(
        "certification.Certificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requirements_met = models.PositiveSmallIntegerField(default=0)
    requirements_total = models.PositiveSmallIntegerField(default=0)
    # Any lesson, quiz attempt or role-play run toward the program: "in progress".
    started = models.BooleanField(default=False)
    # The earliest due date of the assignments of the program covering the person
    # (`coverage.CoverageIndex.due_dates`), NULL if none; kept by
    # `services.due_dates_update_for` whenever an assignment or a staff profile changes.
    due_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="one_progress_per_program")
        ]
        indexes = [
            # Who is past due in a program: the dashboard's overdue filter and sort by date.
            models.Index(fields=["program", "due_on"], name="progress_due_dates"),
        ]

    def __str__(self):
        return f"{self.user} · {self.program}: {self.requirements_met}/{self.requirements_total}"


class ReminderLogQuerySet(models.QuerySet):
    """Which reminders a rerun the same day must leave alone, and which it sends again.

    A row is written (pending) and committed before its message is sent, and marked sent or
    failed after: so a crash or a lost answer between the send and its record leaves it
    pending, and the message may have gone. A pending message is never sent again, except on
    a channel whose platform drops a repeated message within a window (WeCom's duplicate
    check), while the row's first attempt is within that window: `resend_windows` gives
    those windows by channel name. A failed message did not go, and is sent again."""

    def _resendable(self, now, resend_windows: dict[str, timedelta]) -> Q:
        found = Q(state=ReminderLog.State.FAILED)
        for channel, window in resend_windows.items():
            found |= Q(
                state=ReminderLog.State.PENDING, channel=channel, created_at__gt=now - window
            )
        return found

    def settled(self, *, now, resend_windows: dict[str, timedelta]) -> ReminderLogQuerySet:
        """Rows whose message must not be sent again."""
        return self.exclude(self._resendable(now, resend_windows))

    def to_resend(self, *, now, resend_windows: dict[str, timedelta]) -> ReminderLogQuerySet:
        """Rows whose message a retry sends again: failed, or pending where that is safe."""
        return self.filter(self._resendable(now, resend_windows))


class ReminderLog(models.Model):
    """One message of one kind to one person on one day, the channel it took and what the
    provider answered. At most one per person, kind and day; see ReminderLogQuerySet for
    what a rerun does with each state."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("reminder state", "sending")
        SENT = "sent", pgettext_lazy("reminder state", "sent")
        FAILED = "failed", pgettext_lazy("reminder state", "failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # reminder_selectors.LEARNER or .DIGEST
    sent_on = models.DateField()  # the day the reminder is for
    channel = models.CharField(max_length=20)  # supervision.channels: email, wecom, …
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # The provider's answer: WeCom's msgid, DingTalk's task_id, the SMS serial number, the
    # e-mail's Message-ID; or the error (and the platform's errcode) of the last attempt.
    answer = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)  # the first attempt
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReminderLogQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "sent_on"], name="one_reminder_per_kind_per_day"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.sent_on} · {self.channel} {self.state}"
