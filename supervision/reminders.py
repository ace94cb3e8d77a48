"""Who is assigned what, re-assigning programs whose certificates are about to expire, and
the daily reminder e-mails (run by `tasks.daily_reminders`).

Which assignments cover a person is `coverage`'s rule (the dashboard uses it too). Per
program the earliest due date wins. A person's status in a program is
`status.program_status` over their progress row.

Each e-mail is recorded in `ReminderLog` before it is sent (in the same transaction), so
a second run on the same day, or a retried task, sends nothing twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certification.models import Certificate, Program
from staff.models import StaffProfile
from staff.selectors import staff_profile_for

from . import status as st
from .coverage import CoverageIndex, Person, assignments_covering, assignments_covering_any
from .models import Assignment, ProgramProgress, ReminderLog
from .selectors import Filters, apply_filters, program_rows, summary

logger = logging.getLogger(__name__)

LEARNER, DIGEST = "learner", "digest"  # ReminderLog.kind
DIGEST_NAMES = 20  # overdue people named per program in a digest; the rest are counted
DEFAULTS = {"enabled": True, "due_soon_days": 7, "supervisor_digest": True}


def reminder_settings() -> dict:
    """settings.REMINDERS over the defaults (a partial override keeps the other keys)."""
    return {**DEFAULTS, **getattr(settings, "REMINDERS", {})}


# --- who is assigned what ----------------------------------------------------------------


@dataclass(frozen=True)
class AssignedProgram:
    """One program assigned to one person: the earliest due date of the assignments that
    cover them, and where they stand."""

    program: Program
    due_on: date
    status: str
    automatic: bool  # that earliest assignment was made because a certificate expires
    days_left: int  # negative once the due date has passed
    overdue: bool  # past due and not compliant
    due_soon: bool  # due today or within `due_soon_days`, and not compliant

    @property
    def done(self) -> bool:
        return self.status in st.COMPLIANT

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def needs_reminder(self) -> bool:
        return self.overdue or self.due_soon


def _status(progress: ProgramProgress | None, today: date) -> str:
    if progress is None:
        return st.NOT_STARTED  # no evidence yet: no row (services.progress_update_for)
    certificate = progress.certificate
    return st.program_status(
        has_certificate=certificate is not None,
        revoked=certificate is not None and certificate.revoked_at is not None,
        expires_on=certificate.expires_on if certificate is not None else None,
        started=progress.started, today=today)


def _entries(assignments: Iterable[Assignment], progress: dict[int, ProgramProgress],
             today: date, due_soon_days: int) -> list[AssignedProgram]:
    """One entry per program (earliest due date wins), soonest first."""
    earliest: dict[int, Assignment] = {}
    for assignment in sorted(assignments, key=lambda a: (a.due_on, a.pk)):
        earliest.setdefault(assignment.program_id, assignment)
    entries = []
    for assignment in earliest.values():
        status = _status(progress.get(assignment.program_id), today)
        days_left = (assignment.due_on - today).days
        compliant = status in st.COMPLIANT
        entries.append(AssignedProgram(
            program=assignment.program, due_on=assignment.due_on, status=status,
            automatic=assignment.automatic, days_left=days_left,
            overdue=st.is_overdue(status=status, due_on=assignment.due_on, today=today),
            due_soon=not compliant and 0 <= days_left <= due_soon_days,
        ))
    return sorted(entries, key=lambda e: (e.due_on, e.program.name))


def assignments_for(user, today: date) -> list[AssignedProgram]:
    """The active programs assigned to `user`, soonest due first: three queries (profile,
    assignments, progress) whatever the number of assignments and programs."""
    if not user.is_authenticated:
        return []
    person = Person.of(user.pk, staff_profile_for(user))
    assignments = list(Assignment.objects.filter(program__active=True)
                       .filter(assignments_covering(person)).select_related("program"))
    if not assignments:
        return []
    progress = {p.program_id: p for p in ProgramProgress.objects.filter(
        user=user, program_id__in={a.program_id for a in assignments}
    ).select_related("certificate")}
    return _entries(assignments, progress, today, int(reminder_settings()["due_soon_days"]))


# --- re-assigning expiring certificates ----------------------------------------------------


def reassign_expiring(today: date) -> int:
    """Assign the program again (automatic, due on the expiry date) to every holder of a
    current certificate that expires within `status.EXPIRING_DAYS`, unless an assignment of
    that program covering them is already due today or later (a supervisor's date stands;
    our own assignment from yesterday's run counts too, which makes this idempotent).
    Returns how many assignments were made."""
    expiring = list(
        Certificate.objects.filter(
            revoked_at__isnull=True, superseded_at__isnull=True, expires_on__gte=today,
            expires_on__lte=st.expiring_limit(today), program__active=True,
            user__is_active=True)
        .exclude(user__staff_profile__active=False)  # left the company; no profile is fine
        .order_by("expires_on", "pk").values_list("user_id", "program_id", "expires_on"))
    if not expiring:
        return 0
    user_ids = {user_id for user_id, _program, _expires in expiring}
    profiles = {p.user_id: p for p in StaffProfile.objects.filter(user_id__in=user_ids)}
    people = {user_id: Person.of(user_id, profiles.get(user_id)) for user_id in user_ids}
    open_assignments = CoverageIndex(Assignment.objects.filter(
        program_id__in={program_id for _user, program_id, _expires in expiring},
        due_on__gte=today,
    ).filter(assignments_covering_any(people.values())))
    made = 0
    with transaction.atomic():
        for user_id, program_id, expires_on in expiring:
            if any(a.program_id == program_id
                   for a in open_assignments.covering(people[user_id])):
                continue
            open_assignments.add(Assignment.objects.create(
                program_id=program_id, user_id=user_id, due_on=expires_on, automatic=True))
            made += 1
    return made


# --- e-mails -------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _person_name(user, profile: StaffProfile | None) -> str:
    if profile is not None:
        return profile.name
    return user.get_full_name() or user.get_username()


def _message(*, to: str, subject: str, template: str, context: dict,
             connection) -> mail.EmailMultiAlternatives:
    """Render `template`.txt and .html in the site language (called inside override)."""
    text = render_to_string(f"supervision/email/{template}.txt", context)
    html = render_to_string(f"supervision/email/{template}.html", context)
    message = mail.EmailMultiAlternatives(subject, text, to=[to], connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def _send_once(user, kind: str, today: date, message: mail.EmailMessage) -> bool:
    """Record the reminder, then send it, in one transaction: if sending fails the record
    is rolled back and a later run tries again; if it is already recorded, nothing is sent."""
    try:
        with transaction.atomic():
            _log, created = ReminderLog.objects.get_or_create(user=user, kind=kind,
                                                              sent_on=today)
            if not created:
                return False
            message.send()
    except OSError:  # smtplib.SMTPException and connection errors
        logger.exception("Could not send the %s reminder to user %s", kind, user.pk)
        return False
    return True


def _not_reminded(users, kind: str, today: date):
    return users.exclude(pk__in=ReminderLog.objects.filter(kind=kind, sent_on=today)
                         .values("user_id"))


def learner_reminders(today: date) -> int:
    """E-mail everyone (with an address) who has an assigned program overdue or due within
    REMINDERS["due_soon_days"] and is not compliant in it (certified or expiring counts as
    done), once a day. Returns how many people were e-mailed. A constant number of queries
    plus one write per e-mail."""
    config = reminder_settings()
    if not config["enabled"]:
        return 0
    due_soon_days = int(config["due_soon_days"])
    # The earliest due date of a program is within the horizon exactly when some covering
    # assignment's is, so the later ones never need to be read.
    window = list(Assignment.objects.filter(
        program__active=True, due_on__lte=today + timedelta(days=due_soon_days),
    ).select_related("program"))
    if not window:
        return 0
    coverage = CoverageIndex(window)
    people = _not_reminded(
        get_user_model().objects.filter(is_active=True).exclude(email="")
        .filter(coverage.people()),
        LEARNER, today).select_related("staff_profile").order_by("pk")
    people = [user for user in people
              if getattr(user, "staff_profile", None) is None or user.staff_profile.active]
    if not people:
        return 0
    progress: dict[int, dict[int, ProgramProgress]] = defaultdict(dict)
    for row in ProgramProgress.objects.filter(
            user_id__in=[user.pk for user in people],
            program_id__in={a.program_id for a in window}).select_related("certificate"):
        progress[row.user_id][row.program_id] = row

    sent = 0
    with mail.get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
        for user in people:
            profile = getattr(user, "staff_profile", None)
            mine = coverage.covering(Person.of(user.pk, profile))
            entries = [e for e in _entries(mine, progress[user.pk], today, due_soon_days)
                       if e.needs_reminder]
            if not entries:
                continue
            message = _message(
                to=user.email, connection=connection, template="learner_reminder",
                subject=ngettext(
                    "Kefu Academy: %(count)d assigned program needs your attention",
                    "Kefu Academy: %(count)d assigned programs need your attention",
                    len(entries)) % {"count": len(entries)},
                context={"name": _person_name(user, profile), "entries": entries,
                         "today": today, "due_soon_days": due_soon_days,
                         "home_url": _absolute(reverse("learner_home")),
                         "certificates_url": _absolute(reverse("my_certificates"))})
            sent += _send_once(user, LEARNER, today, message)
    return sent


@dataclass
class DigestProgram:
    program: Program
    overdue: int
    expiring: int
    expired: int
    overdue_people: list[StaffProfile]  # the first DIGEST_NAMES, soonest due first
    dashboard_url: str

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
        overdue_people = list(
            apply_filters(rows, Filters(overdue=True), today)
            .order_by("due_on", "site__code", "employee_number")[:DIGEST_NAMES]
        ) if counts.overdue else []
        found.append(DigestProgram(
            program=program, overdue=counts.overdue, expiring=expiring, expired=expired,
            overdue_people=overdue_people,
            dashboard_url=_absolute(reverse("dashboard")) + f"?program={program.pk}"))
    return found


def supervisor_digests(today: date) -> int:
    """E-mail every supervisor (staff.view_supervised_staff, with an address) one digest a
    day of what is overdue, expiring within 30 days and expired in their sites and teams;
    nobody gets an empty digest. Returns how many digests were sent."""
    config = reminder_settings()
    if not (config["enabled"] and config["supervisor_digest"]):
        return 0
    programs = list(Program.objects.filter(active=True).order_by("name"))
    if not programs:
        return 0
    supervisors = _not_reminded(
        # Permissions live in the model backend (the other one only throttles logins).
        get_user_model().objects.with_perm("staff.view_supervised_staff",
                                           include_superusers=False,
                                           backend="django.contrib.auth.backends.ModelBackend")
        .exclude(email=""), DIGEST, today).select_related("staff_profile").order_by("pk")
    sent = 0
    with mail.get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
        for supervisor in supervisors:
            digest = digest_for(supervisor, programs, today)
            if not digest:
                continue
            message = _message(
                to=supervisor.email, connection=connection, template="supervisor_digest",
                subject=_("Kefu Academy: certification digest for %(date)s")
                % {"date": today.isoformat()},
                context={"name": _person_name(supervisor,
                                              getattr(supervisor, "staff_profile", None)),
                         "programs": digest, "today": today,
                         "dashboard_url": _absolute(reverse("dashboard"))})
            sent += _send_once(supervisor, DIGEST, today, message)
    return sent
