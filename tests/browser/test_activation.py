"""In the browser: a supervisor prints the activation sheet of her team from the dashboard,
and the new hire, on a 360 px phone, types his employee number and the code, chooses a
password, accepts the personal-information notice and lands signed in on the home page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import NoticeAcceptance
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_prints_the_sheet_and_a_new_hire_activates_on_a_phone(open_page):
    build_course(modules=1, lessons_per_module=1)
    boss = StaffFactory(user__username="wang", user__roles=["learner", "supervisor"], name="王建国")
    boss.supervised_teams.add(boss.team)
    hire = StaffFactory(team=boss.team, site=boss.site, name="赵新来", employee_number="E20001")
    hire.user.set_unusable_password()
    hire.user.save()
    StaffFactory(team=boss.team, site=boss.site, name="钱已在")  # activated: not ticked

    desk = open_page(DESKTOP)
    log_in(desk, "wang", PASSWORD)
    desk.goto("/supervision/")
    desk.get_by_role("link", name="激活单").click()
    desk.get_by_role("button", name="显示班组").click()
    expect(desk.get_by_label(re.compile("赵新来"))).to_be_checked()
    expect(desk.get_by_label(re.compile("钱已在"))).not_to_be_checked()
    desk.get_by_role("button", name="打印激活单").click()
    slip = desk.locator(".activation-slip")
    expect(slip).to_have_count(1)
    expect(slip.locator(".slip-name")).to_have_text("赵新来")
    code = slip.locator(".slip-code").inner_text()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    screenshot(desk, "activation-sheet")
    desk.emulate_media(media="print")
    expect(desk.locator(".topbar")).to_be_hidden()
    screenshot(desk, "activation-sheet-print")
    desk.emulate_media(media="screen")
    desk.set_viewport_size(PHONE)
    screenshot(desk, "activation-sheet")

    phone = open_page(PHONE)
    phone.goto("/activate/")
    phone.fill("#id_employee_number", "E20001")
    phone.fill("#id_code", code.lower().replace("-", " "))
    screenshot(phone, "activation-code")
    phone.get_by_role("button", name="下一步").click()
    expect(phone.locator("h1")).to_have_text("设置密码")
    expect(phone.locator(".privacy-notice")).to_contain_text("保存多久")
    phone.fill("#id_password", "qianTai-2026-chun")
    phone.fill("#id_password_again", "qianTai-2026-chun")
    phone.get_by_label("我已阅读并同意").check()
    screenshot(phone, "activation-finish")
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    phone.get_by_role("button", name="激活并登录").click()
    expect(phone).to_have_url(re.compile(r"/$"))
    expect(phone.locator(".topnav")).to_be_visible()
    screenshot(phone, "activation-home")
    assert NoticeAcceptance.objects.filter(user=hire.user).exists()

    again = open_page(PHONE)
    again.goto("/activate/")
    again.fill("#id_employee_number", "E20001")
    again.fill("#id_code", code)
    again.get_by_role("button", name="下一步").click()
    expect(again.get_by_role("alert")).to_contain_text("已使用")
