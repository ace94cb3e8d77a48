"""A supervisor resets a person's access from the person page: a new activation code on a
one-person sheet, the old code void, who did it recorded; their own staff only (a trainer,
anyone's), and the person then activates with the new code."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model

from accounts.models import ActivationCode
from accounts.services import activation_issue
from tests.factories import (
    PASSWORD,
    SiteFactory,
    StaffFactory,
    TeamFactory,
    UserFactory,
    team_supervisor,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "qianTai-2026-chun"


@pytest.fixture
def world():
    own, foreign = TeamFactory(site=SiteFactory()), TeamFactory()
    boss, other_boss = team_supervisor(own), team_supervisor(foreign)
    return {
        "boss": boss,
        "other_boss": other_boss,
        "member": StaffFactory(team=own, name="周敏", employee_number="E4001"),
    }


def reset(client, person):
    return client.post(f"/activate/reset/{person.pk}/")


def test_the_person_page_offers_the_reset_to_their_supervisor_only(client, world):
    page = f"/people/{world['member'].pk}/"
    client.force_login(world["boss"].user)
    assert "重置登录" in client.get(page).text
    client.force_login(world["member"].user)
    assert "重置登录" not in client.get(page).text  # their own record: no reset


def test_a_supervisor_resets_a_login_and_gets_a_one_person_sheet(client, world, caplog):
    member = world["member"]
    [old] = activation_issue(actor=world["boss"].user, staff_ids=[member.pk])
    client.force_login(world["boss"].user)
    with caplog.at_level(logging.INFO, logger="academy.security"):
        sheet = reset(client, member)
    assert sheet.status_code == 200 and "no-store" in sheet["Cache-Control"]
    assert sheet.text.count('class="activation-slip"') == 1 and "周敏" in sheet.text
    code = re.search(r'class="slip-code">([A-Z2-9]{4}-[A-Z2-9]{4})<', sheet.text).group(1)
    rows = ActivationCode.objects.filter(user=member.user).order_by("issued_at", "pk")
    assert [row.voided_at is not None for row in rows] == [True, False]
    assert rows.last().issued_by == world["boss"].user
    assert "E4001" in caplog.text and world["boss"].user.get_username() in caplog.text

    # The old sheet no longer works; the new one lets the person choose a new password.
    client.logout()
    stale = client.post("/activate/", {"employee_number": "E4001", "code": old.display_code})
    assert stale.status_code == 409
    typed = client.post("/activate/", {"employee_number": "E4001", "code": code})
    assert typed.status_code == 302
    done = client.post(
        "/activate/finish/",
        {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "accept_notice": "on"},
    )
    assert done.status_code == 302
    user = get_user_model().objects.get(pk=member.user_id)
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)


def test_a_supervisor_of_another_team_is_refused(client, world):
    client.force_login(world["other_boss"].user)
    assert reset(client, world["member"]).status_code == 404
    assert client.get(f"/people/{world['member'].pk}/").status_code == 404
    assert not ActivationCode.objects.exists()


def test_a_learner_cannot_reset_anybody(client, world):
    colleague = StaffFactory(team=world["member"].team)
    client.force_login(colleague.user)
    assert reset(client, world["member"]).status_code == 404
    assert not ActivationCode.objects.exists()


def test_a_trainer_resets_anyone(client, world):
    trainer = UserFactory(roles=["trainer"])
    client.force_login(trainer)
    assert reset(client, world["other_boss"]).status_code == 200
    assert ActivationCode.objects.get().issued_by == trainer


def test_a_reset_is_a_post(client, world):
    client.force_login(world["boss"].user)
    assert client.get(f"/activate/reset/{world['member'].pk}/").status_code == 405
    assert not ActivationCode.objects.exists()
