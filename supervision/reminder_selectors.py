"""Reads for the daily run (`tasks.daily_reminders`): whose certificate is about to expire
with nothing assigned to renew it, which learners to remind of what, and what each
supervisor's digest says.

Who is assigned what is `coverage`'s rule over `selectors.assignments_in_force`; where a
person stands in a program is `selectors.assigned_programs`. Someone who has left (an
inactive user or staff profile) is neither re-assigned nor reminded as a learner. Whoever
has had a kind of reminder today, or may have had it (`ReminderLog.objects.settled`), is not
read for it again that day; a failed send is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from certification.models import Certificate, Program
from staff.models import StaffProfile

from . import status as st
from .coverage import (
    CoverageIndex,
    Person,
    assignments_covering_any,
    not_withdrawn,
    withdrawn,
)
from .models import Assignment, ProgramProgress, ReminderLog
from .selectors import (
    AssignedProgram,
    Filters,
    apply_filters,
    assigned_programs,
    assignments_in_force,
    program_rows,
    summary,
)

LEARNER, DIGEST = "learner", "digest"  # ReminderLog.kind
DIGEST_NAMES = 20  # overdue people named per program in a digest; the rest are counted


def _not_reminded(
    users: QuerySet, kind: str, today: date, resend_windows: dict[str, timedelta] | None
) -> QuerySet:
    settled = ReminderLog.objects.filter(kind=kind, sent_on=today).settled(
        now=timezone.now(), resend_windows=resend_windows or {}
    )
    return users.exclude(pk__in=settled.values("user_id"))


# --- re-assigning expiring certificates ----------------------------------------------------


@dataclass(frozen=True)
class Renewal:
    """A program to assign again to the holder of a certificate about to expire."""

    user_id: int
    program_id: int
    due_on: date  # the certificate's expiry date


def renewals_due(today: date) -> list[Renewal]:
    """Every holder of a current certificate of an active program that expires within
    `status.EXPIRING_DAYS`, unless an assignment of that program covering them is already
    due today or later (a supervisor's date stands; our own assignment from yesterday's run
    counts too, which makes re-assigning idempotent), or one naming them, due today or
    later, was withdrawn (a supervisor's withdrawal stands too: the renewal is not made
    again the next day); soonest expiry first. Three queries."""
    expiring = list(
        Certificate.objects.current()
        .filter(
            expires_on__gte=today,
            expires_on__lte=st.expiring_limit(today),
            program__active=True,
            user__is_active=True,
        )
        .exclude(user__staff_profile__active=False)  # left the company; no profile is fine
        .order_by("expires_on", "pk")
        .values_list("user_id", "program_id", "expires_on")
    )
    if not expiring:
        return []
    user_ids = {user_id for user_id, _program, _expires in expiring}
    profiles = {p.user_id: p for p in StaffProfile.objects.filter(user_id__in=user_ids)}
    people = {user_id: Person.of(user_id, profiles.get(user_id)) for user_id in user_ids}
    ahead = list(
        Assignment.objects.filter(
            program_id__in={program_id for _user, program_id, _expires in expiring},
            due_on__gte=today,
        ).filter(
            assignments_covering_any(people.values()) | (~not_withdrawn() & Q(user_id__in=user_ids))
        )
    )
    open_assignments = CoverageIndex(ahead)  # the withdrawn ones cover nobody
    stopped = {(a.user_id, a.program_id) for a in ahead if withdrawn(a)}
    renewals, seen = [], set()
    for user_id, program_id, expires_on in expiring:
        planned = (user_id, program_id) in stopped or any(
            a.program_id == program_id for a in open_assignments.covering(people[user_id])
        )
        if planned or (user_id, program_id) in seen:
            continue
        seen.add((user_id, program_id))
        renewals.append(Renewal(user_id=user_id, program_id=program_id, due_on=expires_on))
    return renewals


# --- learners ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerReminder:
    """One learner to remind, and of which assigned programs."""

    user: Any
    profile: StaffProfile | None
    entries: list[AssignedProgram]  # each overdue or due soon, soonest first


def learners_to_remind(
    today: date,
    *,
    due_soon_days: int,
    reachable: Q,
    resend_windows: dict[str, timedelta] | None = None,
) -> list[LearnerReminder]:
    """Everyone still with us, reachable (`reachable`, a filter over users: the channels')
    and not yet reminded today who has an assigned program overdue or due within
    `due_soon_days` and is not compliant in it (certified or expiring counts as done), by
    user id. `resend_windows`: see ReminderLogQuerySet. Three queries whatever the number of
    people and assignments."""
    # The earliest due date of a program is within the horizon exactly when some covering
    # assignment's is, so the later ones never need to be read.
    window = list(assignments_in_force().filter(due_on__lte=today + timedelta(days=due_soon_days)))
    if not window:
        return []
    coverage = CoverageIndex(window)
    people = _people_to_remind(coverage, today, reachable, resend_windows)
    if not people:
        return []
    progress = _progress_by_user(people, {a.program_id for a in window})
    found = []
    for user in people:
        profile = getattr(user, "staff_profile", None)
        entries = [
            entry
            for entry in assigned_programs(
                coverage.covering(Person.of(user.pk, profile)),
                progress[user.pk],
                today,
                due_soon_days,
            )
            if entry.needs_reminder
        ]
        if entries:
            found.append(LearnerReminder(user=user, profile=profile, entries=entries))
    return found


def _people_to_remind(
    coverage: CoverageIndex,
    today: date,
    reachable: Q,
    resend_windows: dict[str, timedelta] | None,
) -> list:
    """The active users covered by any of the assignments, reachable, not reminded today,
    and not marked as having left (a person without a staff profile may be reminded)."""
    users = (
        get_user_model().objects.filter(is_active=True).filter(reachable).filter(coverage.people())
    )
    return [
        user
        for user in _not_reminded(users, LEARNER, today, resend_windows)
        .select_related("staff_profile")
        .order_by("pk")
        if getattr(user, "staff_profile", None) is None or user.staff_profile.active
    ]


def _progress_by_user(people: list, program_ids: set[int]) -> dict[int, dict]:
    """Each person's progress rows in these programs, by user id and program id."""
    progress: dict[int, dict[int, ProgramProgress]] = defaultdict(dict)
    for row in ProgramProgress.objects.filter(
        user_id__in=[user.pk for user in people], program_id__in=program_ids
    ).select_related("certificate"):
        progress[row.user_id][row.program_id] = row
    return progress


# --- supervisors ---------------------------------------------------------------------------


def supervisors_to_digest(
    today: date, *, reachable: Q, resend_windows: dict[str, timedelta] | None = None
) -> QuerySet:
    """Every supervisor (staff.view_supervised_staff) reachable (the channels' filter over
    users) who has not had today's digest (`resend_windows`: see ReminderLogQuerySet)."""
    # Permissions live in the model backend (the other one only throttles logins).
    supervisors = (
        get_user_model()
        .objects.with_perm(
            "staff.view_supervised_staff",
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(reachable)
    )
    return (
        _not_reminded(supervisors, DIGEST, today, resend_windows)
        .select_related("staff_profile")
        .order_by("pk")
    )


@dataclass
class DigestProgram:
    program: Program
    overdue: int
    expiring: int
    expired: int
    overdue_people: list[StaffProfile]  # the first DIGEST_NAMES, soonest due first

    @property
    def more(self) -> int:
        return max(0, self.overdue - len(self.overdue_people))


def digest_for(supervisor, programs: list[Program], today: date) -> list[DigestProgram]:
    """Per program, what needs the supervisor's attention in their own sites and teams
    (the dashboard's rows and counts); programs with nothing to report are left out."""
    found = []
    for program in programs:
        rows = program_rows(supervisor, program, today)
        counts = summary(rows, today)
        expiring, expired = counts.counts[st.EXPIRING], counts.counts[st.EXPIRED]
        if not (counts.overdue or expiring or expired):
            continue
        overdue_people = (
            list(
                apply_filters(rows, Filters(overdue=True), today).order_by(
                    "due_on", "site__code", "employee_number"
                )[:DIGEST_NAMES]
            )
            if counts.overdue
            else []
        )
        found.append(
            DigestProgram(
                program=program,
                overdue=counts.overdue,
                expiring=expiring,
                expired=expired,
                overdue_people=overdue_people,
            )
        )
    return found
