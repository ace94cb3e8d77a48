"""Verifying by the serial number printed on a certificate: every version of it, newest
first, the current one marked, with no more than each version's code page shows; counted
per client like a code, and by the hour as well, since serials are counted up one by one."""

import re

import pytest
from django.utils import timezone

from certification import services, views
from certification.models import Certificate
from tests.factories import StaffFactory, UserFactory

TYPED = "  kf－{year}－{sequence} "  # lower case, full-width dashes, spaces around


@pytest.fixture
def reissued(db, program):
    """林晓雯's certificate, re-issued once with her corrected name: (first, second)."""
    person = StaffFactory(name="林小雯", employee_number="E-40417")
    first = services.certificate_issue(
        user=person.user, program=program, today=timezone.localdate()
    )
    person.name = "林晓雯"
    person.save()
    trainer = UserFactory(roles=["trainer"])
    second = services.certificate_reissue(certificate=first, by=trainer, reason="姓名录入有误")
    first.refresh_from_db()
    return first, second


def typed(certificate: Certificate) -> str:
    _prefix, year, sequence = certificate.serial.split("-")
    return TYPED.format(year=year, sequence=int(sequence))  # leading zeros dropped too


def versions_on(page: str) -> list[str]:
    return re.findall(r'<li class="certificate-version[^"]*">(.*?)</li>', page, re.S)


def test_a_typed_serial_shows_every_version_newest_first_the_current_one_marked(
    client, reissued, frozen_rate_window
):
    first, second = reissued
    response = client.get("/verify/", {"code": typed(first)})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{first.serial}"' in page  # the form shows the serial as printed
    assert re.search(r'class="result-verdict">\s*有效', page)
    assert f"证书编号 {first.serial}，共 2 个版本" in page
    newest, oldest = versions_on(page)
    assert "第 2 版" in newest and "当前版本" in newest and "有效" in newest
    assert "林晓雯" in newest and "前台客服上岗认证" in newest
    assert "第 1 版" in oldest and "当前版本" not in oldest and "已被新证书取代" in oldest
    assert "林小雯" in oldest  # the name printed on that version
    assert second.serial == first.serial


def test_a_serial_page_says_no_more_than_the_code_pages(client, reissued, frozen_rate_window):
    first, second = reissued
    page = client.get("/verify/", {"code": first.serial}).content.decode()
    for secret in (first.code, second.code, "E-40417", "姓名录入有误", second.user.username):
        assert secret not in page
    by_serial = client.get(
        f"/verify/{first.serial}/", HTTP_ACCEPT="application/json"
    ).json()  # the address works as well as the form
    assert by_serial["serial"] == first.serial and by_serial["status"] == "valid"
    by_code = [
        client.get(f"/verify/{c.code}/", HTTP_ACCEPT="application/json").json()
        for c in (second, first)
    ]
    # Each version: exactly what its code page answers, plus its number and whether current.
    assert by_serial["versions"] == [
        {"version": 2, "current": True, **by_code[0]},
        {"version": 1, "current": False, **by_code[1]},
    ]
    assert by_code[1]["status"] == "superseded" and by_code[1]["holder"] == "林小雯"


def test_a_revoked_certificate_has_no_current_version(client, reissued, frozen_rate_window):
    first, second = reissued
    supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    supervisor.supervised_sites.add(second.user.staff_profile.site)
    services.certificate_revoke(certificate=second, by=supervisor.user, reason="考核作弊")
    page = client.get("/verify/", {"code": first.serial}).content.decode()
    assert re.search(r'class="result-verdict">\s*已撤销', page)
    assert "当前版本" not in page and "考核作弊" not in page
    assert [("已撤销" in v, "已被新证书取代" in v) for v in versions_on(page)] == [
        (True, False),
        (False, True),
    ]


def test_an_unknown_serial_is_not_found_in_chinese(client, reissued, frozen_rate_window):
    response = client.get("/verify/", {"code": "KF-2026-999999"})
    assert response.status_code == 404
    assert "查无此证书编号，请核对后再试。" in response.content.decode()
    json = client.get("/verify/KF-2026-999999/", HTTP_ACCEPT="application/json")
    assert json.status_code == 404 and json.json() == {"error": "查无此证书编号，请核对后再试。"}


def test_the_short_code_still_answers_with_its_one_version(client, reissued, frozen_rate_window):
    first, _second = reissued
    page = client.get("/verify/", {"code": first.code.lower()}).content.decode()
    assert re.search(r'class="result-verdict">\s*已被新证书取代', page)
    assert "林小雯" in page and first.serial in page and "当前版本" not in page


def test_serial_look_ups_count_with_code_look_ups_per_minute(client, reissued, frozen_rate_window):
    first, _second = reissued
    fake_code = "ABCDEFGHJKLMNPQRSTUVWXYZ23"
    statuses = [client.get(f"/verify/{fake_code}/").status_code for _ in range(25)]
    statuses += [client.get("/verify/", {"code": first.serial}).status_code for _ in range(5)]
    assert set(statuses[:25]) == {404} and set(statuses[25:]) == {200}
    over = client.get("/verify/", {"code": first.serial})
    assert over.status_code == 429 and "请一分钟后再试" in over.content.decode()
    assert client.get(f"/verify/{first.code}/").status_code == 429


def test_serial_look_ups_have_a_tighter_limit_by_the_hour(client, reissued, frozen_rate_window):
    first, _second = reissued
    limit = views.SERIAL_RATE_LIMIT_PER_HOUR
    assert limit < views.RATE_LIMIT  # reached before the limit shared with codes
    statuses = [client.get("/verify/", {"code": first.serial}).status_code for _ in range(limit)]
    assert set(statuses) == {200}
    over = client.get("/verify/", {"code": "KF-2026-999999"})  # any serial, known or not
    assert over.status_code == 429 and "改用证书上印的验证码或二维码" in over.content.decode()
    json = client.get("/verify/", {"code": first.serial}, HTTP_ACCEPT="application/json")
    assert json.status_code == 429
    # The code printed beside the serial still answers.
    assert client.get(f"/verify/{first.code}/").status_code == 200
