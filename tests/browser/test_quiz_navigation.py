"""In the browser, at 360 and 1280 px: a paged quiz with its navigator and flags, the submit
check, a time-out, an ordering question answered without JavaScript, and a written reply
waiting for a trainer and then graded (issue 16, items 5 and 6)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, RIGHT_ANSWERS, UserFactory, build_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]

STEPS = {
    "kind": "ordering",
    "text": "<p>业主报修漏水，处理的先后顺序是？</p>",
    "items": [
        {"id": "s-receive", "text": "接听并记录"},
        {"id": "s-dispatch", "text": "派单给维修"},
        {"id": "s-repair", "text": "上门处理"},
        {"id": "s-visit", "text": "回访业主"},
    ],
}
ESSAY = {
    "kind": "essay",
    "text": "<p>业主投诉楼上漏水，请写一段回复。</p>",
    "general_feedback": "<p>范文：王女士您好，非常抱歉给您带来困扰……</p>",
    "rubric": [{"criterion": "先致歉", "points": 3}, {"criterion": "承诺处理时限", "points": 2}],
}


def learner_page(open_page, viewport, **options):
    UserFactory(username="xiaowen")
    page = open_page(viewport, **options)
    log_in(page, "xiaowen", PASSWORD)
    return page


def start(page, quiz) -> Attempt:
    page.goto(f"/quizzes/{quiz.pk}/")
    page.locator("form[action$='/start/'] button").click()
    form = page.locator("#attempt-form")
    expect(form).to_be_visible()
    return Attempt.objects.get(pk=form.get_attribute("data-attempt"))


def nav(page, n):
    return page.locator(f".navigator .nav-q[data-position='{n}']")


def settled(page):
    """No answer of this page is still on its way to the server."""
    expect(page.locator("#attempt-form[data-pending='1']")).to_have_count(0)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_paged_quiz_with_navigator_flags_and_the_submit_check(open_page, viewport):
    quiz = build_quiz(questions_per_page=2)
    page = learner_page(open_page, viewport)
    start(page, quiz)
    expect(page.locator("fieldset.question")).to_have_count(2)
    expect(page.locator(".quiz-pager")).to_contain_text("第 1 / 2 页")
    expect(page.locator(".navigator .nav-q")).to_have_count(4)
    for n in (1, 2, 3, 4):
        expect(nav(page, n)).to_have_class("nav-q unanswered" + (" current" if n < 3 else ""))

    page.check(f"input[name=q1][value='{RIGHT_ANSWERS['phone']}']")
    page.locator("#q2 input[name=flag]").check()
    expect(nav(page, 1)).to_contain_class("answered")
    expect(nav(page, 2)).to_contain_class("flagged")
    settled(page)
    screenshot(page, "quiz-nav-page-1")

    page.locator("#next-page").click()
    expect(page.locator(".quiz-pager")).to_contain_text("第 2 / 2 页")
    expect(page.locator("#q3")).to_be_visible()
    expect(page.locator("#q1")).to_have_count(0)
    # The server kept page 1: answered, and flagged.
    expect(nav(page, 1)).to_have_class("nav-q answered")
    expect(nav(page, 2)).to_have_class("nav-q unanswered flagged")
    page.fill("input[name=q3]", RIGHT_ANSWERS["tea"])
    settled(page)

    page.locator("#submit-attempt").click()
    expect(page.locator("h1")).to_have_text("检查并提交")
    expect(page.locator(".check-count")).to_have_text("已答 2 / 4 题。")
    expect(page.locator("#unanswered li")).to_have_text(["第 2 题", "第 4 题"])
    expect(page.locator("#flagged li")).to_have_text(["第 2 题"])
    screenshot(page, "quiz-submit-check")

    # Back to question 2 from the list, answer it, and look again.
    page.locator("#unanswered a", has_text="第 2 题").click()
    expect(page.locator("#q2")).to_be_visible()
    expect(page.locator("#q2 input[name=flag]")).to_be_checked()
    for choice in RIGHT_ANSWERS["courtesy"]:
        page.check(f"input[name=q2][value='{choice}']")
    page.locator("#q2 input[name=flag]").uncheck()
    settled(page)
    page.locator("#submit-attempt").click()
    expect(page.locator("#unanswered li")).to_have_text(["第 4 题"])
    expect(page.locator("#flagged")).to_have_count(0)
    page.locator("#confirm-submit").click()

    expect(page.locator(".result-verdict")).to_have_text("通过")
    expect(page.locator(".result-score")).to_contain_text("75%")
    expect(page.locator("#time-up")).to_have_count(0)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_time_out_on_the_next_page_without_javascript(open_page, viewport):
    quiz = build_quiz(time_limit_minutes=10, questions_per_page=2)
    page = learner_page(open_page, viewport, java_script_enabled=False)
    attempt = start(page, quiz)
    expect(page.locator("#timer b")).to_have_text(re.compile(r"^(10:00|9:5\d)$"))  # by the server
    page.check(f"input[name=q1][value='{RIGHT_ANSWERS['phone']}']")
    # The learner keeps going long after the time limit (the clock is moved, not waited for).
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    page.locator("#next-page").click()
    expect(page.locator("#time-up")).to_have_text("时间到，已自动提交。")
    expect(page.locator(".messages")).to_contain_text("截止前保存的答案")
    screenshot(page, "quiz-time-up")


def test_time_out_by_the_pages_countdown(open_page):
    quiz = build_quiz(time_limit_minutes=10)
    page = learner_page(open_page, PHONE)
    attempt = start(page, quiz)
    page.check(f"input[name=q1][value='{RIGHT_ANSWERS['phone']}']")
    settled(page)
    # Three seconds left: the countdown reaches 0 and submits the page by itself.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    page.reload()
    expect(page.locator("#time-up")).to_have_text("时间到，已自动提交。")
    attempt.refresh_from_db()
    assert attempt.submitted_late and attempt.points == 1.0


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_ordering_question_answered_without_javascript(open_page, viewport):
    quiz = build_quiz(specs=(STEPS, "phone"))
    page = learner_page(open_page, viewport, java_script_enabled=False)
    start(page, quiz)
    expect(page.locator("#q1 .step-moves").first).to_be_hidden()  # arrows need the script
    expect(nav(page, 1)).to_have_class("nav-q unanswered")
    for place, step in enumerate(STEPS["items"], start=1):
        page.select_option(f"select[name='q1-{step['id']}']", str(place))
    screenshot(page, "quiz-ordering-no-js")
    page.locator("#submit-attempt").click()
    expect(page.locator("#unanswered li")).to_have_text(["第 2 题"])
    page.locator("#back-to-questions").click()
    # Shown again in the order given, with the places chosen.
    expect(page.locator("#q1 .step-text")).to_have_text([s["text"] for s in STEPS["items"]])
    expect(nav(page, 1)).to_contain_class("answered")
    page.locator("#submit-attempt").click()
    page.locator("#confirm-submit").click()
    expect(page.locator("#review-1 .verdict")).to_contain_text("正确")


def test_ordering_with_javascript_moves_steps_and_their_places_follow(open_page):
    quiz = build_quiz(specs=(STEPS,))
    page = learner_page(open_page, DESKTOP)
    attempt = start(page, quiz)
    shown = attempt.questions.get().option_order
    first = page.locator("#q1 ol.ordering > li").first
    expect(first.locator(".step-moves")).to_be_visible()
    first.locator("button[data-move=down]").click()
    expected = [shown[1], shown[0], *shown[2:]]
    ids = page.locator("#q1 ol.ordering > li").evaluate_all("els => els.map(e => e.dataset.id)")
    assert ids == expected
    for place, step_id in enumerate(expected, start=1):
        expect(page.locator(f"select[name='q1-{step_id}']")).to_have_value(str(place))
    # Choosing a place moves the step there.
    page.select_option(f"select[name='q1-{expected[3]}']", "1")
    expect(page.locator("#q1 ol.ordering > li").first).to_have_attribute("data-id", expected[3])
    settled(page)
    question = attempt.questions.get()
    question.refresh_from_db()
    assert question.response == [expected[3], *expected[:3]]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_written_reply_waits_for_the_trainer_then_shows_the_points(open_page, viewport):
    quiz = build_quiz(specs=("phone", ESSAY), pass_mark=60)
    page = learner_page(open_page, viewport)
    attempt = start(page, quiz)
    page.check(f"input[name=q1][value='{RIGHT_ANSWERS['phone']}']")
    page.fill("textarea[name=q2]", "王女士您好，非常抱歉给您带来困扰，今天下午三点前上门处理。")
    settled(page)
    page.locator("#submit-attempt").click()
    page.locator("#confirm-submit").click()

    expect(page.locator(".result-verdict")).to_have_text("等待培训师评分")
    expect(page.locator("#review-held")).to_be_visible()
    expect(page.locator("#review-2 .verdict")).to_contain_text("批改中")
    expect(page.locator("main")).not_to_contain_text("先致歉")
    expect(page.locator("main")).not_to_contain_text("范文")
    expect(page.locator(".result-actions")).to_contain_text("待批改：批改后可再次作答。")
    screenshot(page, "quiz-reply-awaiting")
    page.goto(f"/quizzes/{quiz.pk}/")
    expect(page.locator("#start-refusal")).to_have_text("待批改：批改后可再次作答。")
    expect(page.locator("form[action$='/start/']")).to_have_count(0)
    screenshot(page, "quiz-detail-awaiting")

    grade_as_trainer(open_page, attempt)

    page.goto(f"/quizzes/attempts/{attempt.pk}/review/")
    expect(page.locator(".result-verdict")).to_have_text("通过")
    rows = page.locator("#review-2 table.rubric-points tbody tr")
    expect(rows).to_have_text(["先致歉3 / 3", "承诺处理时限1 / 2"])
    expect(page.locator("#review-2 table.rubric-points tfoot")).to_contain_text("4 / 5")
    expect(page.locator("#review-2 .grader-comment")).to_contain_text("时限要具体到几点。")
    expect(page.locator("#review-2 .explanation")).to_contain_text("范文")
    screenshot(page, "quiz-reply-graded")
    page.goto(f"/quizzes/{quiz.pk}/")
    expect(page.locator("form[action$='/start/'] button")).to_have_text("再试一次")


def grade_as_trainer(open_page, attempt) -> None:
    UserFactory(username="trainer-li", roles=["learner", "trainer"])
    admin = open_page(DESKTOP)
    log_in(admin, "trainer-li", PASSWORD, path="/admin/login/")
    reply = attempt.questions.get(position=2)
    admin.goto(f"/admin/quiz-tools/grading/{reply.pk}/")
    admin.fill("input[name=points_0]", "3")
    admin.fill("input[name=points_1]", "1")
    admin.fill("textarea[name=comment]", "致歉诚恳；时限要具体到几点。")
    admin.locator("#grade-submit").click()
    expect(admin.locator(".messages")).to_contain_text("已保存")
    admin.close()
