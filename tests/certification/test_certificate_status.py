"""A certificate's status has one rule (`rules.status`, behind `Certificate.status`) and one
SQL form (`CertificateQuerySet.with_status`); "current" is one filter (`.current()`, with
`Certificate.is_current` on a loaded row). These tests hold the forms to the same answers on
whichever database runs them (scripts/test.sh runs SQLite and PostgreSQL)."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from certification import rules
from certification.models import Certificate, Program, current_q
from tests.factories import StaffFactory

TODAY = date(2026, 6, 1)
EXPIRIES = (None, -1, 0, 1)  # no expiry, expired yesterday, expires today, tomorrow


@pytest.fixture
def every_kind(db):
    """One certificate for each combination of expiry, revoked and superseded (each held by
    someone else: a person holds one current certificate per program)."""
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    rows = []
    for n, (expires, revoked, superseded) in enumerate(
        itertools.product(EXPIRIES, (False, True), (False, True))
    ):
        person = StaffFactory()
        rows.append(
            Certificate.objects.create(
                program=program,
                user=person.user,
                holder_name=person.name,
                serial=f"KF-2026-{n:06d}",
                code=f"CODE{n:010d}",
                issued_on=date(2025, 6, 1),
                expires_on=None if expires is None else TODAY + timedelta(days=expires),
                revoked_at=timezone.now() if revoked else None,
                superseded_at=timezone.now() if superseded else None,
            )
        )
    return rows


def test_the_sql_status_agrees_with_the_python_status(every_kind):
    in_sql = dict(Certificate.objects.with_status(TODAY).values_list("pk", "status_today"))
    assert in_sql == {row.pk: row.status(TODAY) for row in every_kind}
    assert set(in_sql.values()) == set(rules.STATUSES)  # every status was tried


@pytest.mark.parametrize("status", rules.STATUSES)
def test_filtering_by_the_sql_status_finds_exactly_that_status(every_kind, status):
    found = set(
        Certificate.objects.with_status(TODAY)
        .filter(status_today=status)
        .values_list("pk", flat=True)
    )
    assert found == {row.pk for row in every_kind if row.status(TODAY) == status}


def test_current_means_neither_revoked_nor_superseded(every_kind):
    current = set(Certificate.objects.current().values_list("pk", flat=True))
    assert current == {row.pk for row in every_kind if row.is_current}
    assert current == {
        row.pk for row in every_kind if row.status(TODAY) in (rules.VALID, rules.EXPIRED)
    }
    through_program = Program.objects.filter(current_q("certificates__")).values_list(
        "certificates", flat=True
    )
    assert set(through_program) == current


def test_the_history_is_kept_with_the_new_manager(every_kind):
    row = every_kind[0]
    row.revoked_at = timezone.now()
    row.save()
    assert row.history.count() == 2
    assert not Certificate.objects.current().filter(pk=row.pk).exists()
