"""In the browser: somebody holding a printed certificate types its serial number into the
verification page and sees every version, the current one marked; a learner who opens a page
that is not theirs, a mistyped address or a page that breaks gets a friendly Chinese page,
in development as in production; the browser tab shows the academy's icon."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification import services
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, UserFactory, build_course

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


@VIEWPORTS
def test_a_learner_meets_friendly_pages_in_development_and_production(
    open_page, viewport, settings
):
    build_course(modules=1, lessons_per_module=1)
    StaffFactory(user__username="xiaolin", name="林晓雯")
    page = open_page(viewport)
    log_in(page, "xiaolin", PASSWORD)

    for debug in (True, False):  # `manage.py runserver` for the demo, then production
        settings.DEBUG = debug
        page.goto("/supervision/")
        expect(page.locator("h1")).to_have_text("页面不存在")
        expect(page.locator("main")).to_contain_text("请检查网址，或回到首页重新进入。")
        expect(page.locator("body")).not_to_contain_text("Page not found")
        expect(page.locator(".topnav")).to_contain_text("我的学习")  # the site's own frame
        screenshot(page, f"not-found-{'debug' if debug else 'production'}")
    page.get_by_role("link", name="返回我的学习").click()
    expect(page.locator("h1")).to_have_text("我的学习")

    page.goto("/admin/")
    expect(page.locator("h1")).to_have_text("没有权限")
    expect(page.locator("main")).to_contain_text("如工作需要，请联系你的主管或培训管理员。")
    screenshot(page, "no-access")

    settings.DEBUG = True
    visitor = open_page(viewport)
    visitor.goto("/no-such-page/")
    expect(visitor.locator("h1")).to_have_text("页面不存在")
    expect(visitor.get_by_role("link", name="验证证书")).to_be_visible()
    screenshot(visitor, "not-found-visitor")
    visitor.get_by_role("link", name="登录").click()
    expect(visitor.get_by_label("用户名")).to_be_visible()


@VIEWPORTS
def test_a_page_that_breaks_says_so_in_chinese(open_page, viewport, monkeypatch, db):
    import certification.views

    def broken(code):
        raise RuntimeError("the certificate table is on fire")

    monkeypatch.setattr(certification.views, "certificate_by_code", broken)
    page = open_page(viewport)
    page.goto("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/")
    expect(page.locator("h1")).to_have_text("系统出错了")
    expect(page.locator("main")).to_contain_text("错误已被记录")
    expect(page.locator("body")).not_to_contain_text("on fire")
    screenshot(page, "server-error")
    page.get_by_role("link", name="返回首页").click()
    expect(page.locator("h1")).to_have_text("登录")


def test_the_browser_tab_shows_the_academy_icon(open_page, db):
    page = open_page(PHONE)
    page.goto("/verify/")
    icon = page.locator('link[rel=icon][type="image/svg+xml"]').get_attribute("href")
    svg = page.request.get(icon)
    assert svg.status == 200 and svg.headers["content-type"] == "image/svg+xml"
    ico = page.request.get("/favicon.ico")  # asked for by pages that name no icon
    assert ico.status == 200 and ico.headers["content-type"].startswith("image/")
    assert ico.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
