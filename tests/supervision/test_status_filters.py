"""The dashboard filters by status and by overdue with conditions PostgreSQL can answer from
indexes (`selectors.status_condition`, `overdue_condition`); over one table of cases they
keep exactly the people whose status the rule gives (`status.program_status`, in SQL
`status_expression`) and who are overdue by the rule (`status.is_overdue`,
`overdue_expression`)."""

from datetime import date, datetime, timedelta
from itertools import product

import pytest
from django.utils import timezone

from certification.models import Certificate, Program
from certification.rules import new_verification_code, serial_number
from supervision import selectors
from supervision import status as st
from supervision.models import ProgramProgress
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
LIMIT = st.expiring_limit(TODAY)
NEVER = "never"
CERTIFICATES = (  # (expires_on, revoked) of the person's latest certificate, or none
    None,
    (NEVER, False),
    (TODAY - timedelta(days=1), False),
    (TODAY, False),
    (LIMIT, False),
    (LIMIT + timedelta(days=1), False),
    (TODAY + timedelta(days=200), True),
    (TODAY - timedelta(days=5), True),
)
PROGRESS = (None, False, True)  # no row, a row not started, a row started
DUE_DATES = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1))


@pytest.fixture
def table():
    """One person per case, all visible to one supervisor; their expected status and
    overdue flag by the Python rule."""
    supervisor = StaffFactory(user__roles=["learner", "supervisor"])
    supervisor.supervised_sites.add(supervisor.site)
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    expected = {supervisor.pk: (st.NOT_STARTED, False)}
    for n, (certificate, started, due_on) in enumerate(product(CERTIFICATES, PROGRESS, DUE_DATES)):
        if started is None and (certificate is not None or due_on is not None):
            continue  # a certificate or a due date comes with a progress row
        person = StaffFactory(site=supervisor.site, team=supervisor.team)
        issued = None
        if certificate is not None:
            expires, revoked = certificate
            issued = Certificate.objects.create(
                program=program,
                user=person.user,
                holder_name=person.name,
                serial=serial_number(2026, n + 1),
                code=new_verification_code(),
                issued_on=TODAY - timedelta(days=300),
                expires_on=None if expires == NEVER else expires,
                revoked_at=timezone.make_aware(datetime(2026, 5, 1)) if revoked else None,
            )
        if started is not None:
            ProgramProgress.objects.create(
                user=person.user,
                program=program,
                certificate=issued,
                started=started,
                due_on=due_on,
            )
        status = st.program_status(
            has_certificate=issued is not None,
            revoked=issued is not None and issued.revoked_at is not None,
            expires_on=issued.expires_on if issued else None,
            started=bool(started),
            today=TODAY,
        )
        expected[person.pk] = (status, st.is_overdue(status=status, due_on=due_on, today=TODAY))
    rows = selectors.program_rows(supervisor.user, program, TODAY)
    return rows, expected


def test_the_status_expression_and_every_status_condition_agree_with_the_rule(table):
    rows, expected = table
    assert {status for status, _overdue in expected.values()} == set(st.STATUSES)
    assert {row.pk: row.status for row in rows} == {
        pk: status for pk, (status, _overdue) in expected.items()
    }
    for status in st.STATUSES:
        kept = set(
            rows.filter(selectors.status_condition(status, TODAY)).values_list("pk", flat=True)
        )
        assert kept == {pk for pk, (s, _overdue) in expected.items() if s == status}, status


def test_the_overdue_forms_the_filters_and_the_counts_agree_with_the_rule(table):
    rows, expected = table
    overdue = {pk for pk, (_status, late) in expected.items() if late}
    assert overdue and len(overdue) < len(expected)
    by_expression = rows.alias(late=selectors.overdue_expression(TODAY)).filter(late=True)
    by_condition = rows.filter(selectors.overdue_condition(TODAY))
    assert set(by_expression.values_list("pk", flat=True)) == overdue
    assert set(by_condition.values_list("pk", flat=True)) == overdue
    # Each filter's row count is what the counts say (the page's paginator reads it there).
    counts = selectors.summary(rows, TODAY)
    for status, late in product(("", *st.STATUSES), (False, True)):
        filters = selectors.Filters(status=status, overdue=late)
        shown = selectors.apply_filters(rows, filters, TODAY).count()
        assert shown == counts.count_of(status=status, overdue=late), filters
        assert shown == sum(
            1 for s, o in expected.values() if (not status or s == status) and (not late or o)
        ), filters
