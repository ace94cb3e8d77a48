"""A learner logs in on a phone or a desktop, studies a lesson, marks it done, sees progress."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot, submit_login
from tests.factories import PASSWORD, StaffFactory, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_learner_studies_a_lesson_and_sees_progress(open_page, viewport):
    build_course(modules=2, lessons_per_module=3)
    StaffFactory(user__username="xiaolin", name="林小文")
    page = open_page(viewport)

    page.goto("/")
    expect(page.locator("h1")).to_have_text("登录")
    submit_login(page, "xiaolin", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")

    log_in(page, "xiaolin", PASSWORD)
    expect(page.locator("h1")).to_have_text("我的学习")
    expect(page.locator(".resume")).to_contain_text("模块1第1课")
    screenshot(page, "learner-home-new")

    page.locator(".resume a.button").click()
    expect(page.locator("h1")).to_have_text("模块1第1课")
    screenshot(page, "lesson")
    page.get_by_role("button", name="标记为已完成").click()
    expect(page.locator(".done-mark")).to_have_text("✓ 你已完成本课。")
    expect(page.get_by_role("status")).to_contain_text("已完成《模块1第1课》")

    page.get_by_role("link", name="模块1第2课 →").click()
    expect(page.locator("h1")).to_have_text("模块1第2课")

    page.get_by_role("link", name="我的学习").first.click()
    first_module = page.locator(".module-card").first
    expect(first_module).to_contain_text("已学 1 / 3 课 · 33%")
    expect(first_module).to_contain_text("学习中")
    # the lesson opened last and not yet done is where "continue" leads
    expect(page.locator(".resume")).to_contain_text("从上次离开的地方继续")
    expect(page.locator(".resume")).to_contain_text("模块1第2课")
    screenshot(page, "learner-home-progress")

    # nothing sticks out sideways on a phone
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow


def test_learner_cannot_open_the_admin(open_page):
    build_course(modules=1, lessons_per_module=1)
    StaffFactory(user__username="xiaolin")
    page = open_page()
    log_in(page, "xiaolin", PASSWORD)
    response = page.goto("/admin/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("没有权限")
