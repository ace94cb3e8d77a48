"""The learner home lists the programs assigned to the learner, with due dates and status."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.services import certificate_issue
from supervision.models import Assignment
from tests.factories import StaffFactory
from tests.supervision.test_reminders import make_program, zh


@pytest.fixture
def today():
    return timezone.localdate()


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_learner_home_shows_assignments_with_due_dates_and_overdue(
    learner_client, learner, today
):
    late = make_program("前台客服上岗认证", "front-desk")
    soon = make_program("应急处置认证", "emergency")
    Assignment.objects.create(program=late, team=learner.team, due_on=today - timedelta(days=2))
    Assignment.objects.create(
        program=soon, site=learner.site, position=learner.position, due_on=today + timedelta(days=3)
    )

    page = home(learner_client)

    assert 'class="my-assignments"' in page
    assert zh("My assignments") in page
    assert "前台客服上岗认证" in page and "应急处置认证" in page
    # A past due date reads as the days past it, never as the date.
    assert (today - timedelta(days=2)).isoformat() not in page
    assert (today + timedelta(days=3)).isoformat() in page
    assert page.count('class="due overdue"') == 1
    assert "已逾期 2 天" in page
    assert zh("Due in %(days)d day", "Due in %(days)d days", 3) % {"days": 3} in page
    assert "未开始" in page  # the status label, in Chinese
    assert 'href="/certificates/"' in page
    # The late one first.
    assert page.index("前台客服上岗认证") < page.index("应急处置认证")


def test_nothing_assigned_renders_nothing(learner_client, learner, today):
    other = StaffFactory()
    Assignment.objects.create(
        program=make_program("前台客服上岗认证", "front-desk"), team=other.team, due_on=today
    )
    page = home(learner_client)
    assert "my-assignments" not in page and "前台客服上岗认证" not in page


@pytest.mark.django_db(transaction=True)  # issuing hooks run on commit
def test_a_certified_learner_sees_the_assignment_done(client, program, today):
    learner = StaffFactory(name="林小文")
    Assignment.objects.create(program=program, user=learner.user, due_on=today - timedelta(days=1))
    certificate_issue(user=learner.user, program=program, today=today)
    client.force_login(learner.user)

    page = home(client)

    assert "前台客服上岗认证" in page
    assert "已认证" in page
    assert 'class="due overdue"' not in page


def test_the_home_query_count_does_not_grow_with_assignments(learner_client, learner, today):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            home(learner_client)
        return len(captured)

    first = make_program("项目0", "p0")
    Assignment.objects.create(program=first, user=learner.user, due_on=today)
    home(learner_client)  # the user's permissions are read once, then cached
    one = count()
    for n in range(1, 6):
        program = make_program(f"项目{n}", f"p{n}")
        Assignment.objects.create(
            program=program, user=learner.user, due_on=today + timedelta(days=n)
        )
        Assignment.objects.create(
            program=program, team=learner.team, due_on=today - timedelta(days=n)
        )
        Assignment.objects.create(
            program=program, site=learner.site, position=learner.position, due_on=today
        )
    many = count()
    assert many == one
    assert "项目5" in home(learner_client)
