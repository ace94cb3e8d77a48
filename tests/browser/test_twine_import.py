"""In the browser: a trainer imports a plain Twine story written in Harlowe (no Kefu
conventions), works through the editor's checklist, publishes it, and a learner plays it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from roleplays.models import Run, Scenario
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, UserFactory, ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = Path(__file__).resolve().parents[1] / "roleplays" / "fixtures" / "harlowe_story.twee"


def test_a_plain_twine_story_is_completed_in_the_editor_published_and_played(open_page):
    ensure_tree_roots()
    UserFactory(username="teacher", roles=["learner", "trainer"])
    learner = StaffFactory()

    admin = open_page(DESKTOP)
    log_in(admin, "teacher", PASSWORD, path="/admin/login/")
    admin.goto("/admin/roleplay-tools/import/")
    expect(admin.get_by_role("link", name="下载带评分的场景模板（Twee）")).to_be_visible()
    expect(admin.locator("main")).not_to_contain_text("twee.py")
    admin.set_input_files("input[type=file]", str(STORY))
    admin.locator("#import-submit").click()

    # A draft, with what was left out and what remains.
    messages = admin.locator(".messages")
    expect(messages).to_contain_text("已将“停车位被占”导入为草稿：4 个节点，4 个选项，2 个结局")
    expect(messages).to_contain_text("已忽略 Harlowe 宏 (set:)")
    checklist = admin.locator("[data-checklist]")
    for code in ("owner", "situation", "verdicts", "scoring"):
        expect(checklist.locator(f"[data-item='{code}']")).to_be_visible()
    expect(checklist.locator("[data-item='verdicts']")).to_contain_text("还有 2 个没有标明")
    expect(admin.locator("svg.scenario-graph g[data-key='问情况']")).to_have_count(1)
    screenshot(admin, "twine-import-checklist")
    scenario = Scenario.objects.get()
    assert not scenario.live and scenario.live_version is None
    # Each item leads to where it is fixed.
    for link in checklist.locator("a").all():
        expect(admin.locator(link.get_attribute("href"))).to_have_count(1)

    admin.fill("#id_owner", "刘先生，3栋地下车位业主")
    admin.fill("#id_situation", "刘先生的固定车位又被别的车占了，他打电话到服务中心。")
    admin.select_option("#nodes-2-value-passed", "pass")  # 解决
    admin.select_option("#nodes-3-value-passed", "fail")  # 推诿
    admin.fill("#nodes-0-value-choices-0-value-empathy", "2")
    admin.fill("#nodes-1-value-choices-0-value-resolution", "2")
    admin.locator("footer button[type=submit]").first.click()  # 保存草稿
    expect(admin.locator("[data-checklist] [data-item='ready']")).to_be_visible()

    admin.locator("footer .w-dropdown__toggle").first.click()
    admin.locator("button[name=action-publish]").click()
    expect(admin.locator(".messages")).to_contain_text("停车位被占")
    scenario.refresh_from_db()
    assert scenario.live and scenario.live_version is not None

    page = open_page(PHONE)
    log_in(page, learner.user.username, PASSWORD)
    page.goto(f"/roleplays/{scenario.slug}/")
    page.locator("form[action$='/start/'] button").first.click()
    expect(page.locator(".bubble").first).to_contain_text("你们保安是干什么的？")
    page.get_by_role("button", name="先道歉，问清车位号").click()
    page.get_by_role("button", name="马上联系车主挪车").click()
    expect(page.locator(".result-verdict")).to_have_text("通过")
    screenshot(page, "twine-import-played")
    run = Run.objects.get(scenario=scenario)
    assert run.passed and run.ending == "解决"
