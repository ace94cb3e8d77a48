"""In the browser: the demo supervisor filters the dashboard to one team, sees who is
expiring, opens the person, assigns a program with a due date, and downloads the XLSX, which
opens with its Chinese intact."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from supervision.models import Assignment
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_filters(page) -> None:
    """On a phone the filters are folded behind one button."""
    button = page.locator("summary", has_text="筛选与排序")
    if button.is_visible():
        button.click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_supervisor_filters_opens_assigns_and_exports(open_page, viewport):
    ensure_tree_roots()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = open_page(viewport)
    log_in(page, "supervisor", "kefu-supervisor")
    page.get_by_role("link", name="认证看板").first.click()
    expect(page.locator("h1")).to_have_text("认证看板")
    screenshot(page, "dashboard")

    open_filters(page)
    page.select_option("#id_team", label="滨河花园服务中心 · 前台二组")
    page.get_by_role("button", name="筛选").click()
    people = page.locator(".dashboard-people tbody tr")
    expect(people).to_have_count(3)  # 李娜, 刘洋, 吴静
    page.locator(".status-counts .status-expiring a").click()
    expect(people).to_have_count(1)
    expect(people.first).to_contain_text("刘洋")
    expect(people.first.locator(".badge")).to_have_text("30 天内到期")
    screenshot(page, "dashboard-expiring")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow

    people.first.get_by_role("link", name="刘洋").click()
    expect(page.locator("h1")).to_have_text("刘洋")
    page.get_by_role("link", name="分配认证项目").click()
    due = timezone.localdate() + timedelta(days=20)
    page.fill("#id_due_on", due.isoformat())
    page.get_by_role("button", name="分配", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("刘洋")
    assignment = Assignment.objects.get(user__staff_profile__name="刘洋")
    assert assignment.due_on == due and assignment.program.name == "前台客服上岗认证"

    page.get_by_role("link", name="认证看板").first.click()
    open_filters(page)
    page.select_option("#id_team", label="滨河花园服务中心 · 前台二组")
    page.get_by_role("button", name="筛选").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 XLSX").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("工号", "姓名", "项目")
    assert sorted(row[1] for row in rows[1:]) == sorted(["李娜", "刘洋", "吴静"])
    assert {row[6] for row in rows[1:]} == {"学习中", "30 天内到期", "已过期"}
