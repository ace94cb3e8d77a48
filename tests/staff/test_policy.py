"""Who may act on whom: one rule, `staff.selectors.may_act_on`, behind observing, changing
levels, revoking certificates and unlocking logins (services refuse with it, views offer
with it)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staff.selectors import may_act_on, may_act_on_among, may_unlock_login
from tests.factories import SiteFactory, StaffFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    north, south = SiteFactory(), SiteFactory()
    north_a, north_b, south_a = (
        TeamFactory(site=north),
        TeamFactory(site=north),
        TeamFactory(site=south),
    )
    site_boss = StaffFactory(team=north_a, user=UserFactory(roles=["learner", "supervisor"]))
    site_boss.supervised_sites.add(north)
    team_boss = StaffFactory(team=south_a, user=UserFactory(roles=["learner", "supervisor"]))
    team_boss.supervised_teams.add(south_a)
    return {
        "site_boss": site_boss,
        "team_boss": team_boss,
        "north_a": StaffFactory(team=north_a),
        "north_b": StaffFactory(team=north_b),
        "south_a": StaffFactory(team=south_a),
        "trainer": StaffFactory(team=north_a, user=UserFactory(roles=["learner", "trainer"])),
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


def acts(actor, person) -> bool:
    return may_act_on(actor.user if hasattr(actor, "user") else actor, person.user_id)


def test_a_supervisor_acts_on_the_staff_of_their_site(world):
    assert acts(world["site_boss"], world["north_a"])
    assert acts(world["site_boss"], world["north_b"])


def test_a_team_supervisor_acts_on_their_team_only(world):
    assert acts(world["team_boss"], world["south_a"])
    assert not acts(world["team_boss"], world["north_a"])


def test_a_supervisor_does_not_act_on_another_site(world):
    assert not acts(world["site_boss"], world["south_a"])


def test_nobody_acts_on_themselves(world):
    """A supervisor sees their own record (and is in a team they supervise): still not."""
    assert not acts(world["site_boss"], world["site_boss"])
    assert not acts(world["team_boss"], world["team_boss"])
    assert not may_act_on(world["root"], world["root"].pk)


def test_trainers_and_learners_act_on_nobody(world):
    for person in ("north_a", "north_b", "site_boss"):
        assert not acts(world["trainer"], world[person])
    assert not acts(world["north_a"], world["north_b"])
    assert not acts(world["north_a"], world["north_a"])


def test_supervised_sites_without_the_supervisor_role_grant_nothing(world):
    learner = world["north_a"]
    learner.supervised_sites.add(learner.site)
    assert not acts(learner, world["north_b"])


def test_a_superuser_acts_on_anybody_else(world):
    assert acts(world["root"], world["south_a"])
    assert may_act_on(world["root"], UserFactory().pk)  # no staff profile needed


def test_anonymous_acts_on_nobody(world):
    assert not may_act_on(AnonymousUser(), world["north_a"].user_id)


def test_unlocking_a_login_is_the_same_rule_plus_trainers(world):
    assert may_unlock_login(world["site_boss"].user, world["north_a"])
    assert not may_unlock_login(world["site_boss"].user, world["south_a"])
    assert not may_unlock_login(world["north_a"].user, world["north_b"])
    assert may_unlock_login(world["trainer"].user, world["south_a"])  # staff.unlock_login


def test_for_a_page_of_people_the_same_rule_answers_at_a_constant_cost(world):
    """The team progress page asks for 50 people at once; the answer matches may_act_on."""
    people = [world[name] for name in ("north_a", "north_b", "south_a", "site_boss", "trainer")]
    boss = world["site_boss"].user
    expected = {p.user_id for p in people if may_act_on(boss, p.user_id)}
    assert expected == {
        world["north_a"].user_id,
        world["north_b"].user_id,
        world["trainer"].user_id,
    }
    with CaptureQueriesContext(connection) as one:
        may_act_on_among(boss, [people[0].user_id])
    with CaptureQueriesContext(connection) as five:
        assert may_act_on_among(boss, [p.user_id for p in people]) == expected
    assert len(five) == len(one)
    assert may_act_on_among(world["trainer"].user, [p.user_id for p in people]) == set()
