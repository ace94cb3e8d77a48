"""Least privilege: who can see whose records."""

import pytest
from django.contrib.auth.models import AnonymousUser

from staff.selectors import staff_visible_to
from tests.factories import SiteFactory, StaffFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    north, south = SiteFactory(), SiteFactory()
    north_a, north_b = TeamFactory(site=north), TeamFactory(site=north)
    south_a = TeamFactory(site=south)
    return {
        "north_a": StaffFactory(team=north_a),
        "north_b": StaffFactory(team=north_b),
        "south_a": StaffFactory(team=south_a),
        "sites": (north, south),
        "teams": (north_a, north_b, south_a),
    }


def test_learner_sees_only_themselves(world):
    me = world["north_a"]
    assert list(staff_visible_to(me.user)) == [me]


def test_supervisor_sees_their_sites_and_teams_only(world):
    north, south = world["sites"]
    boss = StaffFactory(team=world["teams"][0], user=UserFactory(roles=["learner", "supervisor"]))
    boss.supervised_sites.add(north)
    visible = set(staff_visible_to(boss.user))
    assert visible == {boss, world["north_a"], world["north_b"]}

    boss.supervised_sites.clear()
    boss.supervised_teams.add(world["teams"][2])
    assert set(staff_visible_to(boss.user)) == {boss, world["south_a"]}


def test_supervision_without_the_role_grants_nothing(world):
    """Assigned sites count only for someone in the supervisor group."""
    person = world["north_a"]
    person.supervised_sites.add(*world["sites"])
    assert list(staff_visible_to(person.user)) == [person]


def test_anonymous_sees_nobody(world):
    assert not staff_visible_to(AnonymousUser()).exists()


def test_changes_to_supervision_are_kept_in_history(world):
    north, _south = world["sites"]
    boss = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]))
    boss.supervised_sites.add(north)
    latest = boss.history.latest()
    assert [row.site_id for row in latest.supervised_sites.all()] == [north.id]
