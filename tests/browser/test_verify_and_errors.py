"""In the browser: somebody holding a printed certificate types its serial number into the
verification page and sees every version, the current one marked."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification import services
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def verify(page, typed: str) -> None:
    page.get_by_label("证书编号或验证码").fill(typed)
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state()


@VIEWPORTS
def test_a_visitor_verifies_a_certificate_by_the_serial_number_printed_on_it(
    open_page, program, viewport
):
    person = StaffFactory(name="林小雯")
    first = services.certificate_issue(
        user=person.user, program=program, today=timezone.localdate()
    )
    person.name = "林晓雯"  # the name was misspelt: a trainer re-issues the certificate
    person.save()
    second = services.certificate_reissue(
        certificate=first, by=UserFactory(roles=["trainer"]), reason="姓名录入有误"
    )
    _prefix, year, sequence = first.serial.split("-")

    page = open_page(viewport)
    page.goto("/verify/")
    expect(page.locator("#code-help")).to_contain_text("证书编号形如 KF-2026-000005")
    verify(page, f"kf－{year}－{int(sequence)}")  # as a phone's Chinese keyboard types it
    expect(page.get_by_label("证书编号或验证码")).to_have_value(first.serial)
    expect(page.locator(".result-verdict")).to_have_text("有效")
    expect(page.locator(".result")).to_contain_text(f"证书编号 {first.serial}，共 2 个版本")
    versions = page.locator(".certificate-version")
    expect(versions).to_have_count(2)
    newest, oldest = versions.nth(0), versions.nth(1)
    expect(newest.locator("h2")).to_contain_text("第 2 版")
    expect(newest.locator(".current-version")).to_have_text("当前版本")
    expect(newest.locator(".badge.status-valid")).to_have_text("有效")
    expect(newest).to_contain_text("林晓雯")
    expect(oldest.locator("h2")).to_contain_text("第 1 版")
    expect(oldest.locator(".badge.status-superseded")).to_have_text("已被新证书取代")
    expect(oldest).to_contain_text("林小雯")
    expect(oldest.locator(".current-version")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("姓名录入有误")
    expect(page.locator("main")).not_to_contain_text(second.code)
    screenshot(page, "verify-by-serial")

    verify(page, f"KF-{year}-999999")
    expect(page.get_by_role("alert")).to_have_text("查无此证书编号，请核对后再试。")
    expect(page.locator(".certificate-version")).to_have_count(0)
    screenshot(page, "verify-serial-unknown")

    verify(page, second.code.lower())  # the code printed beside it still answers
    expect(page.locator(".result-verdict")).to_have_text("有效")
    expect(page.locator(".verify-facts")).to_contain_text(first.serial)
    expect(page.locator(".certificate-version")).to_have_count(0)
    screenshot(page, "verify-by-code")
