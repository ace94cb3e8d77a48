"""Issuing activation codes and activating with them, on the database (SQLite and
PostgreSQL): who may print for whom, re-issue voids, a code works once and not after it
expires, the password follows Django's validators, the notice is accepted once."""

from datetime import timedelta

import pytest
from academy.errors import Kind, Refused
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import notice
from accounts.models import ActivationCode, NoticeAcceptance
from accounts.services import (
    activation_by_code,
    activation_by_token,
    activation_complete,
    activation_issue,
)
from tests.factories import SiteFactory, StaffFactory, TeamFactory, UserFactory, team_supervisor

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "qianTai-2026-chun"


@pytest.fixture
def world():
    site = SiteFactory()
    own, foreign = TeamFactory(site=site), TeamFactory()
    boss = team_supervisor(own)
    hire = StaffFactory(team=own, name="王小明", user__password="!unusable")
    hire.user.set_unusable_password()
    hire.user.save()
    return {
        "boss": boss,
        "hire": hire,
        "colleague": StaffFactory(team=own),
        "stranger": StaffFactory(team=foreign),
        "trainer": UserFactory(roles=["trainer"]),
        "learner": StaffFactory(team=own),
    }


def issue(actor, *people):
    return activation_issue(actor=actor, staff_ids=[person.pk for person in people])


def finish(row, password=NEW_PASSWORD, version=notice.VERSION):
    return activation_complete(
        activation_id=row.pk, password=password, password_again=password, accepted_version=version
    )


def refusal(call) -> Refused:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value


def test_a_supervisor_issues_codes_for_their_team_and_only_digests_are_stored(world):
    issued = issue(world["boss"].user, world["hire"], world["colleague"])
    assert [entry.staff for entry in issued] == sorted(
        [world["hire"], world["colleague"]], key=lambda p: p.employee_number
    )
    row = ActivationCode.objects.get(user=world["hire"].user)
    entry = next(e for e in issued if e.staff == world["hire"])
    assert entry.code not in row.code_digest and entry.token not in row.token_digest
    assert row.issued_by == world["boss"].user
    assert row.expires_at - row.issued_at == timedelta(days=14)


def test_a_supervisor_cannot_issue_for_a_foreign_team_nor_themselves(world):
    boss = world["boss"].user
    assert refusal(lambda: issue(boss, world["hire"], world["stranger"])).kind is Kind.NOT_FOUND
    assert refusal(lambda: issue(boss, world["boss"])).kind is Kind.NOT_FOUND
    assert refusal(lambda: issue(world["learner"].user, world["hire"])).kind is Kind.NOT_FOUND
    assert not ActivationCode.objects.exists()


def test_a_trainer_issues_for_anyone(world):
    assert len(issue(world["trainer"], world["hire"], world["stranger"])) == 2


def test_the_code_or_the_link_leads_to_the_same_activation(world):
    [entry] = issue(world["boss"].user, world["hire"])
    by_code = activation_by_code(
        employee_number=world["hire"].employee_number, code=entry.display_code.lower()
    )
    assert by_code == activation_by_token(entry.token)


def test_activating_sets_the_password_records_the_notice_and_uses_the_code(world):
    [entry] = issue(world["boss"].user, world["hire"])
    user = finish(activation_by_token(entry.token))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    acceptance = NoticeAcceptance.objects.get(user=user)
    assert acceptance.version == notice.VERSION
    again = refusal(lambda: activation_by_token(entry.token))
    assert again.kind is Kind.CONFLICT and "已使用" in again.message
    again = refusal(
        lambda: activation_by_code(employee_number=world["hire"].employee_number, code=entry.code)
    )
    assert "已使用" in again.message


def test_a_code_cannot_be_finished_twice(world):
    [entry] = issue(world["boss"].user, world["hire"])
    row = activation_by_token(entry.token)
    finish(row)
    assert refusal(lambda: finish(row, password="another-Pass-99")).kind is Kind.CONFLICT
    user = get_user_model().objects.get(pk=world["hire"].user_id)
    assert user.check_password(NEW_PASSWORD)


def test_re_issuing_voids_the_old_code(world):
    [old] = issue(world["boss"].user, world["hire"])
    [new] = issue(world["trainer"], world["hire"])
    voided = refusal(lambda: activation_by_token(old.token))
    assert voided.kind is Kind.CONFLICT and "取代" in voided.message
    assert activation_by_token(new.token).user == world["hire"].user
    assert ActivationCode.objects.filter(user=world["hire"].user).count() == 2


def test_an_expired_code_is_refused(world):
    [entry] = issue(world["boss"].user, world["hire"])
    later = timezone.now() + timedelta(days=14, seconds=1)
    expired = refusal(lambda: activation_by_token(entry.token, now=later))
    assert expired.kind is Kind.CONFLICT and "过期" in expired.message


def test_an_unknown_code_reads_like_an_unknown_employee_number(world):
    [entry] = issue(world["boss"].user, world["hire"])
    wrong_code = refusal(
        lambda: activation_by_code(
            employee_number=world["hire"].employee_number,
            code="ZZZZZZZZ" if entry.code != "ZZZZZZZZ" else "YYYYYYYY",
        )
    )
    wrong_person = refusal(lambda: activation_by_code(employee_number="NOBODY", code=entry.code))
    other_person = refusal(
        lambda: activation_by_code(
            employee_number=world["colleague"].employee_number, code=entry.code
        )
    )
    unknown_link = refusal(lambda: activation_by_token("x" * 43))
    assert wrong_code.kind is Kind.NOT_FOUND
    assert wrong_code.message == wrong_person.message == other_person.message
    assert unknown_link.message == wrong_code.message


def test_the_password_follows_djangos_validators_in_chinese(world):
    [entry] = issue(world["boss"].user, world["hire"])
    row = activation_by_token(entry.token)
    weak = refusal(lambda: finish(row, password="12345678"))
    assert weak.kind is Kind.INVALID and "密码" in weak.message
    differ = refusal(
        lambda: activation_complete(
            activation_id=row.pk,
            password=NEW_PASSWORD,
            password_again=NEW_PASSWORD + "x",
            accepted_version=notice.VERSION,
        )
    )
    assert differ.kind is Kind.INVALID
    # Nothing was used up by the refusals.
    assert activation_by_token(entry.token) == row


def test_the_notice_must_be_accepted(world):
    [entry] = issue(world["boss"].user, world["hire"])
    row = activation_by_token(entry.token)
    assert refusal(lambda: finish(row, version="")).kind is Kind.INVALID
    assert refusal(lambda: finish(row, version="2020-old")).kind is Kind.INVALID
    assert not NoticeAcceptance.objects.exists()
    finish(row)
    [again] = issue(world["boss"].user, world["hire"])
    finish(activation_by_token(again.token), password="another-Pass-99")
    assert NoticeAcceptance.objects.filter(user=world["hire"].user).count() == 1


def test_a_sheet_has_a_limit(world, settings):
    from academy import limits

    too_many = list(range(1, limits.ACTIVATION_SHEET + 2))
    refused = refusal(lambda: activation_issue(actor=world["trainer"], staff_ids=too_many))
    assert refused.kind is Kind.INVALID and str(limits.ACTIVATION_SHEET) in refused.message
