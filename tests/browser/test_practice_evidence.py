"""In the browser, at 360 and 1280 px: a supervisor sees who practises in the dashboard and
the competency matrix, opens a person's record and finds the practice section (streak, the
30-day strip, cards held per competency) and the level that sustained recall raised."""

from datetime import timedelta

import pytest
from academy.models import Competency
from django.utils import timezone
from playwright.sync_api import expect

from certification.models import Program, ProgramRequirement
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, TeamFactory, ensure_tree_roots
from tests.practice_factories import hold_cards, open_lesson, practice_lesson, rate_once

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team():
    ensure_tree_roots()
    phrases = Competency.objects.create(slug="phrases", name="规范用语", sort_order=1)
    Competency.objects.create(slug="emergency", name="应急处置", sort_order=2)
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    ProgramRequirement.objects.create(program=program, kind="observation")
    supervisor = StaffFactory(
        user__roles=["learner", "supervisor"], position="supervisor", name="王建国"
    )
    supervisor.supervised_sites.add(supervisor.site)
    team = TeamFactory(site=supervisor.site, name="前台一组")
    learner = StaffFactory(name="林晓雯", team=team)
    StaffFactory(name="陈思琪", team=team)
    lesson, cards = practice_lesson(phrases, 5)
    open_lesson(learner.user, lesson)
    hold_cards(learner.user, cards[:4], start=timezone.now() - timedelta(days=26))
    for days_ago in (3, 1, 0):
        rate_once(learner.user, cards[4], at=timezone.now() - timedelta(days=days_ago, hours=1))
    return supervisor, learner


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_supervisor_sees_who_practises_and_the_practice_record(open_page, viewport, team):
    supervisor, learner = team
    page = open_page(viewport)
    log_in(page, supervisor.user.username, PASSWORD)

    page.goto("/supervision/")
    row = page.locator(".dashboard-people tbody tr", has_text="林晓雯")
    expect(row.locator(".practice-week")).to_contain_text("3/7 天")
    expect(page.locator(".dashboard-people tbody tr", has_text="陈思琪")).to_contain_text(
        "从未练习"
    )
    screenshot(page, "practice-dashboard")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    page.goto("/supervision/matrix/")
    expect(page.locator("table.matrix thead")).to_contain_text("练习（近7天）")
    row = page.locator("table.matrix tbody tr", has_text="林晓雯")
    expect(row.locator(".practice-week")).to_contain_text("3/7 天")
    screenshot(page, "practice-matrix")

    row.get_by_role("link", name="林晓雯").click()
    expect(page.locator("h1")).to_have_text("林晓雯")
    section = page.locator("#practice + section")
    expect(page.locator("#practice")).to_have_text("练习")
    expect(section.locator(".practice-strip li")).to_have_count(30)
    expect(section.locator(".practice-competencies")).to_contain_text("已牢记 4 / 5 张")
    expect(section).to_contain_text("计为知识已检验")
    phrases = page.locator("#competency-phrases")
    expect(phrases.locator(".level-badge")).to_have_text("2 · 掌握")
    expect(phrases.locator(".evidence")).to_contain_text("每日练习持续记住：已牢记 4 / 5 张卡片")
    expect(phrases.locator(".record-history")).to_contain_text("练习卡片持续记住")
    section.scroll_into_view_if_needed()
    screenshot(page, "practice-record")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
