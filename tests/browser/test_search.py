"""In the browser: a learner searches the lessons from the home page (360 and 1280 px) and
sees the hits marked; a trainer finds numbered questions in the question bank."""

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage, ModulePage
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, UserFactory, body, build_course, build_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_learner_searches_lessons_and_sees_the_hits_marked(open_page, viewport):
    build_course(modules=1, lessons_per_module=1)
    module = ModulePage.objects.get(slug="module-1")
    module.add_child(
        instance=LessonPage(
            title="前台电话礼仪速查",
            slug="quick-ref",
            body=body(("paragraph", "<p>铃响三声之内接起，先问好再报单位。</p>")),
        )
    )
    module.add_child(
        instance=LessonPage(
            title="来访接待",
            slug="visitors",
            body=body(
                (
                    "phrase_card",
                    {"situation": "业主打来电话询问停水时间", "say": ["您好，请稍等"]},
                )
            ),
        )
    )
    learner = StaffFactory()
    page = open_page(viewport)
    log_in(page, learner.user.username, PASSWORD)

    page.get_by_role("searchbox", name="搜索课程").fill("电话")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("h1")).to_have_text("搜索课程")
    expect(page.get_by_role("status")).to_have_text("找到 2 个课时")
    hits = page.locator(".search-hit")
    expect(hits.nth(0).locator(".search-hit-title")).to_have_text("前台电话礼仪速查")
    expect(hits.nth(0).locator("mark").first).to_have_text("电话")
    expect(hits.nth(1).locator(".search-hit-excerpt")).to_have_text("业主打来电话询问停水时间")
    expect(hits.nth(1).locator(".search-hit-excerpt mark")).to_have_text("电话")
    expect(page.get_by_role("searchbox", name="搜索课程")).to_have_value("电话")
    # Nothing sticks out of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, "lesson-search")

    hits.nth(1).locator(".search-hit-title").click()
    expect(page.locator("h1")).to_have_text("来访接待")


def test_trainer_finds_numbered_questions_in_the_question_bank(open_page):
    build_course(modules=1, lessons_per_module=1)
    build_quiz("规范用语测验")
    build_quiz("投诉处理小测", specs=("phone",))
    UserFactory(username="teacher", roles=["learner", "trainer"])
    admin = open_page(DESKTOP)
    log_in(admin, "teacher", PASSWORD, path="/admin/login/")

    admin.goto("/admin/snippets/quizzes/question/")
    search = admin.locator("#id_q")
    search.fill("测验")
    search.press("Enter")
    rows = admin.locator("table.listing tbody tr")
    expect(rows).to_have_count(4)
    for n in range(4):
        expect(admin.get_by_role("link", name=f"规范用语测验-{n}", exact=True)).to_be_visible()
    expect(admin.get_by_text("投诉处理小测-0")).to_have_count(0)
    screenshot(admin, "admin-question-search")
