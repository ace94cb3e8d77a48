"""A trainer edits a lesson in the Wagtail admin and publishes it; learners see the change."""

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, UserFactory, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_edits_and_publishes_a_lesson(open_page):
    build_course(modules=1, lessons_per_module=2)
    UserFactory(username="teacher", roles=["learner", "trainer"])
    StaffFactory(user__username="xiaolin")
    lesson = LessonPage.objects.order_by("path").first()

    admin = open_page(DESKTOP)
    log_in(admin, "teacher", PASSWORD, path="/admin/login/")
    admin.goto(f"/admin/pages/{lesson.id}/edit/")
    admin.fill("#id_title", "三声之内接起电话")
    admin.fill("#body-0-value", "铃响三声之内必须接听")  # the lesson's first heading block
    admin.locator("footer .w-dropdown__toggle").first.click()
    admin.locator("button[name=action-publish]").click()
    expect(admin.locator(".messages")).to_contain_text("三声之内接起电话")
    screenshot(admin, "trainer-published")

    lesson.refresh_from_db()
    assert lesson.title == "三声之内接起电话" and lesson.live and not lesson.has_unpublished_changes

    learner = open_page(PHONE)
    log_in(learner, "xiaolin", PASSWORD)
    expect(learner.locator(".resume")).to_contain_text("三声之内接起电话")
    learner.locator(".resume a.button").click()
    expect(learner.locator("h1")).to_have_text("三声之内接起电话")
    expect(learner.locator(".block-heading").first).to_have_text("铃响三声之内必须接听")
