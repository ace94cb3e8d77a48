"""Which assignments cover a person (`supervision.coverage`): the rule as a table, and every
form of it (Python, the index, the SQL filters over assignments and over users, the due
dates stored for the dashboard) giving the table's answers, on SQLite and on PostgreSQL."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from certification.models import Program
from staff.models import Position, StaffProfile
from supervision import selectors
from supervision.coverage import (
    CoverageIndex,
    Person,
    assignments_aimed_at,
    assignments_covering,
    assignments_covering_any,
    covers,
    not_withdrawn,
    withdrawn,
)
from supervision.models import Assignment, ProgramProgress
from tests.factories import SiteFactory, StaffFactory, TeamFactory, UserFactory

FRONT, MANAGER = Position.FRONT_DESK, Position.MANAGER

# Who each assignment covers. People: "in_team" (front desk in team A at site 1), "teamless"
# (front desk at site 1, no team), "manager" (team A, site 1), "left" (front desk in team A
# at site 1, profile inactive), "elsewhere" (front desk in team B at site 2), "no_profile".
COVERED = {
    "names in_team": {"in_team"},
    "names left": {"left"},
    "names no_profile": {"no_profile"},
    "team A": {"in_team", "manager"},
    "team B": {"elsewhere"},
    "front desk at site 1": {"in_team", "teamless"},
    "manager at site 1": {"manager"},
    "front desk at site 2": {"elsewhere"},
    "front desk at site 3": set(),
    "inactive program, team A": {"in_team", "manager"},  # coverage is who, not which program
    # Withdrawn: kept on record, covering nobody (earlier than the others, so a due date
    # taken from it would show).
    "withdrawn, names in_team": set(),
    "withdrawn, team A": set(),
    "withdrawn, front desk at site 1": set(),
}
# Whom a withdrawn assignment was aimed at (`assignments_aimed_at`: what a record lists).
AIMED_AT = {
    **COVERED,
    "withdrawn, names in_team": COVERED["names in_team"],
    "withdrawn, team A": COVERED["team A"],
    "withdrawn, front desk at site 1": COVERED["front desk at site 1"],
}


# --- the rule in plain Python (no database) ------------------------------------------------


def target(user_id=None, team_id=None, site_id=None, position="", withdrawn_at=None):
    return SimpleNamespace(
        user_id=user_id,
        team_id=team_id,
        site_id=site_id,
        position=position,
        withdrawn_at=withdrawn_at,
    )


WITHDRAWN = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def profile(team_id, site_id, position, active=True):
    return SimpleNamespace(team_id=team_id, site_id=site_id, position=position, active=active)


@pytest.mark.parametrize(
    ("assignment", "person", "covered"),
    [
        (target(user_id=1), Person.of(1, None), True),
        (target(user_id=1), Person.of(1, profile(5, 7, FRONT, active=False)), True),
        (target(user_id=1), Person.of(2, profile(5, 7, FRONT)), False),
        (target(team_id=5), Person.of(1, profile(5, 7, FRONT)), True),
        (target(team_id=5), Person.of(1, profile(6, 7, FRONT)), False),
        (target(team_id=5), Person.of(1, profile(None, 7, FRONT)), False),
        (target(team_id=5), Person.of(1, profile(5, 7, FRONT, active=False)), False),
        (target(team_id=5), Person.of(1, None), False),
        (target(site_id=7, position=FRONT), Person.of(1, profile(None, 7, FRONT)), True),
        (target(site_id=7, position=FRONT), Person.of(1, profile(5, 7, MANAGER)), False),
        (target(site_id=7, position=FRONT), Person.of(1, profile(5, 8, FRONT)), False),
        (
            target(site_id=7, position=FRONT),
            Person.of(1, profile(5, 7, FRONT, active=False)),
            False,
        ),
        (target(user_id=1, withdrawn_at=WITHDRAWN), Person.of(1, None), False),
        (target(team_id=5, withdrawn_at=WITHDRAWN), Person.of(1, profile(5, 7, FRONT)), False),
        (
            target(site_id=7, position=FRONT, withdrawn_at=WITHDRAWN),
            Person.of(1, profile(None, 7, FRONT)),
            False,
        ),
    ],
)
def test_the_rule(assignment, person, covered):
    assert covers(assignment, person) is covered
    assert bool(CoverageIndex([assignment]).covering(person)) is covered


# --- every form agrees, in the database ----------------------------------------------------


@pytest.fixture
def world(db):
    site1, site2, site3 = SiteFactory(), SiteFactory(), SiteFactory()
    team_a, team_b = TeamFactory(site=site1), TeamFactory(site=site2)
    people = {
        "in_team": StaffFactory(team=team_a, site=site1, position=FRONT).user,
        "teamless": StaffFactory(team=None, site=site1, position=FRONT).user,
        "manager": StaffFactory(team=team_a, site=site1, position=MANAGER).user,
        "left": StaffFactory(team=team_a, site=site1, position=FRONT, active=False).user,
        "elsewhere": StaffFactory(team=team_b, site=site2, position=FRONT).user,
        "no_profile": UserFactory(),
    }
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    retired = Program.objects.create(name="旧项目", code="old", active=False)
    due = date(2026, 3, 1)
    targets = {
        "names in_team": {"user": people["in_team"]},
        "names left": {"user": people["left"]},
        "names no_profile": {"user": people["no_profile"]},
        "team A": {"team": team_a},
        "team B": {"team": team_b},
        "front desk at site 1": {"site": site1, "position": FRONT},
        "manager at site 1": {"site": site1, "position": MANAGER},
        "front desk at site 2": {"site": site2, "position": FRONT},
        "front desk at site 3": {"site": site3, "position": FRONT},
    }
    assignments = {
        name: Assignment.objects.create(program=program, due_on=due + timedelta(days=n), **fields)
        for n, (name, fields) in enumerate(targets.items())
    }
    assignments["inactive program, team A"] = Assignment.objects.create(
        program=retired, due_on=due, team=team_a
    )
    for name in ("names in_team", "team A", "front desk at site 1"):
        assignments[f"withdrawn, {name}"] = Assignment.objects.create(
            program=program,
            due_on=due - timedelta(days=30),
            withdrawn_at=WITHDRAWN,
            **targets[name],
        )
    assert set(assignments) == set(COVERED)
    return people, assignments, program


def person_of(user) -> Person:
    return Person.of(user.pk, StaffProfile.objects.filter(user=user).first())


def test_python_and_sql_agree_on_every_case(world):
    people, assignments, _program = world
    users = get_user_model().objects.filter(pk__in=[u.pk for u in people.values()])
    for name, assignment in assignments.items():
        expected = COVERED[name]
        python = {who for who, user in people.items() if covers(assignment, person_of(user))}
        assert python == expected, name
        # Persons covered by the assignment, in SQL over users ...
        covered_users = set(
            users.filter(CoverageIndex([assignment]).people()).values_list("pk", flat=True)
        )
        assert covered_users == {people[who].pk for who in expected}, name
    # Assignments covering a person, in SQL; those aimed at them, withdrawn or not.
    for who, user in people.items():
        found = set(Assignment.objects.filter(assignments_covering(person_of(user))))
        assert found == {a for name, a in assignments.items() if who in COVERED[name]}, who
        aimed = set(Assignment.objects.filter(assignments_aimed_at(person_of(user))))
        assert aimed == {a for name, a in assignments.items() if who in AIMED_AT[name]}, who
    # Not withdrawn, in Python and in SQL.
    assert {a for a in assignments.values() if not withdrawn(a)} == set(
        Assignment.objects.filter(not_withdrawn())
    )


def test_the_forms_for_many_agree_with_the_one_by_one_rule(world):
    people, assignments, _program = world
    everyone = [person_of(user) for user in people.values()]
    index = CoverageIndex(assignments.values())
    for person in everyone:
        assert set(index.covering(person)) == {a for a in assignments.values() if covers(a, person)}
    assert set(Assignment.objects.filter(assignments_covering_any(everyone))) == {
        a for a in assignments.values() if any(covers(a, p) for p in everyone)
    }
    some = [person_of(people["teamless"]), person_of(people["elsewhere"])]
    assert set(Assignment.objects.filter(assignments_covering_any(some))) == {
        assignments[name] for name in ("front desk at site 1", "team B", "front desk at site 2")
    }
    assert set(get_user_model().objects.filter(index.people())) == {
        people[who] for covered in COVERED.values() for who in covered
    }
    assert not CoverageIndex([])


def test_the_stored_due_date_is_the_earliest_covering_assignment(world):
    people, assignments, program = world
    index = CoverageIndex(assignments.values())
    stored = {
        (row.user_id, row.program_id): row.due_on
        for row in ProgramProgress.objects.exclude(due_on=None)
    }
    expected = {}
    for user in people.values():
        person = person_of(user)
        assert index.due_dates(person).get(program.pk) == min(
            (
                a.due_on
                for a in assignments.values()
                if a.program_id == program.pk and covers(a, person)
            ),
            default=None,
        ), user
        expected |= {(user.pk, p): due for p, due in index.due_dates(person).items()}
    assert stored == expected


def test_what_a_person_is_assigned_follows_the_rule_over_active_programs(world):
    people, assignments, program = world
    today = date(2026, 2, 1)
    for who, user in people.items():
        entries = selectors.assignments_for(user, today)
        covering = [
            a
            for name, a in assignments.items()
            if who in COVERED[name] and a.program_id == program.pk
        ]
        assert [e.due_on for e in entries] == (
            [min(a.due_on for a in covering)] if covering else []
        ), who
