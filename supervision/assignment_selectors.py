"""Reads for changing assignments: who may edit, extend and withdraw which assignment, the
assignment list and a person's assignments with what the viewer may do, and an
assignment's history (every change with who, when and why).

Who may change an assignment (`assignments_managed_by`): a trainer
(`supervision.change_assignment`) or a superuser any; a supervisor those within their own
sites and teams — naming one of the staff they see (not themselves), for one of the teams
they supervise, or for a position at one of the sites they supervise (what they may assign,
`services.assignment_create`); nobody else any. Any other assignment is "not found" to
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from certification.models import Program
from staff.selectors import staff_visible_to, supervised_sites_and_teams

from . import status as st
from .coverage import CoverageIndex, Person, assignments_aimed_at, withdrawn
from .models import Assignment

MANAGE_ALL = "supervision.change_assignment"  # the trainers' permission (staff.roles)


def assignments_managed_by(user) -> QuerySet[Assignment]:
    """The assignments `user` may edit, extend and withdraw (the rule in the docstring)."""
    assignments = Assignment.objects.all()
    if not user.is_authenticated:
        return assignments.none()
    if user.has_perm(MANAGE_ALL):
        return assignments
    if not user.has_perm("staff.view_supervised_staff"):
        return assignments.none()
    sites, teams = supervised_sites_and_teams(user)
    return assignments.filter(
        Q(user__in=staff_visible_to(user).exclude(user=user).values("user_id"))
        | Q(team__in=teams)
        | Q(site__in=sites)
    )


def may_manage_assignment(user, assignment: Assignment) -> bool:
    return assignments_managed_by(user).filter(pk=assignment.pk).exists()


def with_targets(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """What `Assignment.target_label` and a row read, in the same query."""
    return assignments.select_related(
        "program", "team__site", "site", "user__staff_profile", "withdrawn_by__staff_profile"
    )


@dataclass(frozen=True)
class AssignmentRow:
    """One assignment as a list shows it, with what the viewer may do with it."""

    assignment: Assignment
    past_due: bool  # not withdrawn, and the due date has passed
    withdrawn: bool
    managed: bool  # the viewer may change it (`assignments_managed_by`) and see its history

    @property
    def may_change(self) -> bool:
        """Edit, extend, withdraw: only while it is not withdrawn."""
        return self.managed and not self.withdrawn


def assignment_rows(viewer, assignments, today: date) -> list[AssignmentRow]:
    """`assignments` (already read, with their targets) as rows for `viewer`; one query."""
    assignments = list(assignments)
    managed = set(
        assignments_managed_by(viewer)
        .filter(pk__in=[a.pk for a in assignments])
        .values_list("pk", flat=True)
    )
    return [
        AssignmentRow(
            assignment=a,
            past_due=not withdrawn(a) and st.is_past_due(a.due_on, today),
            withdrawn=withdrawn(a),
            managed=a.pk in managed,
        )
        for a in assignments
    ]


def person_assignments(viewer, person, today: date) -> list[AssignmentRow]:
    """The assignments aimed at a person (`coverage.assignments_aimed_at`: naming them, or
    for their team or position), those in force first by due date, then the withdrawn."""
    assignments = with_targets(
        Assignment.objects.filter(assignments_aimed_at(Person.of(person.user_id, person)))
    ).order_by("due_on", "pk")
    return sorted(assignment_rows(viewer, assignments, today), key=lambda row: row.withdrawn)


def people_covered(assignment: Assignment) -> int:
    """How many people the assignment covers (or covered, if withdrawn): changing a team's
    or a position's assignment changes it for each of them."""
    if withdrawn(assignment):
        assignment = Assignment(
            **{f: getattr(assignment, f) for f in ("user_id", "team_id", "site_id", "position")}
        )
    return get_user_model().objects.filter(CoverageIndex([assignment]).people()).count()


@dataclass(frozen=True)
class Change:
    label: str  # what changed: "Program", "Due"
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change to an assignment: made, changed or withdrawn, by whom, when, why."""

    when: datetime
    who: str  # empty: the platform
    kind: str  # "made", "changed" or "withdrawn"
    changes: list[Change]
    reason: str


def assignment_history(assignment: Assignment) -> list[HistoryEntry]:
    """Every change to the assignment, newest first: when it was made, each change of its
    program or due date and its withdrawal, with who and why (`history_change_reason`).
    Two queries."""
    rows = list(
        assignment.history.select_related("history_user__staff_profile").order_by(
            "history_date", "history_id"
        )
    )
    names = dict(
        Program.objects.filter(pk__in={row.program_id for row in rows}).values_list("pk", "name")
    )
    entries, before = [], None
    for row in rows:
        if before is None:
            kind = "made"
            changes = [Change(_("Due"), "", row.due_on.isoformat())]
        else:
            changes = []
            if row.program_id != before.program_id:
                changes.append(
                    Change(
                        _("Program"),
                        names.get(before.program_id, ""),
                        names.get(row.program_id, ""),
                    )
                )
            if row.due_on != before.due_on:
                changes.append(Change(_("Due"), before.due_on.isoformat(), row.due_on.isoformat()))
            became_withdrawn = row.withdrawn_at is not None and before.withdrawn_at is None
            kind = "withdrawn" if became_withdrawn else "changed"
            if not changes and not became_withdrawn:
                before = row
                continue  # saved without a change anybody sees
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=_name(row.history_user),
                kind=kind,
                changes=changes,
                reason=row.history_change_reason or "",
            )
        )
        before = row
    return entries[::-1]


def _name(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return profile.name if profile is not None else (user.get_full_name() or user.username)
