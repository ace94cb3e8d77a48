"""In the browser, without a signal: a learner opens the emergency cards and one lesson;
once the service worker controls the page, the network goes away and both still open (with
the note that they are the copies kept on the phone), while a lesson never opened gets the
offline page. Logging out wipes the kept pages."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage, ModulePage
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, body, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIFT_PROCEDURE = {
    "title": "电梯困人处置",
    "steps": [
        {"text": "安抚被困人员，告诉他们救援已在路上。", "time_limit": "立即"},
        {"text": "通知电梯维保单位到场。", "time_limit": "5 分钟内"},
    ],
}


def kept(page, url: str) -> None:
    """Wait until the service worker has stored its copy of `url` (it stores after answering)."""
    page.wait_for_function(
        """async (url) => {
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                if (await cache.match(url, { ignoreVary: true })) return true;
            }
            return false;
        }""",
        arg=url,
    )


def test_emergency_cards_and_an_opened_lesson_open_without_a_signal(open_page, live_server):
    index = build_course(modules=1, lessons_per_module=1)
    module = index.add_child(
        instance=ModulePage(title="应急处置", slug="emergency", emergency_cards=True)
    )
    lift = module.add_child(
        instance=LessonPage(
            title="电梯困人",
            slug="lift",
            body=body(
                ("procedure", LIFT_PROCEDURE),
                ("phrase_card", {"situation": "被困业主按下警铃", "say": ["您好，请别着急"]}),
            ),
        )
    )
    lift.save_revision().publish()
    never_opened = LessonPage.objects.get(slug="lesson-1-1")
    learner = StaffFactory()
    page = open_page(PHONE)
    log_in(page, learner.user.username, PASSWORD)

    page.goto("/emergency/")
    expect(page.locator(".emergency-card h3")).to_have_text("电梯困人处置")
    expect(page.locator(".emergency-meta")).to_contain_text("更新于")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    kept(page, live_server.url + "/emergency/")

    page.locator(".emergency-card-source a").click()
    expect(page.locator("main h1")).to_have_text("电梯困人")
    lesson_url = page.url
    kept(page, lesson_url)

    page.context.set_offline(True)
    page.goto("/emergency/")
    expect(page.locator(".emergency-card h3")).to_have_text("电梯困人处置")
    expect(page.locator(".emergency-steps li").nth(1)).to_contain_text("5 分钟内")
    expect(page.locator("#offline-note")).to_be_visible()
    expect(page.locator("#offline-note")).to_contain_text("离线副本，保存于")
    screenshot(page, "emergency-offline")

    page.goto(lesson_url)
    expect(page.locator("main h1")).to_have_text("电梯困人")
    expect(page.locator("#offline-note")).to_contain_text("离线副本，保存于")

    page.goto(live_server.url + never_opened.url)
    expect(page.locator("main h1")).to_have_text("没有网络连接")
    expect(page.locator(".kept-pages a")).to_have_text(["电梯困人"])
    expect(page.locator("#offline-note")).to_be_hidden()
    screenshot(page, "offline-fallback")

    # Back online, logging out forgets every page kept on this phone.
    page.context.set_offline(False)
    page.goto("/emergency/")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.wait_for_function("caches.keys().then((names) => names.length === 0)")
