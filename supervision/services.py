"""Writes: program progress from the evidence, assignments (a supervisor's, and the
platform's own when a certificate is about to expire)."""

from __future__ import annotations

from datetime import date

from academy.errors import Kind, Refused
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import rules
from certification.models import Certificate, Program
from certification.selectors import evidence_for
from staff.selectors import staff_visible_to, supervised_sites_and_teams

from .models import Assignment, ProgramProgress
from .reminder_selectors import renewals_due


class SupervisionError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


def progress_update_for(user) -> None:
    """Recount how many requirements of each program the person meets, whether they have
    begun, and note their latest certificate of it (on every new piece of evidence,
    certificates included)."""
    latest = {}
    for certificate in Certificate.objects.filter(user=user).order_by("created_at", "pk"):
        latest[certificate.program_id] = certificate.pk
    for program in Program.objects.prefetch_related("requirements"):
        requirements = [r.as_rule() for r in program.requirements.all()]
        met = len(requirements) - len(rules.missing(requirements, evidence_for(user, program)))
        started = met > 0 or program.pk in latest or _has_activity(user, requirements)
        if not started and not ProgramProgress.objects.filter(user=user, program=program).exists():
            continue  # nothing to say yet: "not started" needs no row
        ProgramProgress.objects.update_or_create(
            user=user,
            program=program,
            defaults={
                "requirements_met": met,
                "requirements_total": len(requirements),
                "started": started,
                "certificate_id": latest.get(program.pk),
            },
        )


def _has_activity(user, requirements: list[rules.Requirement]) -> bool:
    """Any lesson opened, quiz attempt or role-play run toward these requirements."""
    from wagtail.models import Page

    from courses.models import LessonPage, LessonProgress
    from quizzes.models import Attempt
    from roleplays.models import Run

    targets = {
        kind: [r.target_id for r in requirements if r.kind == kind]
        for kind in (rules.LESSONS, rules.QUIZ, rules.ROLEPLAY)
    }
    for module in Page.objects.filter(pk__in=targets[rules.LESSONS]):
        lessons = LessonPage.objects.descendant_of(module)
        if LessonProgress.objects.filter(user=user, lesson__in=lessons).exists():
            return True
    return (
        Attempt.objects.filter(user=user, quiz_id__in=targets[rules.QUIZ]).exists()
        or Run.objects.filter(user=user, scenario_id__in=targets[rules.ROLEPLAY]).exists()
    )


def assignment_create(
    *, by, program: Program, due_on: date, person=None, team=None, site=None, position: str = ""
) -> Assignment:
    """A supervisor assigns a program to one of their staff, one of their teams, or a position
    at one of their sites."""
    if not by.has_perm("staff.view_supervised_staff"):
        raise SupervisionError(_("Only supervisors assign programs."), Kind.NOT_ALLOWED)
    if due_on < timezone.localdate():
        raise SupervisionError(_("The due date is in the past."))
    targets = [person is not None, team is not None, site is not None and bool(position)]
    if sum(targets) != 1:
        raise SupervisionError(_("Assign to one person, one team, or one position at a site."))
    sites, teams = supervised_sites_and_teams(by)
    in_scope = (
        (person is not None and staff_visible_to(by).filter(pk=person.pk).exists())
        or (team is not None and teams.filter(pk=team.pk).exists())
        or (site is not None and sites.filter(pk=site.pk).exists())
    )
    if not in_scope:
        raise SupervisionError(
            _("You can only assign programs within your sites and teams."), Kind.NOT_FOUND
        )
    with transaction.atomic():
        return Assignment.objects.create(
            program=program,
            due_on=due_on,
            assigned_by=by,
            user=person.user if person is not None else None,
            team=team,
            site=site if position else None,
            position=position if site is not None else "",
        )


def assignment_create_automatic(*, user_id: int, program_id: int, due_on: date) -> Assignment:
    """The platform assigns a program again to the holder of a certificate about to expire:
    to them by name, due on the expiry date, marked automatic, assigned by nobody."""
    return Assignment.objects.create(
        program_id=program_id, user_id=user_id, due_on=due_on, automatic=True
    )


def assignments_reassign_expiring(*, today: date) -> int:
    """Assign the program again to every holder of a current certificate expiring within
    `status.EXPIRING_DAYS` who has no assignment of it due today or later
    (`reminder_selectors.renewals_due`), all in one transaction. Idempotent: what it made
    yesterday covers them today. Returns how many assignments were made."""
    renewals = renewals_due(today)
    with transaction.atomic():
        for renewal in renewals:
            assignment_create_automatic(
                user_id=renewal.user_id, program_id=renewal.program_id, due_on=renewal.due_on
            )
    return len(renewals)
