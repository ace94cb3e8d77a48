"""Issue 16, items 9, 13 and 14, as the demo's supervisor and trainer see them at 360 and
1280 px: the header's navigation is one line for every role; each navigation link leads to a
page titled with the link's words; the dashboard's filters wait behind one button on a
phone and show as chips that remove themselves; at 1280 the list is a table sorted by the
header clicked; both exports say everything in Chinese and the XLSX opens with a sheet per
program, its header frozen and filtered, its columns fitted and its dates as dates."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from certification.models import Program, ProgramRequirement
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
HEADER = "工号 姓名 项目 班组 岗位 认证项目 状态 已满足要求 证书编号 颁发日期 有效期至 截止 已逾期 验证链接 练习天数（近7天） 最近练习"


@pytest.fixture
def demo():
    ensure_tree_roots()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def filter_by(page, **labels) -> None:
    """Choose filters as the user does: on a phone, first open the folded filters."""
    button = page.locator("summary", has_text="筛选与排序")
    if button.is_visible():
        button.click()
    for field, label in labels.items():
        page.select_option(f"#id_{field}", label=label)
    page.get_by_role("button", name="筛选", exact=True).click()


def link_boxes(page) -> list[dict]:
    """Where each navigation link is drawn, and the navigation's own box."""
    return page.evaluate(
        """() => {
            const nav = document.querySelector('.topnav').getBoundingClientRect();
            return [...document.querySelectorAll('.topnav a')].map(a => {
                const box = a.getBoundingClientRect();
                return {text: a.textContent.trim(), top: box.top, bottom: box.bottom,
                        left: box.left, right: box.right, navTop: nav.top,
                        navHeight: nav.height, navRight: nav.right};
            });
        }"""
    )


def assert_navigation_on_one_line(page, expected: list[str]) -> None:
    boxes = link_boxes(page)
    assert [box["text"] for box in boxes] == expected
    line = boxes[0]["bottom"] - boxes[0]["top"]
    assert {round(box["top"]) for box in boxes} == {round(boxes[0]["top"])}  # one line
    assert boxes[0]["navHeight"] <= line + 1  # the navigation is no taller than that line
    for box in boxes:  # and every link is in view, none cut off at the right
        assert box["right"] <= min(box["navRight"], page.viewport_size["width"]) + 0.5, box
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@VIEWPORTS
def test_every_roles_navigation_is_one_line(open_page, viewport, demo):
    for user, password, links in (
        ("learner", "kefu-learner", ["我的学习", "情景演练", "我的证书"]),
        ("supervisor", "kefu-supervisor", ["我的学习", "情景演练", "我的证书", "认证看板"]),
        ("trainer", "kefu-trainer", ["我的学习", "情景演练", "我的证书", "管理后台"]),
    ):
        page = open_page(viewport)
        log_in(page, user, password)
        expect(page.locator("h1")).to_have_text("我的学习")
        assert_navigation_on_one_line(page, links)
        expect(page.get_by_role("button", name="退出")).to_be_visible()
        screenshot(page, f"header-{user}")


@VIEWPORTS
def test_each_link_leads_to_a_page_titled_with_its_words(open_page, viewport, demo):
    page = open_page(viewport)
    log_in(page, "supervisor", "kefu-supervisor")
    for name in ["我的学习", "情景演练", "我的证书", "认证看板"]:
        page.locator(".topnav").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_have_text(name)
        expect(page).to_have_title(f"{name} · 客服学院")
    tools = page.locator(".subnav a")
    expect(tools).to_have_text(["能力矩阵", "分配认证项目", "课程进度", "激活单"])
    for name in tools.all_inner_texts():
        page.locator(".subnav").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_have_text(name)
        expect(page).to_have_title(f"{name} · 客服学院")
        # Breadcrumbs back to the dashboard call it by the same name.
        if page.locator(".crumbs").count():
            expect(page.locator(".crumbs a").first).to_have_text("认证看板")
        page.go_back()
        expect(page.locator("h1")).to_have_text("认证看板")


def test_on_a_phone_the_filters_wait_behind_one_button_and_show_as_chips(open_page, demo):
    page = open_page(PHONE)
    log_in(page, "supervisor", "kefu-supervisor")
    page.locator(".topnav").get_by_role("link", name="认证看板").click()
    button = page.locator("summary", has_text="筛选与排序")
    expect(button).to_be_visible()
    expect(page.locator("#id_team")).to_be_hidden()  # folded away
    assert button.bounding_box()["y"] < PHONE["height"] / 2  # high on the first screen
    expect(page.locator(".filter-chips")).to_have_count(0)
    people = page.locator(".dashboard-people tbody tr")
    expect(people).to_have_count(11)
    screenshot(page, "dashboard-phone-first-screen")

    filter_by(page, team="滨河花园服务中心 · 前台二组", position="前台")
    expect(people).to_have_count(3)  # 李娜, 刘洋, 吴静
    expect(page.locator("#id_team")).to_be_hidden()  # folded again on the new page
    chips = page.locator(".filter-chips a")
    expect(chips).to_have_text(
        [re.compile(r"^班组：滨河花园服务中心 · 前台二组 ×"), re.compile(r"^岗位：前台 ×")]
    )
    page.locator(".status-counts .status-expiring a").click()
    expect(chips).to_have_count(3)
    expect(chips.nth(2)).to_contain_text("状态：30 天内到期")
    expect(people).to_have_count(1)
    # A card per person: name, then number · position · site · team, then the details.
    card = people.first
    expect(card).to_contain_text("刘洋")
    expect(card.locator("td.place")).to_have_text("滨河花园服务中心 · 前台二组")
    expect(card.locator(".badge")).to_have_text("30 天内到期")
    expect(card).to_contain_text(re.compile(r"有效期至 \d{4}-\d{2}-\d{2}"))
    assert page.locator(".dashboard-people thead").bounding_box()["height"] <= 1
    screenshot(page, "dashboard-phone-chips")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    chips.filter(has_text="班组").click()  # drop the team: the rest stays
    expect(chips).to_have_text([re.compile("^岗位：前台"), re.compile("^状态：30 天内到期")])
    expect(people).to_have_count(1)
    chips.filter(has_text="状态").click()
    expect(chips).to_have_text([re.compile("^岗位：前台")])
    expect(people).to_have_count(7)  # every front-desk person of the supervisor's site
    expect(page.locator("#id_position")).to_have_value("front_desk")


def test_at_1280_the_list_is_a_table_sorted_by_the_header_clicked(open_page, demo):
    page = open_page(DESKTOP)
    log_in(page, "supervisor", "kefu-supervisor")
    page.locator(".topnav").get_by_role("link", name="认证看板").click()
    expect(page.locator("#id_team")).to_be_visible()  # the filters are open at this width
    expect(page.locator("summary", has_text="筛选与排序")).to_be_hidden()
    table = page.get_by_role("table")
    headers = table.get_by_role("columnheader")
    expect(headers).to_have_text(
        [
            "姓名",
            "工号",
            "岗位",
            "项目与班组",
            "状态",
            "已满足要求",
            "有效期至",
            "截止",
            "练习（近7天）",
        ]
    )
    expect(table.get_by_role("columnheader", name="项目与班组")).to_have_attribute(
        "aria-sort", "ascending"
    )
    names = table.locator("tbody th")
    numbers = table.locator("tbody td:nth-of-type(1)")

    table.get_by_role("link", name="工号").click()
    expect(table.get_by_role("columnheader", name="工号")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(table.get_by_role("columnheader", name="项目与班组")).to_have_attribute(
        "aria-sort", "none"
    )
    shown = numbers.all_inner_texts()
    assert shown == sorted(shown) and len(shown) == 11
    table.get_by_role("link", name="工号").click()  # again: the other way round
    expect(table.get_by_role("columnheader", name="工号")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert numbers.all_inner_texts() == sorted(shown, reverse=True)

    table.get_by_role("link", name="截止").click()  # soonest due first, no date last
    expect(table.get_by_role("columnheader", name="截止")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(names.first).to_have_text(re.compile("李娜|刘洋|吴静"))
    expect(table.locator("tbody tr").first.locator("td.due")).to_contain_text("已逾期")
    expect(page.locator("#id_sort")).to_have_value("due")  # the menu agrees
    screenshot(page, "dashboard-table-sorted")
    row = table.locator("tbody tr").first.bounding_box()
    assert row["height"] < 70  # one table row, not a card
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@VIEWPORTS
def test_both_exports_speak_chinese_and_the_xlsx_has_a_sheet_per_program(open_page, viewport, demo):
    night = Program.objects.create(name="夜班前台/应急处置认证", code="night")
    ProgramRequirement.objects.create(program=night, kind="observation")
    page = open_page(viewport)
    log_in(page, "supervisor", "kefu-supervisor")
    page.locator(".topnav").get_by_role("link", name="认证看板").click()
    filter_by(page, team="滨河花园服务中心 · 前台二组")
    expect(page.locator(".dashboard-people tbody tr")).to_have_count(3)

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert " ".join(csv_rows[0]) == HEADER
    assert {row[4] for row in csv_rows[1:]} == {"前台"}
    assert {row[6] for row in csv_rows[1:]} == {"学习中", "30 天内到期", "已过期"}
    assert {row[12] for row in csv_rows[1:]} == {"是", ""}
    assert "Front desk" not in text

    with page.expect_download() as download:
        page.get_by_role("link", name="全部认证项目 XLSX").click()
    assert download.value.suggested_filename.startswith("programs-")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert sorted(workbook.sheetnames) == sorted(["前台客服上岗认证", "夜班前台_应急处置认证"])
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert " ".join(rows[0]) == HEADER
        assert sorted(row[1] for row in rows[1:]) == sorted(["李娜", "刘洋", "吴静"])
        assert {row[4] for row in rows[1:]} == {"前台"}
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:P{len(rows)}"
        assert sheet.column_dimensions["N"].width > sheet.column_dimensions["A"].width
    front_desk = workbook["前台客服上岗认证"]
    liu = next(r for r in front_desk.iter_rows(min_row=2) if r[1].value == "刘洋")
    liu_csv = next(row for row in csv_rows if row[1] == "刘洋")
    for column in (9, 10, 11):  # issued, valid until, due: dates, as the CSV spells them
        assert liu[column].is_date and liu[column].number_format == "yyyy-mm-dd"
        assert liu[column].value == datetime.fromisoformat(liu_csv[column])
