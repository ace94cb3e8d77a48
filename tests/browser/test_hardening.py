"""Journeys through the limits: a learner locked out by wrong passwords is told when to try
again and her supervisor unlocks her; a lesson with a minimum reading time counts down."""

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot, submit_login
from tests.factories import PASSWORD, StaffFactory, UserFactory, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_locked_out_learner_is_told_when_and_her_supervisor_unlocks_her(open_page):
    build_course(modules=1, lessons_per_module=1)
    supervisor = StaffFactory(
        user__username="wang",
        user__roles=["learner", "supervisor"],
        name="王建国",
        position="supervisor",
    )
    supervisor.supervised_sites.add(supervisor.site)
    learner = StaffFactory(
        user__username="xiaolin", name="林晓雯", site=supervisor.site, team=supervisor.team
    )

    phone = open_page(PHONE)
    for attempt in range(5):
        submit_login(phone, "xiaolin", f"wrong-{attempt}")
        expect(phone.get_by_role("alert")).to_be_visible()
    alert = phone.get_by_role("alert")
    expect(alert).to_contain_text("密码错误次数过多，登录已锁定至")
    expect(alert).to_contain_text("请主管或培训师为你解锁")
    screenshot(phone, "login-locked")
    submit_login(phone, "xiaolin", PASSWORD)
    expect(phone.get_by_role("alert")).to_contain_text("登录已锁定")

    trainer = open_page(DESKTOP)
    UserFactory(username="teacher", roles=["learner", "trainer"])
    log_in(trainer, "teacher", PASSWORD, path="/admin/login/")
    trainer.goto("/admin/login-locks/")
    expect(trainer.locator("table.listing").first).to_contain_text("林晓雯")
    screenshot(trainer, "admin-login-locks")

    desk = open_page(DESKTOP)
    log_in(desk, "wang", PASSWORD)
    desk.goto(f"/people/{learner.pk}/")
    expect(desk.locator(".login-locked")).to_contain_text("该账户因多次输错密码，登录已锁定至")
    screenshot(desk, "person-login-locked")
    desk.get_by_role("button", name="立即解锁").click()
    expect(desk.locator(".messages")).to_contain_text("林晓雯 现在可以重新登录了")
    expect(desk.locator(".login-locked")).to_have_count(0)

    log_in(phone, "xiaolin", PASSWORD)
    expect(phone.locator("h1")).to_have_text("我的学习")


def test_a_lesson_with_a_minimum_reading_time_counts_down(open_page):
    build_course(modules=1, lessons_per_module=1)
    LessonPage.objects.update(min_reading_seconds=2)
    StaffFactory(user__username="xiaolin")
    page = open_page(PHONE)
    log_in(page, "xiaolin", PASSWORD)
    page.locator(".resume a.button").click()
    done = page.get_by_role("button", name="标记为已完成")
    expect(done).to_be_disabled()
    expect(page.locator("[data-reading-wait]")).to_contain_text("秒后可标记本课已完成")
    screenshot(page, "lesson-reading-time")
    expect(done).to_be_enabled()  # once the reading time has passed
    done.click()
    expect(page.locator(".done-mark")).to_have_text("✓ 你已完成本课。")
