"""In the browser, as a supervisor: record an on-the-job observation with an item not met and
land on the person's record with the confirmation, the unmet items and the history; extend
an assignment with a reason from the assignment list; withdraw one from a person's record
and read its history."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification.models import Observation, Program, ProgramRequirement
from supervision.models import Assignment, ProgramProgress
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def day(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def team(db):
    ensure_tree_roots()
    supervisor = StaffFactory(
        user__username="wangjg",
        user__roles=["learner", "supervisor"],
        position="supervisor",
        name="王建国",
    )
    supervisor.supervised_sites.add(supervisor.site)
    mine = StaffFactory(name="林晓雯", site=supervisor.site, team=supervisor.team)
    colleague = StaffFactory(name="陈思琪", site=supervisor.site, team=supervisor.team)
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    ProgramRequirement.objects.create(program=program, kind="observation")
    return supervisor, mine, colleague, program


def no_sideways_scroll(page):
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@VIEWPORTS
def test_an_observation_with_an_item_not_met_lands_on_the_record(open_page, viewport, team):
    _supervisor, mine, _colleague, _program = team
    page = open_page(viewport)
    log_in(page, "wangjg", PASSWORD)
    page.goto(f"/people/{mine.pk}/")
    page.get_by_role("link", name="记录现场观察").click()
    expect(page.locator("h1")).to_contain_text("林晓雯")
    for box in page.locator("form input[type=checkbox]").all():
        box.check()
    page.get_by_label("电话铃响三声之内接起", exact=False).uncheck()
    page.fill("#note", "电话响了五声才接")
    page.get_by_role("button", name="保存观察记录").click()

    expect(page).to_have_url(re.compile(rf"/people/{mine.pk}/$"))
    expect(page.locator(".messages")).to_contain_text(
        "已记录对 林晓雯 的现场观察：未通过（1 项未达标）。"
    )
    history = page.locator("#observations")
    entry = history.locator(".observation").first
    expect(entry.locator(".badge")).to_have_text("未通过")
    expect(entry.locator(".unmet li")).to_have_count(1)
    expect(entry.locator(".unmet li")).to_contain_text("电话铃响三声之内接起")
    expect(entry).to_contain_text("观察人：王建国")
    expect(entry).to_contain_text("电话响了五声才接")
    expect(history).to_contain_text("通过的现场观察计入：前台客服上岗认证")
    assert Observation.objects.get().passed is False
    no_sideways_scroll(page)
    screenshot(page, "observation-saved")
    page.get_by_role("link", name="查看观察记录").click()
    expect(history).to_be_in_viewport()
    screenshot(page, "observation-history")


@VIEWPORTS
def test_a_supervisor_extends_and_withdraws_assignments_with_reasons(open_page, viewport, team):
    supervisor, mine, colleague, program = team
    Assignment.objects.create(program=program, user=mine.user, due_on=day(10))
    theirs = Assignment.objects.create(program=program, user=colleague.user, due_on=day(12))
    Assignment.objects.create(program=program, team=supervisor.team, due_on=day(60))
    page = open_page(viewport)
    log_in(page, "wangjg", PASSWORD)

    # Extend from the list, after one try without a reason.
    page.get_by_role("link", name="认证看板").first.click()
    page.get_by_role("link", name="分配认证项目").click()
    row = page.locator(".assignment-row", has_text="林晓雯")
    expect(row.locator(".due")).to_have_text(f"截止 {day(10).isoformat()}")
    screenshot(page, "assignment-list")
    row.get_by_role("link", name="延期：林晓雯 的前台客服上岗认证").click()
    expect(page.locator("h1")).to_have_text("分配延期")
    page.get_by_label("新的截止日期").fill(day(24).isoformat())
    page.get_by_role("button", name="延期").click()
    expect(page.get_by_role("alert")).to_have_text("请填写延期的原因。")
    expect(page.get_by_label("新的截止日期")).to_have_value(day(24).isoformat())  # kept
    screenshot(page, "assignment-extend-refused")
    page.get_by_label("原因（必填）").fill("病假两周，回岗后补训")
    page.get_by_role("button", name="延期").click()
    expect(page.locator(".messages")).to_contain_text(
        f"已将 林晓雯 的前台客服上岗认证延期至 {day(24).isoformat()}。"
    )
    expect(page.locator("h1")).to_have_text("分配认证项目")
    expect(row.locator(".due")).to_have_text(f"截止 {day(24).isoformat()}")
    no_sideways_scroll(page)
    screenshot(page, "assignment-extended")

    # Withdraw from the person's record.
    page.goto(f"/people/{colleague.pk}/")
    her_row = page.locator("#assignments .assignment-row", has_text="陈思琪")
    her_row.get_by_role("link", name="撤销：陈思琪 的前台客服上岗认证").click()
    expect(page.locator("h1")).to_have_text("撤销分配")
    expect(page.locator("form.assignment-change")).to_contain_text("不再需要完成该认证项目")
    page.get_by_label("原因（必填）").fill("调往工程部，不再做前台")
    page.get_by_role("button", name="撤销").click()
    expect(page.locator(".messages")).to_contain_text("已撤销 陈思琪 的前台客服上岗认证。")
    expect(page.locator("h1")).to_have_text("陈思琪")
    expect(her_row.locator(".withdrawn-badge")).to_have_text("已撤销")
    expect(her_row).to_contain_text("原因：调往工程部，不再做前台")
    expect(her_row.get_by_role("link", name="延期", exact=False)).to_have_count(0)
    # The team's assignment still covers her: that is her due date now.
    team_row = page.locator("#assignments .assignment-row", has_text=supervisor.team.name)
    expect(team_row.locator(".due")).to_have_text(f"截止 {day(60).isoformat()}")
    assert ProgramProgress.objects.get(user=colleague.user, program=program).due_on == day(60)
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is not None and theirs.withdrawn_by == supervisor.user
    no_sideways_scroll(page)
    screenshot(page, "assignment-withdrawn-record")

    her_row.get_by_role("link", name="历史").click()
    history = page.locator(".assignment-history li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("撤销")
    expect(history.first).to_contain_text("王建国")
    expect(history.first).to_contain_text("原因：调往工程部，不再做前台")
    expect(history.last).to_contain_text("分配")
    no_sideways_scroll(page)
    screenshot(page, "assignment-history")
    page.get_by_role("link", name="返回").click()
    expect(page.locator("h1")).to_have_text("陈思琪")
