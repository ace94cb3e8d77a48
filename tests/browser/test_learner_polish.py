"""In the browser, at 360 and 1280 px: addresses a learner can read (pinyin, not %E6…);
the last lesson of a module leads on to its quiz; the role-play starts with 开始演练 and its
result never shows a negative score; dates never break across lines."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from academy.models import Competency
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import CourseIndexPage, LessonPage, ModulePage, ModuleQuiz
from roleplays.services import scenario_import_twee
from supervision.models import Assignment
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.browser.test_roleplays import worst_path
from tests.factories import PASSWORD, StaffFactory, body, build_quiz, ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
STORY = Path(__file__).resolve().parents[1] / "roleplays" / "fixtures" / "twine_story.twee"


def course_as_a_trainer_makes_it():
    """Pages saved with Chinese titles and no slug, as the admin saves them."""
    from wagtail.models import Site as WagtailSite

    root = ensure_tree_roots()
    index = root.add_child(instance=CourseIndexPage(title="课程"))
    WagtailSite.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": index}
    )
    module = index.add_child(instance=ModulePage(title="服务礼仪", summary="仪容仪表与接待"))
    for title in ("仪容仪表", "接待来访"):
        module.add_child(
            instance=LessonPage(title=title, body=body(("paragraph", f"<p>{title}的要点。</p>")))
        )
    quiz = build_quiz("服务礼仪测验", closes_at=timezone.now() + timedelta(days=20))
    ModuleQuiz.objects.create(module=module, quiz=quiz)
    return quiz


def assert_dates_on_one_line(page):
    """Every date is one box: an inline element broken across lines has a box per line."""
    dates = page.locator("time.date")
    expect(dates.first).to_be_visible()
    lines = dates.evaluate_all("els => els.map(el => el.getClientRects().length)")
    assert lines and set(lines) == {1}, lines


def assert_readable_address(page, path: str):
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert page.url.isascii() and "%" not in page.url


@VIEWPORTS
def test_readable_addresses_and_the_last_lesson_leads_to_the_module_quiz(open_page, viewport):
    quiz = course_as_a_trainer_makes_it()
    learner = StaffFactory(name="林晓雯")
    program = _program_with(quiz)
    Assignment.objects.create(
        program=program, team=learner.team, due_on=timezone.localdate() + timedelta(days=9)
    )
    page = open_page(viewport)
    log_in(page, learner.user.username, PASSWORD)

    # home → the module → its last lesson: each address readable
    assert_dates_on_one_line(page)  # the assignment's due date on the home page
    screenshot(page, "home-due-date")
    page.get_by_role("link", name="服务礼仪", exact=True).first.click()
    assert_readable_address(page, "/courses/fu-wu-li-yi/")
    page.get_by_role("link", name="接待来访").first.click()
    assert_readable_address(page, "/courses/fu-wu-li-yi/jie-dai-lai-fang/")

    # the last lesson: next is the module's quiz
    next_step = page.locator(".pager .next-step-link")
    expect(next_step).to_have_text("下一步：模块测验「服务礼仪测验」 →")
    next_step.scroll_into_view_if_needed()
    screenshot(page, "last-lesson-next-quiz")
    next_step.click()
    expect(page.locator("h1")).to_have_text("服务礼仪测验")
    assert_readable_address(page, f"/quizzes/{quiz.pk}/")
    assert_dates_on_one_line(page)  # the quiz's closing date
    screenshot(page, "quiz-dates")


def _program_with(quiz):
    from certification.models import Program, ProgramRequirement

    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    ProgramRequirement.objects.create(program=program, kind="quiz", quiz=quiz, min_percent=80)
    return program


@VIEWPORTS
def test_roleplay_starts_with_its_button_and_scores_never_go_below_zero(open_page, viewport):
    from roleplays import engine

    ensure_tree_roots()
    Competency.objects.create(slug="complaints", name="投诉处理")
    scenario = scenario_import_twee(text=STORY.read_text(encoding="utf-8"), publish=True).scenario
    graph = engine.Graph.from_dict(scenario.live_version.graph)
    learner = StaffFactory()
    page = open_page(viewport)
    log_in(page, learner.user.username, PASSWORD)

    page.locator("header").get_by_role("link", name="情景演练").click()
    page.get_by_role("link", name=scenario.title).click()
    assert_readable_address(page, f"/roleplays/{scenario.slug}/")
    assert scenario.slug.startswith("lou-shang-lou-shui")
    start = page.locator("form[action$='/start/'] button")
    expect(start).to_have_text("开始演练")
    screenshot(page, "roleplay-start")
    start.click()
    for number, key in enumerate(worst_path(graph), start=1):
        page.locator(f"button.reply[value='{key}']").click()
        expect(page.locator(".bubble.learner")).to_have_count(number)
    expect(page.locator(".result-verdict")).to_have_text("未通过")

    # The run lost points (below zero inside the engine): the learner sees 0 of 100.
    from roleplays.models import Run

    run = Run.objects.get(scenario=scenario)
    assert min(run.scores.values()) < 0, run.scores
    rows = page.locator("table.dimensions tr")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert re.search(r"\b\d+ / 100$|不计分$", text.strip()), text
    expect(page.locator(".scale-note")).to_contain_text("每项能力满分 100 分")
    expect(page.locator(".pt.down").first).to_contain_text("扣")
    visible = page.locator("main").inner_text()
    assert not re.search(r"(?<![\w-])[-−]\s?\d", visible), visible
    screenshot(page, "roleplay-result-no-negative")
