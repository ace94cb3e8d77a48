"""Which assignments cover a person: the rule once, in Python and in SQL side by side.

An assignment has exactly one target (`Assignment`'s check constraint): a person, a team, or
a position at a site. A withdrawn assignment covers nobody. One not withdrawn covers

- the person it names, always: also someone who has left, or who has no staff profile;
- everyone whose staff profile is active and in the team it names;
- everyone whose staff profile is active, at the site it names and in the position it names.

So a person without a team is covered by no team's assignment, and someone who has left
(inactive profile) keeps only what names them. Coverage is decided when asked, from the
profile as it is now: moving someone to another team changes what they are assigned.

A person's **due date** in a program is the earliest due date of the assignments of that
program covering them (`CoverageIndex.due_dates`); none covering, no due date. Which
programs count (active ones: `selectors.assignments_for`) and who is reminded
(`reminder_selectors`) are the callers' business. The dashboard reads the due date stored on
the person's `ProgramProgress` row, which `services.due_dates_update_for` keeps equal to
this rule whenever an assignment or a staff profile changes (`receivers`).

The forms, each the same rule:

- Python, one assignment: `covers(assignment, person)` (withdrawn or not: `withdrawn`).
- Python, many assignments and many people: `CoverageIndex(assignments).covering(person)`,
  without comparing every pair, and `.due_dates(person)`.
- SQL over assignments: `assignments_covering(person)`, `assignments_covering_any(people)`
  (withdrawn or not: `not_withdrawn()`).
- SQL over users: `CoverageIndex(assignments).people()`, everyone covered by any of them.

Pure: no model is imported and no query run (the SQL forms are `Q` objects, built without a
database). `tests/supervision/test_coverage.py` holds the forms to the same answers on SQLite
and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from django.db.models import Q


class Target(Protocol):
    """What coverage reads of an assignment (an `Assignment` has these fields)."""

    user_id: int | None
    team_id: int | None
    site_id: int | None
    position: str
    withdrawn_at: datetime | None


class DatedTarget(Target, Protocol):
    """An assignment with its program and due date, for `CoverageIndex.due_dates`."""

    pk: int
    program_id: int
    due_on: date


@dataclass(frozen=True)
class Person:
    """What coverage reads of a person: their user and, only while their staff profile is
    active, its team, site and position (build it with `Person.of`)."""

    user_id: int
    team_id: int | None = None
    site_id: int | None = None
    position: str = ""

    @classmethod
    def of(cls, user_id: int, profile: Any | None) -> Person:
        """`profile` is the person's `StaffProfile`, or None if they have none."""
        if profile is None or not profile.active:
            return cls(user_id)
        return cls(user_id, profile.team_id, profile.site_id, profile.position)


# --- Python ------------------------------------------------------------------------------


def withdrawn(assignment: Target) -> bool:
    return assignment.withdrawn_at is not None


def covers(assignment: Target, person: Person) -> bool:
    if withdrawn(assignment):
        return False
    if assignment.user_id is not None:
        return assignment.user_id == person.user_id
    if assignment.team_id is not None:
        return assignment.team_id == person.team_id
    return (
        assignment.site_id is not None
        and assignment.site_id == person.site_id
        and assignment.position == person.position
    )


class CoverageIndex:
    """Assignments grouped by their target, to find the ones covering each of many people
    (`covering`, the rule of `covers`) and, in SQL, everyone they cover (`people`)."""

    def __init__(self, assignments: Iterable[Target] = ()):
        self._by_user: dict[int, list] = defaultdict(list)
        self._by_team: dict[int, list] = defaultdict(list)
        self._by_position: dict[tuple[int, str], list] = defaultdict(list)
        for assignment in assignments:
            self.add(assignment)

    def add(self, assignment: Target) -> None:
        if withdrawn(assignment):
            return
        if assignment.user_id is not None:
            self._by_user[assignment.user_id].append(assignment)
        elif assignment.team_id is not None:
            self._by_team[assignment.team_id].append(assignment)
        elif assignment.site_id is not None:
            self._by_position[assignment.site_id, assignment.position].append(assignment)

    def __bool__(self) -> bool:
        return bool(self._by_user or self._by_team or self._by_position)

    def covering(self, person: Person) -> list:
        """The assignments covering `person`, in no particular order."""
        found = list(self._by_user.get(person.user_id, ()))
        if person.team_id is not None:
            found += self._by_team.get(person.team_id, ())
        if person.site_id is not None:
            found += self._by_position.get((person.site_id, person.position), ())
        return found

    def due_dates(self, person: Person) -> dict[int, date]:
        """The person's due date in each program an assignment covering them is of (the
        assignments must be `DatedTarget`s)."""
        return {
            program_id: assignment.due_on
            for program_id, assignment in earliest_per_program(self.covering(person)).items()
        }

    def people(self) -> Q:
        """A filter over the user model: everyone covered by at least one of the assignments
        (one join to the staff profile)."""
        in_post = Q(staff_profile__team_id__in=list(self._by_team))
        for site_id, position in self._by_position:
            in_post |= Q(staff_profile__site_id=site_id, staff_profile__position=position)
        return Q(pk__in=list(self._by_user)) | (Q(staff_profile__active=True) & in_post)


def earliest_per_program(covering: Iterable[DatedTarget]) -> dict[int, Any]:
    """Of the assignments covering one person, the one due first in each program (the
    lowest id among those due the same day): its due date is the person's due date."""
    earliest: dict[int, Any] = {}
    for assignment in sorted(covering, key=lambda a: (a.due_on, a.pk)):
        earliest.setdefault(assignment.program_id, assignment)
    return earliest


# --- SQL over assignments ------------------------------------------------------------------


def not_withdrawn() -> Q:
    """A filter over `Assignment`: the ones not withdrawn (`withdrawn`'s rule)."""
    return Q(withdrawn_at__isnull=True)


def assignments_covering_any(people: Iterable[Person]) -> Q:
    """A filter over `Assignment`: the assignments covering at least one of `people`."""
    return not_withdrawn() & assignments_aimed_at_any(people)


def assignments_aimed_at_any(people: Iterable[Person]) -> Q:
    """A filter over `Assignment`: those whose target takes in at least one of `people`,
    withdrawn or not (what a person's record lists; a withdrawn one covers nobody)."""
    people = list(people)
    found = Q(user_id__in=sorted({p.user_id for p in people}))
    teams = sorted({p.team_id for p in people if p.team_id is not None})
    if teams:
        found |= Q(team_id__in=teams)
    for site_id, position in sorted(
        {(p.site_id, p.position) for p in people if p.site_id is not None}
    ):
        found |= Q(site_id=site_id, position=position)
    return found


def assignments_covering(person: Person) -> Q:
    """A filter over `Assignment`: the assignments covering `person`."""
    return assignments_covering_any([person])


def assignments_aimed_at(person: Person) -> Q:
    """A filter over `Assignment`: those whose target takes in `person`, withdrawn or not."""
    return assignments_aimed_at_any([person])
