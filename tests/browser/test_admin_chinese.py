"""A trainer works in the Wagtail admin in Chinese, including what its scripts write."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, UserFactory, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_trainer_sees_the_admin_and_its_scripts_in_chinese(open_page, viewport):
    lesson = build_course(modules=1, lessons_per_module=1).get_children().first()
    lesson = lesson.get_children().first()
    UserFactory(username="teacher", roles=["learner", "trainer"])

    page = open_page(viewport)
    log_in(page, "teacher", PASSWORD, path="/admin/login/")
    expect(page.locator("#id_q")).to_have_attribute("placeholder", "搜索全部页面…")

    # The block editor is drawn by Wagtail's scripts, with the texts of /admin/jsi18n/.
    page.goto(f"/admin/pages/{lesson.id}/edit/")
    expect(page.get_by_role("button", name="插入内容块").first).to_be_attached()
    expect(page.get_by_text("Insert a block")).to_have_count(0)
    screenshot(page, "admin-chinese-editor")

    # A form with an error: the script shows the button that leads to it.
    page.goto("/admin/snippets/quizzes/questioncategory/add/")
    page.locator("footer button[type=submit]").first.click()
    expect(page.get_by_role("button", name="跳到第一个错误")).to_be_visible()
    expect(page.get_by_text("Go to the first error")).to_have_count(0)
    screenshot(page, "admin-chinese-first-error")
