""" "Overdue" has one rule, `status.is_overdue` (past due and not compliant), with its SQL
form `selectors.overdue_expression` behind the dashboard's count and filter; pages get the
answer as a flag (`is_overdue`) and never compare dates themselves."""

from datetime import date, timedelta

import pytest
from django.db.models import DateField, Value
from django.utils import timezone

from staff.models import StaffProfile
from supervision import status as st
from supervision.models import Assignment
from supervision.selectors import (
    Filters,
    apply_filters,
    overdue_expression,
    program_rows,
    summary,
)
from tests.factories import StaffFactory
from tests.supervision.test_dashboard import issue

TODAY = date(2026, 6, 1)
DUE_DATES = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1))


def test_overdue_in_plain_python():
    yesterday = TODAY - timedelta(days=1)
    assert st.is_past_due(yesterday, TODAY)
    assert not st.is_past_due(TODAY, TODAY) and not st.is_past_due(None, TODAY)
    for status in st.STATUSES:
        assert st.is_overdue(status=status, due_on=yesterday, today=TODAY) == (
            status not in st.COMPLIANT
        )
        assert not st.is_overdue(status=status, due_on=TODAY, today=TODAY)
        assert not st.is_overdue(status=status, due_on=None, today=TODAY)


@pytest.mark.django_db
def test_the_sql_overdue_agrees_with_the_python_rule():
    person = StaffFactory()
    for status in st.STATUSES:
        for due_on in DUE_DATES:
            in_sql = (
                StaffProfile.objects.filter(pk=person.pk)
                .annotate(status=Value(status), due_on=Value(due_on, output_field=DateField()))
                .annotate(overdue=overdue_expression(TODAY))
                .values_list("overdue", flat=True)
                .get()
            )
            assert bool(in_sql) == st.is_overdue(status=status, due_on=due_on, today=TODAY), (
                status,
                due_on,
            )


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_counts_filters_and_flags_the_same_people(client, program, org):
    supervisor, mine, colleague, _other = org
    issue(colleague, program)  # certified: past due but compliant
    late = StaffFactory(name="迟到员工", site=supervisor.site, team=supervisor.team)
    Assignment.objects.create(
        program=program, team=supervisor.team, due_on=timezone.localdate() - timedelta(days=3)
    )
    today = timezone.localdate()
    rows = list(program_rows(supervisor.user, program, today))
    in_python = {
        row.pk for row in rows if st.is_overdue(status=row.status, due_on=row.due_on, today=today)
    }
    assert {mine.pk, late.pk} <= in_python and colleague.pk not in in_python
    filtered = apply_filters(
        program_rows(supervisor.user, program, today), Filters(overdue=True), today
    )
    assert set(filtered.values_list("pk", flat=True)) == in_python
    assert summary(program_rows(supervisor.user, program, today), today).overdue == len(in_python)

    client.force_login(supervisor.user)
    page = client.get("/supervision/").content.decode()
    # Each overdue person reads "已逾期 N 天" (the days, not the date); nobody else does.
    assert page.count('<strong class="due overdue">已逾期') == len(in_python)


def test_how_a_due_date_reads():
    today = date(2026, 12, 1)
    due = st.due_state
    assert due(status=st.IN_PROGRESS, due_on=None, today=today).state == st.NO_DUE_DATE
    late = due(status=st.IN_PROGRESS, due_on=today - timedelta(days=4), today=today)
    assert (late.state, late.days) == (st.OVERDUE, 4)
    soon = due(status=st.NOT_STARTED, due_on=today + timedelta(days=3), today=today)
    assert (soon.state, soon.days) == (st.DUE, 3)
    assert due(status=st.IN_PROGRESS, due_on=today, today=today) == st.Due(st.DUE, 0, today)
    # Compliant people are done: a past due date never stands beside "expiring".
    for status in st.COMPLIANT:
        assert due(status=status, due_on=today - timedelta(days=4), today=today).state == st.DONE
    # Overdue here is exactly `is_overdue`.
    for status in st.STATUSES:
        for days in (-3, 0, 3):
            due_on = today + timedelta(days=days)
            assert (due(status=status, due_on=due_on, today=today).state == st.OVERDUE) == (
                st.is_overdue(status=status, due_on=due_on, today=today)
            )


def test_expiring_is_the_renewal_window():
    from certification.rules import RENEWAL_WINDOW_DAYS

    assert st.EXPIRING_DAYS == RENEWAL_WINDOW_DAYS
