import pytest

from tests.factories import StaffFactory


@pytest.fixture
def org(db):
    """A supervisor of one site with two of its staff, and somebody at another site."""
    supervisor = StaffFactory(
        user__roles=["learner", "supervisor"], position="supervisor", name="王建国"
    )
    supervisor.supervised_sites.add(supervisor.site)
    mine = StaffFactory(
        name="林晓雯", site=supervisor.site, team=supervisor.team, position="front_desk"
    )
    colleague = StaffFactory(
        name="陈思琪", site=supervisor.site, team=supervisor.team, position="front_desk"
    )
    other = StaffFactory(name="外场员工")
    return supervisor, mine, colleague, other
