"""In the browser, on a 360 px phone: a member of staff imported without a password taps
忘记密码 on the login page, types her employee number, opens the link from the e-mail (the
live server runs in this process, so its mail lands in Django's local-memory outbox), chooses
a password, accepts the personal-information notice, lands signed in, and later logs in with
the new password."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import StaffFactory, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "qianTai-2026-chun"


def fits_the_phone(page) -> bool:
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_staff_member_resets_her_password_by_email_on_a_phone(open_page, mailoutbox):
    build_course(modules=1, lessons_per_module=1)
    mei = StaffFactory(
        name="李美", employee_number="E30001", user__username="limei", user__email="mei@example.com"
    )
    mei.user.set_unusable_password()
    mei.user.save()

    phone = open_page(PHONE)
    phone.goto("/accounts/login/")
    phone.get_by_role("link", name="忘记密码").click()
    expect(phone.locator("h1")).to_have_text("忘记密码？")
    phone.get_by_label("工号、用户名、邮箱或手机号").fill("E30001")
    screenshot(phone, "reset-request")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="发送重置方式").click()
    expect(phone.locator("h1")).to_have_text("请查看邮件或工作应用")
    screenshot(phone, "reset-sent")
    assert fits_the_phone(phone)
    # Someone without e-mail would go on with the code from their work app: the page is
    # there for everybody, with what was typed already filled in.
    phone.get_by_role("link", name="输入重置码").click()
    expect(phone.get_by_label("工号、用户名、邮箱或手机号")).to_have_value("E30001")
    screenshot(phone, "reset-code")
    assert fits_the_phone(phone)

    # The page is shown, so the request that sent the mail has been answered.
    [message] = mailoutbox
    assert message.to == ["mei@example.com"]
    path = re.search(r"https?://[^/\s]+(/accounts/password-reset/link/\S+/)", message.body)[1]
    phone.goto(path)
    expect(phone.locator("h1")).to_have_text("设置新密码")
    expect(phone).to_have_url(re.compile(r"/set-password/$"))  # the token left the address bar
    phone.fill("#id_new_password1", NEW_PASSWORD)
    phone.fill("#id_new_password2", NEW_PASSWORD)
    expect(phone.locator(".privacy-notice")).to_be_visible()
    phone.get_by_label("我已阅读并同意").check()
    screenshot(phone, "reset-password")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="设置密码并登录").click()
    expect(phone).to_have_url(re.compile(r"/$"))
    expect(phone.get_by_role("status")).to_contain_text("新密码已设置")

    phone.get_by_role("button", name="退出").click()
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    log_in(phone, "limei", NEW_PASSWORD)
    expect(phone.locator(".topnav")).to_be_visible()
