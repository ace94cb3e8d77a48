"""Writes: program progress from the evidence, due dates from the assignments, assignments
(a supervisor's, and the platform's own when a certificate is about to expire)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from academy.errors import Kind, Refused, cleaned_reason
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import rules
from certification.models import Certificate, Program
from certification.selectors import evidence_for
from staff.models import StaffProfile
from staff.selectors import staff_visible_to, supervised_sites_and_teams

from .assignment_selectors import may_manage_assignment
from .coverage import CoverageIndex, DatedTarget, Person, assignments_covering_any, withdrawn
from .models import Assignment, ProgramProgress
from .reminder_selectors import renewals_due


class SupervisionError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


def progress_update_for(user) -> None:
    """Recount how many requirements of each program the person meets, whether they have
    begun, and note their latest certificate of it (on every new piece of evidence,
    certificates included). The due date on the same rows is not the evidence's business
    (`due_dates_update_for`): only the fields named here are written.

    Takes the learner's row lock first, as issuing and the competency records do: a row
    inserted here checks its foreign key to the learner, and doing that while another
    follow-up holds the lock and waits on this transaction deadlocked two workers."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        _progress_update_locked(user)


def _progress_update_locked(user) -> None:
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


# People per round of `due_dates_update_for`: a few queries each, their ids in IN lists.
DUE_DATES_CHUNK = 2000
# The key of the PostgreSQL advisory lock that puts due-date updates one after another.
DUE_DATES_LOCK = 0x6B656675  # "kefu"


def due_dates_update_for(
    user_ids: Iterable[int], *, program_ids: Iterable[int] | None = None
) -> int:
    """Store on these people's progress rows their due date in each program (in
    `program_ids` only, if given): the earliest due date of the assignments covering them
    (`coverage.CoverageIndex.due_dates`), or NULL. A person covered in a program they have no
    row in gets one. Writes only what differs; three or four queries per 2,000 people.

    Called whenever what decides a due date changes (`receivers`: an assignment added,
    re-dated, re-targeted or removed; a staff profile created, moved to another team, site
    or position, deactivated or deleted). Updates run one at a time (an advisory lock on
    PostgreSQL; SQLite has one writer anyway), each after its own change, so the later one
    reads the earlier one's: otherwise adding a team's assignment while someone moves into
    that team could leave that person without it. Returns the rows written."""
    user_ids = sorted(set(user_ids))
    programs = None if program_ids is None else sorted(set(program_ids))
    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DUE_DATES_LOCK])
        for start in range(0, len(user_ids), DUE_DATES_CHUNK):
            written += _due_dates_store(user_ids[start : start + DUE_DATES_CHUNK], programs)
    return written


def _due_dates_store(user_ids: list[int], programs: list[int] | None) -> int:
    profiles = {
        p.user_id: p
        for p in StaffProfile.objects.filter(user_id__in=user_ids).only(
            "user_id", "team_id", "site_id", "position", "active"
        )
    }
    people = [Person.of(user_id, profiles.get(user_id)) for user_id in user_ids]
    assignments = Assignment.objects.filter(assignments_covering_any(people)).only(
        "program_id", "user_id", "team_id", "site_id", "position", "due_on", "withdrawn_at"
    )
    stored = ProgramProgress.objects.filter(user_id__in=user_ids)
    if programs is not None:
        assignments = assignments.filter(program_id__in=programs)
        stored = stored.filter(program_id__in=programs)
    index = CoverageIndex(assignments)
    wanted = {
        (person.user_id, program_id): due
        for person in people
        for program_id, due in index.due_dates(person).items()
    }
    have = {
        (user_id, program_id): due
        for user_id, program_id, due in stored.values_list("user_id", "program_id", "due_on")
    }
    changed = []
    for key in sorted(wanted.keys() | have.keys()):
        if key not in have or have[key] != wanted.get(key):
            user_id, program_id = key
            changed.append(
                ProgramProgress(user_id=user_id, program_id=program_id, due_on=wanted.get(key))
            )
    if changed:
        # One statement for new rows and changed ones; a row the evidence made meanwhile
        # keeps its progress (only the due date is written on conflict).
        ProgramProgress.objects.bulk_create(
            changed,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["user", "program"],
            update_fields=["due_on"],
        )
    return len(changed)


def due_dates_follow_assignment(*, now: Assignment | None, before: DatedTarget | None) -> int:
    """An assignment was added (`before` None), changed (both) or removed (`now` None):
    update the due dates of everyone it covers or covered, in its programs."""
    changed = [a for a in (before, now) if a is not None]
    covered = CoverageIndex(changed).people()
    user_ids = get_user_model().objects.filter(covered).values_list("pk", flat=True)
    return due_dates_update_for(user_ids, program_ids={a.program_id for a in changed})


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


def _locked_for_change(*, by, assignment: Assignment, reason: str, missing: str):
    """The assignment's row, locked, and the cleaned reason; refused if `by` may not change
    it (`assignment_selectors.assignments_managed_by`: not found), the reason is empty or
    too long, or it was withdrawn. Call inside a transaction."""
    if not may_manage_assignment(by, assignment):
        raise SupervisionError(
            _("You can only change assignments within your sites and teams."), Kind.NOT_FOUND
        )
    reason = cleaned_reason(reason, missing=missing, error=SupervisionError)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if withdrawn(locked):
        raise SupervisionError(
            _("This assignment was withdrawn; it can no longer be changed."), Kind.CONFLICT
        )
    return locked, reason


def _save_change(assignment: Assignment, *, by, reason: str, fields: list[str]) -> Assignment:
    """Save with who and why in the assignment's history; the receivers bring the due
    dates of everyone it covers (or covered) into step, in the same transaction."""
    assignment._history_user = by
    assignment._change_reason = reason
    assignment.save(update_fields=fields)
    return assignment


def assignment_edit(
    *,
    by,
    assignment: Assignment,
    program: Program,
    due_on: date,
    reason: str,
    today: date | None = None,
) -> Assignment:
    """Correct an assignment: its program (an active one) or its due date (not in the
    past), saying why. Its target stays: assigning to someone else is a new assignment."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked, reason = _locked_for_change(
            by=by,
            assignment=assignment,
            reason=reason,
            missing=_("Give a reason for changing the assignment."),
        )
        if not program.active:
            raise SupervisionError(_("This program is switched off."))
        if due_on < today:
            raise SupervisionError(_("The due date is in the past."))
        if program.pk == locked.program_id and due_on == locked.due_on:
            raise SupervisionError(_("Nothing was changed: choose another program or due date."))
        locked.program, locked.due_on = program, due_on
        return _save_change(locked, by=by, reason=reason, fields=["program", "due_on"])


def assignment_extend(
    *, by, assignment: Assignment, due_on: date, reason: str, today: date | None = None
) -> Assignment:
    """Give more time: a due date later than the current one, not in the past, saying why."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked, reason = _locked_for_change(
            by=by,
            assignment=assignment,
            reason=reason,
            missing=_("Give a reason for the extension."),
        )
        if due_on < today:
            raise SupervisionError(_("The new due date is in the past."))
        if due_on <= locked.due_on:
            raise SupervisionError(
                _("An extension must be later than the current due date, %(due)s.")
                % {"due": locked.due_on.isoformat()}
            )
        locked.due_on = due_on
        return _save_change(locked, by=by, reason=reason, fields=["due_on"])


def assignment_withdraw(*, by, assignment: Assignment, reason: str) -> Assignment:
    """Withdraw an assignment, saying why. It is kept, with who withdrew it, when and why,
    so its history stays; from now on it covers nobody (`coverage`): no due date, no
    reminder."""
    with transaction.atomic():
        locked, reason = _locked_for_change(
            by=by,
            assignment=assignment,
            reason=reason,
            missing=_("Give a reason for withdrawing the assignment."),
        )
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = by
        locked.withdraw_reason = reason
        return _save_change(
            locked, by=by, reason=reason, fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"]
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
