"""The activation pages as people meet them: the sheet (supervisor, trainer, foreign team),
the QR link and the typed code, each refusal with its status, the rate limit, and landing
signed in on the home page."""

import re

import pytest
from django.contrib.auth import get_user_model

from accounts.models import ActivationCode
from accounts.services import activation_issue
from tests.factories import SiteFactory, StaffFactory, TeamFactory, UserFactory, team_supervisor

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "qianTai-2026-chun"


@pytest.fixture
def world():
    own, foreign = TeamFactory(site=SiteFactory()), TeamFactory()
    boss = team_supervisor(own)
    hire = StaffFactory(team=own, name="王小明")
    hire.user.set_unusable_password()
    hire.user.save()
    return {
        "own": own,
        "foreign": foreign,
        "boss": boss,
        "hire": hire,
        "stranger": StaffFactory(team=foreign),
    }


def test_a_supervisor_chooses_their_team_and_prints_the_sheet(client, world):
    client.force_login(world["boss"].user)
    page = client.get("/activate/sheet/", {"team": world["own"].pk})
    assert page.status_code == 200
    assert world["hire"].name in page.text and world["stranger"].name not in page.text
    sheet = client.post("/activate/sheet/", {"staff": [world["hire"].pk]})
    assert sheet.status_code == 200
    assert world["hire"].employee_number in sheet.text
    assert 'src="data:image/svg+xml' in sheet.text
    code = re.search(r'class="slip-code">([A-Z2-9]{4}-[A-Z2-9]{4})<', sheet.text).group(1)
    assert ActivationCode.objects.filter(user=world["hire"].user).count() == 1
    assert code.replace("-", "") not in ActivationCode.objects.get().code_digest


def test_a_supervisor_gets_404_for_a_foreign_team(client, world):
    client.force_login(world["boss"].user)
    assert client.get("/activate/sheet/", {"team": world["foreign"].pk}).status_code == 404
    assert client.post("/activate/sheet/", {"staff": [world["stranger"].pk]}).status_code == 404
    assert not ActivationCode.objects.exists()


def test_a_learner_has_no_sheet(client, world):
    client.force_login(world["hire"].user)
    assert client.get("/activate/sheet/").status_code == 404


def test_a_trainer_reaches_the_sheet_from_the_admin_menu(client, world):
    trainer = UserFactory(roles=["trainer"])
    client.force_login(trainer)
    assert '"url": "/activate/sheet/"' in client.get("/admin/").text  # the sidebar's JSON
    page = client.get("/activate/sheet/", {"team": world["foreign"].pk})
    assert world["stranger"].name in page.text


def test_the_dashboard_links_to_the_sheet(client, world):
    client.force_login(world["boss"].user)
    assert "/activate/sheet/" in client.get("/supervision/").text


def activate(client, password=NEW_PASSWORD, accept=True):
    data = {"password": password, "password_again": password}
    if accept:
        data["accept_notice"] = "on"
    return client.post("/activate/finish/", data)


def test_a_new_hire_activates_with_the_typed_code_and_lands_home_signed_in(client, world):
    [entry] = activation_issue(actor=world["boss"].user, staff_ids=[world["hire"].pk])
    typed = client.post(
        "/activate/",
        {"employee_number": world["hire"].employee_number, "code": entry.display_code.lower()},
    )
    assert typed.status_code == 302 and typed.url == "/activate/finish/"
    form = client.get("/activate/finish/")
    assert "个人信息" in form.text
    assert activate(client, accept=False).status_code == 400
    weak = activate(client, password="12345678")
    assert weak.status_code == 400 and "密码" in weak.text
    done = activate(client)
    assert done.status_code == 302 and done.url == "/"
    assert client.get("/").wsgi_request.user == world["hire"].user
    assert get_user_model().objects.get(pk=world["hire"].user_id).check_password(NEW_PASSWORD)


def test_the_qr_link_activates_and_works_once(client, world):
    [entry] = activation_issue(actor=world["boss"].user, staff_ids=[world["hire"].pk])
    link = client.get(f"/activate/{entry.token}/")
    assert link.status_code == 302 and link.url == "/activate/finish/"
    assert activate(client).status_code == 302
    client.logout()
    used = client.get(f"/activate/{entry.token}/")
    assert used.status_code == 409 and "已使用" in used.text


def test_unknown_codes_and_employee_numbers_read_alike(client, world):
    activation_issue(actor=world["boss"].user, staff_ids=[world["hire"].pk])
    wrong_code = client.post(
        "/activate/", {"employee_number": world["hire"].employee_number, "code": "ABCD-EFGH"}
    )
    nobody = client.post("/activate/", {"employee_number": "NOBODY", "code": "ABCD-EFGH"})
    assert wrong_code.status_code == nobody.status_code == 404
    message = "工号与激活码不匹配"
    assert message in wrong_code.text and message in nobody.text
    assert client.get("/activate/finish/").status_code == 302  # nothing to finish


@pytest.mark.usefixtures("frozen_rate_window")
def test_activation_is_rate_limited_per_client(client, world, settings):
    settings.ACTIVATION = {**settings.ACTIVATION, "per_client_per_minute": 3}
    [entry] = activation_issue(actor=world["boss"].user, staff_ids=[world["hire"].pk])
    for _ in range(3):
        client.post("/activate/", {"employee_number": "NOBODY", "code": "ABCD-EFGH"})
    right = client.post(
        "/activate/", {"employee_number": world["hire"].employee_number, "code": entry.code}
    )
    assert right.status_code == 429
    assert client.get(f"/activate/{entry.token}/").status_code == 429
    other = client.post(
        "/activate/",
        {"employee_number": world["hire"].employee_number, "code": entry.code},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_the_login_page_leads_new_staff_to_activation(client, db):
    assert 'href="/activate/"' in client.get("/accounts/login/").text


def test_the_admin_staff_list_links_to_the_sheet(client, world):
    # Trainers have no staff list (their menu item is above); administrators have both.
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    staff_list = client.get("/admin/snippets/staff/staffprofile/").text
    assert 'href="/activate/sheet/"' in staff_list


def test_the_printed_codes_are_not_cached(client, world):
    client.force_login(world["boss"].user)
    sheet = client.post("/activate/sheet/", {"staff": [world["hire"].pk]})
    assert "no-store" in sheet["Cache-Control"]
