"""In the browser: a member of staff on a 360 px phone presses 企业微信登录, "scans" the fake
WeCom QR code (types their WeCom user id on its page) and lands signed in on their home;
someone whose id is not on the roster sees why not and finds the password form; inside the
WeCom app the login happens without a question."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.factories import StaffFactory, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WECOM_APP = (
    "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
    "Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh"
)


def test_a_member_logs_in_through_the_fake_wecom_on_a_phone(open_page, live_server, workchat):
    build_course(modules=1, lessons_per_module=1)
    StaffFactory(name="张敏", wecom_userid="zhangmin")

    desk = open_page(DESKTOP)
    desk.goto("/accounts/login/")
    expect(desk.get_by_role("button", name="钉钉登录")).to_be_visible()
    screenshot(desk, "login-platforms")

    phone = open_page(PHONE)
    phone.goto("/accounts/login/")
    expect(phone.get_by_role("button", name="企业微信登录")).to_be_visible()
    expect(phone.get_by_role("button", name="钉钉登录")).to_be_visible()
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(phone, "login-platforms")
    phone.get_by_role("button", name="企业微信登录").click()
    expect(phone.locator("h1")).to_have_text("企业微信（模拟）扫码登录")
    phone.fill("#fake-wecom-userid", "zhangmin")
    phone.get_by_role("button", name="确认登录").click()
    expect(phone).to_have_url(live_server.url + "/")
    expect(phone.locator(".topnav")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("张敏")
    screenshot(phone, "wecom-login-home")


def test_an_id_not_on_the_roster_is_refused_and_the_password_form_is_offered(open_page, workchat):
    StaffFactory(name="张敏", wecom_userid="zhangmin")
    phone = open_page(PHONE)
    phone.goto("/accounts/login/")
    phone.get_by_role("button", name="企业微信登录").click()
    phone.fill("#fake-wecom-userid", "lisi")
    phone.get_by_role("button", name="确认登录").click()
    expect(phone.get_by_role("alert")).to_contain_text("“lisi”")
    expect(phone.get_by_role("alert")).to_contain_text("请让主管")
    expect(phone.locator(".topnav")).to_have_count(0)
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(phone, "wecom-login-refused")
    phone.get_by_role("link", name="用账号和密码登录").click()
    expect(phone.locator("#id_password")).to_be_visible()


def test_inside_the_wecom_app_a_link_opens_signed_in_without_a_question(
    open_page, live_server, workchat
):
    StaffFactory(name="张敏", wecom_userid="zhangmin")
    workchat.signed_in["wecom"] = "zhangmin"
    phone = open_page(PHONE, user_agent=WECOM_APP)
    phone.goto("/certificates/")  # e.g. the link of a WeCom reminder card
    # (WeCom's #wechat_redirect fragment rides along through the redirects: harmless.)
    expect(phone).to_have_url(re.compile(re.escape(live_server.url) + r"/certificates/(#.*)?$"))
    expect(phone.locator(".topnav")).to_be_visible()
