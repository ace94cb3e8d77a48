"""A trainer starts from the admin home: sees how many replies wait, clicks through to grade
the oldest, reads the model answer, rubric and the reply's length, grades, and goes on to
the next reply."""

import pytest
from playwright.sync_api import expect

from quizzes.models import AttemptQuestion
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, UserFactory, ensure_tree_roots
from tests.quizzes.test_trainer_home import ESSAY, take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_trainer_grades_from_the_home_panel_and_goes_on_to_the_next(open_page, viewport):
    from tests.factories import build_quiz

    ensure_tree_roots()
    StaffFactory(user=UserFactory(username="laoshi", roles=["learner", "trainer"]), name="陈老师")
    quiz = build_quiz(title="投诉回复", specs=(ESSAY,))
    take(quiz, {1: "王女士您好，非常抱歉，十分钟内到。"}, name="张一")
    take(quiz, {1: "知道了"}, minutes=1, name="李二")

    page = open_page(viewport)
    log_in(page, "laoshi", PASSWORD, path="/admin/login/")
    page.goto("/admin/")
    panel = page.locator("#grading-queue-section")
    expect(panel.locator("[data-home-count=grading]")).to_have_text("2")
    expect(panel.locator("tbody tr").first).to_contain_text("张一")
    screenshot(page, "trainer-home")

    panel.get_by_role("link", name="批改最早的一条").click()
    expect(page.locator(".learner-reply")).to_have_text("王女士您好，非常抱歉，十分钟内到。")
    expect(page.locator(".model-answer")).to_contain_text("范文：王女士您好，给您添麻烦了")
    expect(page.locator(".rubric-table")).to_contain_text("先致歉")
    expect(page.locator("#reply-length")).to_contain_text("17 个字（要求 10–40 字）")
    expect(page.locator("#reply-length")).to_contain_text("长度符合要求")
    page.fill("input[name=points_0]", "3")
    page.fill("input[name=points_1]", "2")
    screenshot(page, "trainer-grading-page")
    page.locator("#grade-submit-next").click()

    expect(page.locator(".grading-meta")).to_contain_text("李二")
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator("#reply-length")).to_contain_text("太短")
    page.fill("input[name=points_0]", "1")
    page.fill("input[name=points_1]", "0")
    page.locator("#grade-submit-next").click()
    expect(page.locator(".messages")).to_contain_text("没有其他待批改的回复了")
    assert not AttemptQuestion.objects.filter(fraction__isnull=True).exists()
    page.goto("/admin/")
    expect(page.locator("#grading-queue-section [data-home-count=grading]")).to_have_text("0")
