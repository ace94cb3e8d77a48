from datetime import timedelta

import pytest
from django.utils import timezone

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


@pytest.fixture
def team_supervisor(org, program):
    """The supervisor's team: 林晓雯 certified, 陈思琪 overdue, 王建国 (the supervisor)
    without a due date."""
    from certification.services import certificate_issue
    from supervision.models import Assignment

    supervisor, mine, colleague, _other = org
    certificate_issue(user=mine.user, program=program, today=timezone.localdate())
    Assignment.objects.create(
        program=program, user=colleague.user, due_on=timezone.localdate() - timedelta(days=2)
    )
    return supervisor
