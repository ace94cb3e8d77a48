"""In the browser: a learner fails, retakes and passes each demo quiz; a trainer grades the
written reply; a trainer imports a GIFT file written for Moodle and finds its questions."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.grading import matching_answer_id
from quizzes.models import Attempt, Question, Quiz
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, UserFactory, ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[1] / "quizzes" / "fixtures"


def answer_everything_right(page, attempt: Attempt) -> None:
    """Answer through the page's own controls, using the key the server keeps."""
    for question in attempt.questions.select_related("version").order_by("position"):
        spec, n = question.version.spec, question.position
        kind = spec["kind"]
        if kind == "single":
            right = max(spec["choices"], key=lambda c: c["fraction"])
            page.check(f"input[name=q{n}][value='{right['id']}']")
        elif kind == "multiple":
            for choice in spec["choices"]:
                if choice["fraction"] > 0:
                    page.check(f"input[name=q{n}][value='{choice['id']}']")
        elif kind == "truefalse":
            page.check(f"input[name=q{n}][value='{'true' if spec['answer'] else 'false'}']")
        elif kind == "ordering":
            items = page.locator(f"#q{n} ol.ordering > li")
            for target, item in enumerate(spec["items"]):
                while True:
                    ids = items.evaluate_all("(els) => els.map((e) => e.dataset.id)")
                    if ids.index(item["id"]) == target:
                        break
                    page.locator(f"#q{n} li[data-id='{item['id']}'] button[data-move=up]").click()
        elif kind == "matching":
            for pair in spec["pairs"]:
                if pair["prompt"]:
                    page.select_option(
                        f"select[name='q{n}-{pair['id']}']", matching_answer_id(pair["answer"])
                    )
        elif kind == "shortanswer":
            best = max(spec["answers"], key=lambda a: a["fraction"])
            page.fill(f"input[name=q{n}]", best["text"].replace("*", ""))
        elif kind == "numeric":
            best = max(spec["answers"], key=lambda a: a["fraction"])
            page.fill(f"input[name=q{n}]", f"{best['value']:g}")
        elif kind == "essay":
            page.fill(
                f"textarea[name=q{n}]",
                "王女士您好，非常抱歉给您带来困扰。我们今天下午三点前上门查看，"
                "由物业牵头协调楼上住户，处理后我会回访您。",
            )


def start_attempt(page, quiz: Quiz) -> Attempt:
    page.goto(f"/quizzes/{quiz.pk}/")
    page.locator("form[action$='/start/'] button").click()
    return shown_attempt(page)


def shown_attempt(page) -> Attempt:
    """The attempt the page shows, once it shows one."""
    form = page.locator("#attempt-form")
    expect(form).to_be_visible()
    return Attempt.objects.get(pk=form.get_attribute("data-attempt"))


def submit(page) -> None:
    """Submit once the page has no answer left to autosave (its data-pending flag), so
    that no autosave request is still under way beside the submission: through the
    submit check, then its confirmation."""
    expect(page.locator("#attempt-form[data-pending='1']")).to_have_count(0)
    page.locator("#submit-attempt").click()
    page.locator("#confirm-submit").click()
    expect(page.locator(".result")).to_be_visible()


def test_learner_fails_retakes_and_passes_every_demo_quiz(open_page):
    ensure_tree_roots()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = open_page(PHONE)
    log_in(page, "learner", "kefu-learner")
    # The home page shows each module's quiz.
    expect(page.locator(".quiz-line")).to_have_count(4)

    for quiz in Quiz.objects.order_by("pk"):
        first = start_attempt(page, quiz)
        submit(page)  # nothing answered
        expect(page.locator(".result-verdict")).to_have_text("未通过")
        first.refresh_from_db()
        assert first.passed is False

        page.locator(".result-actions form button").click()  # 再试一次
        expect(page.locator(".crumbs")).to_contain_text("第 2 次作答")
        second = shown_attempt(page)
        assert second.number == 2 and second.quiz == quiz
        answer_everything_right(page, second)
        expect(page.locator("#attempt-form")).to_have_attribute("data-pending", "0")
        expect(page.locator("#save-state")).to_contain_text("已保存")
        if quiz.slots.filter(category__isnull=False).exists():
            page.reload()  # autosaved answers come back after a reload
        submit(page)
        second.refresh_from_db()
        if second.state == "awaiting_grading":
            expect(page.locator(".result-verdict")).to_have_text("等待培训师评分")
            screenshot(page, "quiz-awaiting-grading")
            grade_written_replies_as_trainer(open_page)
            page.reload()
            second.refresh_from_db()
        wrong = [
            (q.version.spec["kind"], q.state, q.response)
            for q in second.questions.select_related("version")
            if q.state != "correct"
        ]
        assert second.passed is True and not wrong, (quiz.title, second.percent, wrong)
        expect(page.locator(".result-verdict")).to_have_text("通过")
        expect(page.locator(".result-score")).to_contain_text("100%")
        if quiz.title == "规范用语测验":
            screenshot(page, "quiz-review")

    page.goto("/")
    expect(page.locator(".quiz-line", has_text="通过")).to_have_count(4)
    screenshot(page, "home-with-quizzes")
    page.set_viewport_size(DESKTOP)
    quiz = Quiz.objects.get(title="服务礼仪测验")
    page.goto(f"/quizzes/{quiz.pk}/")
    screenshot(page, "quiz-detail")


def grade_written_replies_as_trainer(open_page) -> None:
    admin = open_page(DESKTOP)
    log_in(admin, "trainer", "kefu-trainer", path="/admin/login/")
    admin.goto("/admin/quiz-tools/grading/")
    admin.locator("a", has_text="评分").first.click()
    expect(admin.locator("input[name=points_0]")).to_be_visible()
    for field in admin.locator("input[name^=points_]").all():
        field.fill(field.get_attribute("max") or "0")
    admin.fill("textarea[name=comment]", "致歉诚恳，时限明确。")
    screenshot(admin, "trainer-grades-reply")
    admin.locator("#grade-submit").click()
    expect(admin.locator(".messages")).to_contain_text("已保存")
    admin.close()


def test_trainer_imports_a_moodle_gift_file_and_sees_its_questions(open_page):
    ensure_tree_roots()
    UserFactory(username="teacher", roles=["learner", "trainer"])
    admin = open_page(DESKTOP)
    log_in(admin, "teacher", PASSWORD, path="/admin/login/")
    admin.goto("/admin/quiz-tools/import/")
    admin.set_input_files("input[type=file]", str(FIXTURES / "moodle_sample.gift"))
    admin.locator("#import-submit").click()
    expect(admin.locator(".messages")).to_contain_text("道新题")
    imported = Question.objects.count()
    assert imported >= 5
    some = Question.objects.order_by("pk").first()
    expect(admin.locator("table.listing")).to_contain_text(some.name)
    screenshot(admin, "trainer-imported-gift")

    # A broken file names the problem and imports nothing.
    broken = FIXTURES / "broken_import.gift"
    admin.goto("/admin/quiz-tools/import/")
    admin.set_input_files("input[type=file]", str(broken))
    admin.locator("#import-submit").click()
    expect(admin.locator(".import-problems")).to_contain_text("行")
    assert Question.objects.count() == imported
