"""In the browser, at 360 and 1280 px: every page words a status by the same rule (issue 16,
items 1–3 and 12). A quiz waiting for its grade, a role-play passed then failed, a
certificate after a lesson was added, the requirement list and its links, overdue
assignments, renewing before expiry, and the supervisor's view of what a person misses."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification import rules
from certification.models import Certificate, Program, ProgramRequirement
from certification.services import certificate_issue
from courses.models import LessonPage, ModulePage, ModuleQuiz
from quizzes.models import Attempt
from roleplays import services as roleplay_services
from supervision.models import Assignment
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.browser.test_quizzes import answer_everything_right, start_attempt, submit
from tests.factories import (
    PASSWORD,
    StaffFactory,
    TeamFactory,
    UserFactory,
    body,
    build_course,
    build_quiz,
    build_scenario,
    complete_lesson,
    ensure_tree_roots,
    team_supervisor,
)
from tests.roleplays.test_engine import leak_graph

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = (PHONE, DESKTOP)
ESSAY = {
    "kind": "essay",
    "text": "<p>业主投诉漏水，请写出你的回复。</p>",
    "rubric": [{"criterion": "致歉", "points": 3}, {"criterion": "承诺时限", "points": 2}],
}


class World:
    """One module of three lessons with a quiz, a role-play, a program requiring the
    module, the quiz, the role-play and an observation, and a learner with a supervisor."""

    def __init__(self, *, quiz=None, observation=True):
        ensure_tree_roots()
        build_course(modules=1, lessons_per_module=3)
        self.module = ModulePage.objects.get(slug="module-1")
        self.quiz = quiz or build_quiz(pass_mark=80)
        ModuleQuiz.objects.create(module=self.module, quiz=self.quiz, sort_order=0)
        self.scenario = build_scenario(leak_graph().to_dict(), pass_mark=40)
        self.program = Program.objects.create(
            name="前台客服上岗认证", code="front-desk", validity_months=12
        )
        kinds = [
            ("lessons", {"module": self.module}),
            ("quiz", {"quiz": self.quiz, "min_percent": 80}),
            ("roleplay", {"scenario": self.scenario}),
        ] + ([("observation", {})] if observation else [])
        for order, (kind, fields) in enumerate(kinds):
            ProgramRequirement.objects.create(
                program=self.program, kind=kind, sort_order=order, **fields
            )
        team = TeamFactory()
        self.learner = StaffFactory(name="林小文", team=team, user=UserFactory(username="lin"))
        self.boss = team_supervisor(team, name="周主管")
        self.lessons = list(LessonPage.objects.live().descendant_of(self.module).order_by("path"))

    def play(self, *choices):
        user = self.learner.user
        run = roleplay_services.run_replay(user=user, scenario=self.scenario)
        for key in choices:
            run = roleplay_services.run_choose(
                user=user, run_id=run.pk, node=run.current_node, choice=key
            )
        return run

    def pages(self, open_page, username="lin"):
        for viewport in VIEWPORTS:
            page = open_page(viewport)
            log_in(page, username, PASSWORD)
            yield page


def no_overflow(page) -> None:
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def requirement(page, text: str):
    return page.locator(".requirements li", has_text=text)


def test_a_quiz_waiting_for_its_grade_reads_awaiting_grading_everywhere(open_page):
    world = World(quiz=build_quiz(title="书面回复测验", specs=(ESSAY,), pass_mark=60))
    phone, desktop = world.pages(open_page)

    attempt = start_attempt(phone, world.quiz)
    answer_everything_right(phone, attempt)
    submit(phone)
    attempt.refresh_from_db()
    assert attempt.state == "awaiting_grading"

    for page in (phone, desktop):
        page.goto("/")
        line = page.locator(".quiz-line", has_text="书面回复测验")
        expect(line).to_contain_text("待批改")
        expect(line).not_to_contain_text("尚未作答")
        screenshot(page, "status-home-awaiting-grading")
        page.goto("/certificates/")
        row = requirement(page, "书面回复测验")
        expect(row.locator(".requirement-progress")).to_have_text("待批改")
        screenshot(page, "status-certificates-awaiting-grading")
        no_overflow(page)


def test_the_role_play_list_shows_the_best_run_and_the_latest(open_page):
    world = World()
    passed = world.play("a", "c")
    failed = world.play("b", "f")
    assert passed.passed and not failed.passed

    for page in world.pages(open_page):
        page.goto("/roleplays/")
        card = page.locator(".roleplay-card", has_text="漏水投诉")
        expect(card.locator(".badge")).to_have_text("通过")  # not 未通过: the best run counts
        expect(card.locator(".best")).to_have_text("最好成绩 100% · 已通过")
        expect(card.locator(".latest")).to_contain_text("最近一次")
        expect(card.locator(".latest")).to_contain_text("未通过")
        screenshot(page, "status-roleplays-best-and-latest")
        no_overflow(page)
        # /certificates/ agrees: the role-play requirement is met.
        page.goto("/certificates/")
        expect(requirement(page, "漏水投诉")).to_have_class(re.compile(r"\brequirement-met\b"))


def test_a_certified_person_keeps_the_certificate_when_a_lesson_is_added(open_page):
    world = World(observation=False)
    user = world.learner.user
    for lesson in world.lessons:
        complete_lesson(user=user, lesson=lesson)
    world.play("a", "c")
    phone, desktop = world.pages(open_page)
    attempt = start_attempt(phone, world.quiz)
    answer_everything_right(phone, attempt)
    submit(phone)
    certificate = Certificate.objects.get(user=user)

    world.module.add_child(
        instance=LessonPage(
            title="模块1第4课", slug="lesson-1-4", body=body(("paragraph", "<p>新增内容</p>"))
        )
    )

    for page in (phone, desktop):
        page.goto("/certificates/")
        section = page.locator("#program-front-desk")
        expect(section.locator("h3")).to_contain_text("✓ 已认证")
        expect(page.locator(".certificate-card .badge")).to_have_text("有效")
        row = requirement(page, "模块1")
        expect(row.locator(".requirement-what")).to_have_text("学完「模块1」全部 4 课")
        expect(row.locator(".requirement-progress")).to_have_text("已学 3/4 课")
        expect(row.locator(".requirement-renewal")).to_have_text(
            f"证书颁发后新增的要求：续证需要，请在 {certificate.expires_on:%Y-%m-%d} 前完成"
        )
        expect(row.locator(".requirement-mark")).to_have_text("↻")  # never ○ beside ✓
        screenshot(page, "status-certified-lesson-added")
        no_overflow(page)
        row.locator("a").click()
        expect(page).to_have_url(world.module.url)
        expect(page.locator("h1")).to_have_text("模块1")


def test_each_requirement_says_what_is_done_and_links_to_what_satisfies_it(open_page):
    world = World()
    user = world.learner.user
    complete_lesson(user=user, lesson=world.lessons[0])
    world.play("b", "f")  # a failed run: 0 %

    for page in world.pages(open_page):
        attempt = start_attempt(page, world.quiz)  # two of four right: 50 points
        page.check("input[name=q1][value='c-three']")
        page.check("input[name=q4][value='false']")
        submit(page)
        assert Attempt.objects.get(pk=attempt.pk).percent == 50

        page.goto("/certificates/")
        lessons = requirement(page, "模块1")
        expect(lessons.locator(".requirement-what")).to_have_text("学完「模块1」全部 3 课")
        expect(lessons.locator(".requirement-progress")).to_have_text("已学 1/3 课")
        quiz = requirement(page, "规范用语测验")
        expect(quiz.locator(".requirement-what")).to_have_text("通过测验「规范用语测验」")
        expect(quiz.locator(".requirement-progress")).to_have_text("最好成绩 50 分 / 及格 80 分")
        roleplay = requirement(page, "漏水投诉")
        expect(roleplay.locator(".requirement-what")).to_have_text("通过情景演练「漏水投诉」")
        expect(roleplay.locator(".requirement-progress")).to_have_text("最好成绩 0% / 需要 40%")
        observation = requirement(page, "现场观察")
        expect(observation.locator(".requirement-what")).to_have_text("通过主管现场观察考核")
        expect(observation.locator(".requirement-progress")).to_have_text("请主管现场观察考核")
        expect(observation.locator("a")).to_have_count(0)
        screenshot(page, "status-requirements")
        no_overflow(page)

        for text, url, heading in (
            ("模块1", world.module.url, "模块1"),
            ("规范用语测验", f"/quizzes/{world.quiz.pk}/", "规范用语测验"),
            ("漏水投诉", f"/roleplays/{world.scenario.slug}/", "漏水投诉"),
        ):
            page.goto("/certificates/")
            requirement(page, text).locator("a").click()
            expect(page).to_have_url(url)
            expect(page.locator("h1")).to_have_text(heading)


def test_overdue_reads_as_days_past_and_never_beside_expiring(open_page):
    world = World()
    today = timezone.localdate()
    Assignment.objects.create(
        program=world.program, user=world.learner.user, due_on=today - timedelta(days=5)
    )
    # A colleague holds a certificate expiring in 12 days and has a past due date too.
    colleague = StaffFactory(
        name="陈同事", team=world.learner.team, user=UserFactory(username="chen")
    )
    held = certificate_issue(
        user=colleague.user, program=world.program, today=rules.add_months(today, -12)
    )
    Certificate.objects.filter(pk=held.pk).update(expires_on=today + timedelta(days=12))
    Assignment.objects.create(
        program=world.program, user=colleague.user, due_on=today - timedelta(days=3)
    )
    renew_by = (today + timedelta(days=12)).isoformat()

    for page in world.pages(open_page):
        page.goto("/")
        entry = page.locator(".my-assignments li", has_text="前台客服上岗认证")
        expect(entry.locator(".due")).to_have_text("已逾期 5 天")
        expect(entry).not_to_contain_text((today - timedelta(days=5)).isoformat())
        expect(entry).not_to_contain_text("30 天内到期")
        screenshot(page, "status-home-overdue")
        no_overflow(page)

    for page in world.pages(open_page, username="chen"):
        page.goto("/")
        entry = page.locator(".my-assignments li", has_text="前台客服上岗认证")
        expect(entry.locator(".badge")).to_have_text("30 天内到期")
        expect(entry).not_to_contain_text("已逾期")
        expect(entry.locator("a.due")).to_have_text(f"续证截止 {renew_by}")
        screenshot(page, "status-home-expiring")

    for page in world.pages(open_page, username=world.boss.user.username):
        page.goto(f"/supervision/?program={world.program.pk}")
        late = page.locator(".dashboard-people tbody tr", has_text="林小文")
        expect(late.locator("td.due")).to_have_text("已逾期 5 天")
        expiring = page.locator(".dashboard-people tbody tr", has_text="陈同事")
        expect(expiring.locator(".badge")).to_have_text("30 天内到期")
        expect(expiring).not_to_contain_text("已逾期")
        screenshot(page, "status-dashboard-overdue")
        no_overflow(page)


def test_renewing_in_the_window_issues_the_next_certificate(open_page):
    world = World(observation=False)
    user = world.learner.user
    today = timezone.localdate()
    for lesson in world.lessons:
        complete_lesson(user=user, lesson=lesson)
    old = certificate_issue(user=user, program=world.program, today=rules.add_months(today, -12))
    expires_on = today + timedelta(days=10)
    Certificate.objects.filter(pk=old.pk).update(expires_on=expires_on)
    opens = expires_on - timedelta(days=rules.RENEWAL_WINDOW_DAYS)
    phone, desktop = world.pages(open_page)

    for page in (phone, desktop):
        page.goto("/certificates/")
        section = page.locator("#program-front-desk")
        expect(section.locator(".renewal-path")).to_have_text(
            f"证书将于 {expires_on:%Y-%m-%d} 到期。请在 {expires_on:%Y-%m-%d} 前重新完成下列要求即可续证："
            f"{opens:%Y-%m-%d} 以来的成绩有效，已学完的课程不必重学。新证书自 {expires_on:%Y-%m-%d} 起生效。"
        )
        expect(requirement(page, "模块1").locator(".requirement-mark")).to_have_text("✓")
        expect(requirement(page, "规范用语测验").locator(".requirement-progress")).to_have_text(
            "尚未参加 · 及格 80 分"
        )
        screenshot(page, "status-renewal-open")
        no_overflow(page)

    world.play("a", "c")
    attempt = start_attempt(phone, world.quiz)
    answer_everything_right(phone, attempt)
    submit(phone)
    new = Certificate.objects.current().get(user=user)
    assert new.pk != old.pk and new.valid_from == expires_on

    for page in (phone, desktop):
        page.goto("/certificates/")
        cards = page.locator(".certificate-card")
        expect(cards).to_have_count(2)
        renewed = cards.filter(has_text=new.serial)
        expect(renewed.locator(".badge")).to_have_text("有效")
        expect(renewed).to_contain_text(f"生效日期 {expires_on:%Y-%m-%d}")
        expect(renewed).to_contain_text(f"有效期至 {rules.add_months(expires_on, 12):%Y-%m-%d}")
        expect(cards.filter(has_text=old.serial).locator(".badge")).to_have_text("已被新证书取代")
        expect(page.locator("#program-front-desk .renewal-path")).to_have_count(0)
        screenshot(page, "status-renewed")


def test_the_person_record_shows_what_is_missing_with_the_learners_links(open_page):
    world = World()
    complete_lesson(user=world.learner.user, lesson=world.lessons[0])

    for page in world.pages(open_page, username=world.boss.user.username):
        page.goto(f"/people/{world.learner.pk}/")
        program = page.locator(".record-certificates #program-front-desk")
        expect(program.locator(".requirements-missing")).to_have_text("还差 4 项要求：")
        lessons = requirement(program, "模块1")
        expect(lessons.locator("a")).to_have_attribute("href", world.module.url)
        expect(lessons.locator(".requirement-progress")).to_have_text("已学 1/3 课")
        expect(requirement(program, "规范用语测验").locator("a")).to_have_attribute(
            "href", f"/quizzes/{world.quiz.pk}/"
        )
        expect(requirement(program, "漏水投诉").locator("a")).to_have_attribute(
            "href", f"/roleplays/{world.scenario.slug}/"
        )
        expect(requirement(program, "现场观察").locator(".requirement-progress")).to_have_text(
            "请主管现场观察考核"
        )
        screenshot(page, "status-person-record-missing")
        no_overflow(page)
