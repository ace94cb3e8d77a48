"""In the browser: a learner meets the demo program's requirements, downloads the
certificate PDF with their Chinese name on it and opens the link printed on it; their
supervisor revokes the certificate, and the verification page says so."""

import re
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certification.models import Certificate, Program
from courses.models import LessonPage
from roleplays.models import Scenario
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, log_in, screenshot
from tests.browser.test_quizzes import answer_everything_right, start_attempt, submit
from tests.browser.test_roleplays import play
from tests.factories import ensure_tree_roots
from tests.pdftext import pdf_qr_codes, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def meet_the_demo_program(page, program: Program) -> None:
    """Every requirement of the demo program, through the learner's own pages."""
    for requirement in program.requirements.order_by("sort_order"):
        if requirement.kind == "lessons":
            for lesson in LessonPage.objects.live().descendant_of(requirement.module):
                page.goto(lesson.url)
                done = page.get_by_role("button", name="标记为已完成")
                if done.count():
                    done.click()
                    expect(page.locator(".done-mark")).to_be_visible()
        elif requirement.kind == "quiz":
            attempt = start_attempt(page, requirement.quiz)
            answer_everything_right(page, attempt)
            submit(page)
            expect(page.locator(".result-verdict")).to_contain_text("通过")
        elif requirement.kind == "roleplay":
            scenario = Scenario.objects.get(pk=requirement.scenario_id)
            run = play(page, scenario, scenario.live_version.best_path["choices"])
            assert run.passed


def test_learner_earns_a_certificate_the_supervisor_revokes_it(open_page, live_server, settings):
    ensure_tree_roots()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.PUBLIC_BASE_URL = live_server.url  # the link and QR code printed on the PDF
    program = Program.objects.get(code="front-desk")

    page = open_page(PHONE)
    log_in(page, "learner", "kefu-learner")
    page.goto("/certificates/")
    expect(page.locator(".requirements li.done")).not_to_have_count(3)
    meet_the_demo_program(page, program)

    page.get_by_role("link", name="证书").first.click()
    card = page.locator(".module-card", has_text="前台客服上岗认证")
    expect(card.locator(".badge")).to_have_text("有效")
    expect(page.locator(".my-competency-levels")).to_contain_text("我的能力等级")
    screenshot(page, "my-certificates")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow

    with page.expect_download() as download:
        card.get_by_role("link", name="下载 PDF").click()
    assert re.fullmatch(r"林晓雯_KF-\d{4}-\d{6}\.pdf", download.value.suggested_filename)
    data = open(download.value.path(), "rb").read()
    assert len(data) < 100_000
    text = pdf_text(data)
    assert "林晓雯" in text and "前台客服上岗认证" in text
    certificate = Certificate.objects.get(user__username="learner")
    flat = re.sub(r"\s+", "", text)
    printed = f"{live_server.url}/verify/{certificate.code}/"
    assert printed in flat
    assert pdf_qr_codes(data) == [printed]  # what a phone scanning the QR code opens
    (SCREENSHOTS / "certificate.pdf").write_bytes(data)
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-singlefile",
            str(SCREENSHOTS / "certificate.pdf"),
            str(SCREENSHOTS / "certificate"),
        ],
        check=True,
    )

    copied = page.locator(f"#verify-{certificate.pk}")
    assert copied.input_value() == printed

    visitor = open_page(PHONE)  # anybody holding the printed certificate
    visitor.goto(printed)
    expect(visitor.locator(".result-verdict")).to_have_text("有效")
    expect(visitor.locator("main")).to_contain_text("林晓雯")
    screenshot(visitor, "verify-valid")

    supervisor = open_page(DESKTOP)
    log_in(supervisor, "supervisor", "kefu-supervisor")
    supervisor.get_by_role("link", name="认证看板").first.click()
    row = supervisor.locator(".dashboard-people tbody tr", has_text="林晓雯")
    expect(row.locator(".badge")).to_have_text("已认证")
    row.get_by_role("link", name="林晓雯").click()
    expect(supervisor.locator("h1")).to_have_text("林晓雯")
    screenshot(supervisor, "person-record")
    supervisor.locator(".record-certificates li", has_text="前台客服上岗认证").get_by_role(
        "link", name="撤销"
    ).click()
    supervisor.get_by_role("button", name="撤销证书").click()  # no reason: the browser asks
    expect(supervisor.locator("h1")).to_have_text("撤销证书")
    supervisor.fill("#reason", "复核发现测验由他人代答")
    supervisor.get_by_role("button", name="撤销证书").click()
    expect(supervisor.get_by_role("status")).to_contain_text("复核发现测验由他人代答")

    visitor.reload()
    expect(visitor.locator(".result-verdict")).to_have_text("已撤销")
    expect(visitor.locator("main")).not_to_contain_text("代答")
    screenshot(visitor, "verify-revoked")
