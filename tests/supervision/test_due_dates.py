"""The due date the dashboard shows is stored on each person's progress row; after every kind
of change it must still be what the rule says (`coverage`: the earliest due date of the
assignments of the program covering the person), which the learner's own page computes
from the assignments (`selectors.assignments_for`)."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.models import Program
from staff.models import Position, StaffProfile
from staff.roster import RosterRow
from staff.services import staff_upsert
from supervision import selectors, services
from supervision.coverage import CoverageIndex, Person, covers
from supervision.models import Assignment, ProgramProgress
from tests.factories import SiteFactory, StaffFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

FRONT, MANAGER = Position.FRONT_DESK, Position.MANAGER


def day(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def stored_due_dates() -> dict:
    return {
        (row.user_id, row.program_id): row.due_on
        for row in ProgramProgress.objects.exclude(due_on=None)
    }


def rule_due_dates() -> dict:
    """The rule, worked out from scratch: for everyone, every assignment covering them
    (`covers`, one by one), the earliest per program."""
    assignments = list(Assignment.objects.all())
    found = {}
    for user in get_user_model().objects.select_related("staff_profile"):
        person = Person.of(user.pk, getattr(user, "staff_profile", None))
        for assignment in assignments:
            if covers(assignment, person):
                key = (user.pk, assignment.program_id)
                found[key] = min(found.get(key, assignment.due_on), assignment.due_on)
    return found


def assert_stored_due_dates_follow_the_rule():
    stored = stored_due_dates()
    assert stored == rule_due_dates()
    # ... and the dashboard's rows and the learner's page say the same.
    for user in get_user_model().objects.all():
        mine = {e.program.pk: e.due_on for e in selectors.assignments_for(user, day(0))}
        assert mine == {p: due for (u, p), due in stored.items() if u == user.pk}, user


@pytest.fixture
def world():
    site1, site2 = SiteFactory(), SiteFactory()
    team_a, team_b, team_c = (
        TeamFactory(site=site1),
        TeamFactory(site=site1),
        TeamFactory(site=site2),
    )
    people = {
        "ann": StaffFactory(team=team_a, site=site1, position=FRONT),
        "bo": StaffFactory(team=team_a, site=site1, position=MANAGER),
        "cai": StaffFactory(team=team_b, site=site1, position=FRONT),
        "dan": StaffFactory(team=None, site=site2, position=FRONT),
    }
    main = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    other = Program.objects.create(name="投诉处理专项认证", code="complaints")
    assignments = {
        "team A": Assignment.objects.create(program=main, team=team_a, due_on=day(10)),
        "front desk at site 1": Assignment.objects.create(
            program=main, site=site1, position=FRONT, due_on=day(20)
        ),
        "cai": Assignment.objects.create(program=other, user=people["cai"].user, due_on=day(5)),
    }
    assert_stored_due_dates_follow_the_rule()
    return {
        "sites": (site1, site2),
        "teams": (team_a, team_b, team_c),
        "people": people,
        "programs": (main, other),
        "assignments": assignments,
    }


def test_the_world_starts_with_the_rules_due_dates(world):
    people, (main, other) = world["people"], world["programs"]
    stored = stored_due_dates()
    assert stored[people["ann"].user_id, main.pk] == day(10)  # team A beats front desk (20)
    assert stored[people["cai"].user_id, main.pk] == day(20)
    assert stored[people["cai"].user_id, other.pk] == day(5)
    assert (people["dan"].user_id, main.pk) not in stored  # nothing covers dan


# --- assignments change -------------------------------------------------------------------


def add_to_a_person(w):
    Assignment.objects.create(program=w["programs"][0], user=w["people"]["dan"].user, due_on=day(3))


def add_to_a_person_without_a_profile(w):
    Assignment.objects.create(program=w["programs"][0], user=UserFactory(), due_on=day(3))


def add_to_a_team(w):
    Assignment.objects.create(program=w["programs"][1], team=w["teams"][0], due_on=day(30))


def add_to_a_position_at_a_site(w):
    Assignment.objects.create(
        program=w["programs"][0], site=w["sites"][1], position=FRONT, due_on=day(40)
    )


def add_an_earlier_one(w):
    Assignment.objects.create(program=w["programs"][0], team=w["teams"][0], due_on=day(1))


def add_a_later_one(w):
    Assignment.objects.create(program=w["programs"][0], team=w["teams"][0], due_on=day(90))


def redate_the_earliest_later(w):
    assignment = w["assignments"]["team A"]
    assignment.due_on = day(60)
    assignment.save()


def redate_into_the_past(w):
    assignment = w["assignments"]["front desk at site 1"]
    assignment.due_on = day(-3)
    assignment.save()


def retarget_to_another_team(w):
    assignment = w["assignments"]["team A"]
    assignment.team = w["teams"][2]
    assignment.save()


def retarget_from_a_team_to_a_person(w):
    assignment = w["assignments"]["team A"]
    assignment.team, assignment.user = None, w["people"]["dan"].user
    assignment.save()


def move_to_another_program(w):
    assignment = w["assignments"]["team A"]
    assignment.program = w["programs"][1]
    assignment.save()


def remove_the_earliest(w):
    w["assignments"]["team A"].delete()


def remove_the_only_one(w):
    w["assignments"]["cai"].delete()


def remove_in_bulk(w):
    Assignment.objects.filter(program=w["programs"][0]).delete()


def withdraw_the_earliest(w):
    assignment = w["assignments"]["team A"]
    assignment.withdrawn_at = timezone.now()
    assignment.save()


def withdraw_the_only_one(w):
    assignment = w["assignments"]["cai"]
    assignment.withdrawn_at = timezone.now()
    assignment.save()


def add_a_withdrawn_one(w):
    Assignment.objects.create(
        program=w["programs"][0], team=w["teams"][0], due_on=day(1), withdrawn_at=timezone.now()
    )


# --- people change ------------------------------------------------------------------------


def _change(profile: StaffProfile, **fields):
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()


def move_to_another_team(w):
    _change(w["people"]["ann"], team=w["teams"][1])


def move_to_another_site(w):
    _change(w["people"]["cai"], site=w["sites"][1], team=w["teams"][2])


def lose_the_team(w):
    _change(w["people"]["ann"], team=None)


def change_position(w):
    _change(w["people"]["cai"], position=MANAGER)


def leave_the_company(w):
    _change(w["people"]["cai"], active=False)


def come_back(w):
    _change(w["people"]["cai"], active=False)
    _change(w["people"]["cai"], active=True)


def join_a_team(w):
    StaffFactory(team=w["teams"][0], site=w["sites"][0], position=MANAGER)


def lose_the_profile(w):
    w["people"]["ann"].delete()


def move_through_the_roster_import(w):
    ann = w["people"]["ann"]
    staff_upsert(
        row=RosterRow(
            line=2,
            employee_number=ann.employee_number,
            name=ann.name,
            position=FRONT,
            site_code=w["sites"][1].code,
            team_name=w["teams"][2].name,
            hire_date=None,
            active=True,
            email="",
        )
    )


def renew_expiring_certificates(w):
    # The platform's own assignment, made by the daily run for a certificate about to expire.
    services.assignment_create_automatic(
        user_id=w["people"]["dan"].user_id, program_id=w["programs"][1].pk, due_on=day(25)
    )


CHANGES = [
    add_to_a_person,
    add_to_a_person_without_a_profile,
    add_to_a_team,
    add_to_a_position_at_a_site,
    add_an_earlier_one,
    add_a_later_one,
    redate_the_earliest_later,
    redate_into_the_past,
    retarget_to_another_team,
    retarget_from_a_team_to_a_person,
    move_to_another_program,
    remove_the_earliest,
    remove_the_only_one,
    remove_in_bulk,
    withdraw_the_earliest,
    withdraw_the_only_one,
    add_a_withdrawn_one,
    move_to_another_team,
    move_to_another_site,
    lose_the_team,
    change_position,
    leave_the_company,
    come_back,
    join_a_team,
    lose_the_profile,
    move_through_the_roster_import,
    renew_expiring_certificates,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_after_each_kind_of_change_the_stored_due_dates_follow_the_rule(world, change):
    before = stored_due_dates()
    change(world)
    assert_stored_due_dates_follow_the_rule()
    assert stored_due_dates() != before or change in (
        add_a_later_one,
        come_back,
        add_a_withdrawn_one,
    )


def test_the_dashboard_shows_a_due_date_moved_by_a_team_change(world, client):
    """What a supervisor sees: ann moves from team A (due in 10 days) to team B, covered only
    by the front-desk assignment (due in 20)."""
    ann, (main, _other) = world["people"]["ann"], world["programs"]
    supervisor = StaffFactory(
        team=world["teams"][0], site=world["sites"][0], user__roles=["learner", "supervisor"]
    )
    supervisor.supervised_sites.add(world["sites"][0])
    rows = selectors.program_rows(supervisor.user, main, day(0))
    assert rows.get(pk=ann.pk).due_on == day(10)
    move_to_another_team(world)
    assert rows.all().get(pk=ann.pk).due_on == day(20)


def test_a_change_that_does_not_touch_coverage_writes_nothing(world):
    ann = world["people"]["ann"]
    with CaptureQueriesContext(connection) as captured:
        _change(ann, name="安娜", hire_date=day(-100))
    assert not any("programprogress" in q["sql"] for q in captured.captured_queries)


def test_recounting_progress_keeps_the_due_date(world):
    """The follow-up of new evidence (`follow_up_evidence` → `progress_update_for`) writes
    the progress fields only."""
    from academy.tasks import follow_up_evidence

    ann, (main, _other) = world["people"]["ann"], world["programs"]
    follow_up_evidence.call(user_id=ann.user_id)
    row = ProgramProgress.objects.get(user=ann.user, program=main)
    assert row.due_on == day(10) and not row.started
    assert_stored_due_dates_follow_the_rule()


def test_the_data_migration_fills_the_due_dates_of_existing_rows(world):
    # As before the migration: no due dates, rows only for people with evidence.
    ProgramProgress.objects.update(due_on=None)
    ProgramProgress.objects.filter(user=world["people"]["bo"].user).delete()
    fill = importlib.import_module("supervision.migrations.0004_fill_due_dates")
    fill.fill_due_dates(apps, None)
    assert_stored_due_dates_follow_the_rule()


def test_the_update_runs_the_same_queries_for_a_team_of_3_or_30(world, django_assert_num_queries):
    main = world["programs"][0]
    small, large = TeamFactory(), TeamFactory()
    for team, size in ((small, 3), (large, 30)):
        for _ in range(size):
            StaffFactory(team=team, site=team.site)
    with CaptureQueriesContext(connection) as few:
        Assignment.objects.create(program=main, team=small, due_on=day(7))
    with django_assert_num_queries(len(few.captured_queries)):
        Assignment.objects.create(program=main, team=large, due_on=day(7))
    assert_stored_due_dates_follow_the_rule()
    assert len(stored_due_dates()) == len(rule_due_dates()) > 33


def test_the_index_and_the_one_by_one_rule_agree():
    """`CoverageIndex.due_dates` (what is stored) = the earliest of the covering ones."""
    from types import SimpleNamespace

    def assignment(pk, program_id, due, **target):
        fields = {
            "user_id": None,
            "team_id": None,
            "site_id": None,
            "position": "",
            "withdrawn_at": None,
        } | target
        return SimpleNamespace(pk=pk, program_id=program_id, due_on=due, **fields)

    assignments = [
        assignment(1, 1, date(2026, 3, 9), team_id=5),
        assignment(2, 1, date(2026, 3, 1), site_id=7, position=FRONT),
        assignment(3, 2, date(2026, 4, 1), user_id=1),
        assignment(4, 1, date(2026, 2, 1), team_id=6),
        assignment(5, 1, date(2026, 1, 1), team_id=5, withdrawn_at=timezone.now()),
    ]
    person = Person(user_id=1, team_id=5, site_id=7, position=FRONT)
    assert CoverageIndex(assignments).due_dates(person) == {
        1: date(2026, 3, 1),
        2: date(2026, 4, 1),
    }
