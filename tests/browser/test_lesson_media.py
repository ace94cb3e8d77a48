"""In the browser: a lesson's video plays on a phone — the browser loads it with range
requests and gets its length (the 4 KB H.264 fixture) — and a byte range asked of the live
server comes back as 206; in WeChat the certificate page says how to save the PDF, which
opens in place."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from courses.models import LessonPage
from tests.accounts.test_platforms import WECHAT
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory, body, build_course, stored_certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = (Path(__file__).resolve().parents[1] / "fixtures" / "lesson-sample.mp4").read_bytes()


@pytest.fixture
def lesson_with_video(transactional_db):
    build_course(modules=1, lessons_per_module=1)
    video = get_document_model().objects.create(
        title="接听电话示范", file=ContentFile(VIDEO, name="接听电话示范.mp4")
    )
    lesson = LessonPage.objects.get()
    lesson.body = body(
        ("paragraph", "<p>看一遍示范，注意三声之内接起。</p>"),
        ("video", {"file": video.pk, "url": "", "poster": None, "caption": "接听电话示范"}),
    )
    lesson.save_revision().publish()
    yield lesson, video
    video.file.delete(save=False)


def test_a_lesson_video_plays_on_a_phone_and_seeks_by_range(open_page, lesson_with_video):
    lesson, video = lesson_with_video
    learner = StaffFactory(name="林小文")
    page = open_page(PHONE)
    log_in(page, learner.user.username, PASSWORD)
    video_responses = []
    page.on(
        "response",
        lambda response: video_responses.append(response) if video.url in response.url else None,
    )

    page.goto(lesson.url)
    player = page.locator("figure.video video")
    expect(player).to_be_visible()
    # HAVE_METADATA or better: the browser read the file's header and knows its length.
    page.wait_for_function("document.querySelector('figure.video video').readyState >= 1")
    duration = player.evaluate("video => video.duration")
    assert 1.5 < duration < 2.5  # the fixture's two seconds
    expect(page.locator("figure.video figcaption")).to_have_text("接听电话示范")
    loaded = [response for response in video_responses if response.status == 206]
    assert loaded, [(response.status, response.headers) for response in video_responses]
    assert loaded[0].headers["content-type"] == "video/mp4"
    assert loaded[0].headers["content-range"].endswith(f"/{len(VIDEO)}")
    box = player.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "lesson-video")

    # A player seeking into the video (and iOS Safari's first probe, bytes=0-1).
    for asked, expected in (("bytes=100-199", VIDEO[100:200]), ("bytes=0-1", VIDEO[:2])):
        part = page.request.get(video.url, headers={"Range": asked})
        assert part.status == 206
        assert part.body() == expected
        assert part.headers["accept-ranges"] == "bytes"
        assert part.headers["content-disposition"].startswith("inline; ")

    page.set_viewport_size(DESKTOP)
    page.reload()
    page.wait_for_function("document.querySelector('figure.video video').readyState >= 1")
    screenshot(page, "lesson-video")


def test_in_wechat_the_certificate_opens_in_place_with_a_hint(open_page):
    pdf = b"%PDF-1.4 stored certificate"
    certificate = stored_certificate(pdf=pdf)
    holder = certificate.user.staff_profile
    try:
        page = open_page(PHONE, user_agent=WECHAT)
        log_in(page, holder.user.username, PASSWORD)
        page.goto("/certificates/")
        hint = page.get_by_role("note")
        expect(hint).to_contain_text("点右上角 ··· 选择“在浏览器打开”")
        expect(hint).to_contain_text("微信和企业微信里不能下载文件")
        view = page.get_by_role("link", name="查看 PDF")
        expect(view).to_be_visible()
        assert page.get_by_role("link", name="下载 PDF").count() == 0
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        screenshot(page, "certificates-wechat")

        opened = page.request.get(view.get_attribute("href"))
        assert opened.status == 200 and opened.body() == pdf
        assert opened.headers["content-disposition"].startswith("inline; ")
    finally:
        certificate.pdf.delete(save=False)
