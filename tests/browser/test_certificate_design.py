"""A trainer changes a sealed certificate design: sees the colour picker and the sample
certificate update as they type, and submits it for approval; a second person approves it
and it goes live; then the certificates drawn with the old design are re-issued at once,
with the progress shown."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from certification import services
from certification.models import Certificate, CertificateDesign
from tests.browser.conftest import DESKTOP, PHONE, log_in, open_admin_editor, screenshot
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_changes_a_sealed_design_a_second_person_approves_and_holders_get_it(
    open_page, program, design_approval_workflow
):
    seal = get_image_model().objects.create(title="公章", file=get_test_image_file())
    design = CertificateDesign.objects.create(name="标准样式", default=True, seal=seal)
    for name in ("林晓雯", "王建国"):
        person = StaffFactory(name=name)
        services.certificate_issue(user=person.user, program=program, today=date(2026, 3, 1))
    UserFactory(username="teacher", roles=["learner", "trainer"])
    UserFactory(username="lead", roles=["learner", "trainer", "certification_approver"])

    trainer = open_page(DESKTOP)
    log_in(trainer, "teacher", PASSWORD, path="/admin/login/")
    open_admin_editor(trainer, f"/admin/snippets/certification/certificatedesign/edit/{design.pk}/")
    colour = trainer.locator("input[type=color][name=accent]")
    expect(colour).to_have_value("#9a2a2a")
    # The preview panel shows the sample certificate, and follows the form.
    trainer.locator("[data-side-panel-toggle=preview]").click()
    sample = trainer.frame_locator("iframe#w-preview-iframe").locator("img")
    expect(sample).to_have_attribute("src", re.compile("^data:image/png"))
    before = sample.get_attribute("src")
    colour.evaluate(
        "(input) => { input.value = '#1f4e79';"
        " input.dispatchEvent(new Event('input', {bubbles: true}));"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    trainer.fill("#id_title", "岗位资格证书")
    expect(sample).not_to_have_attribute("src", before)
    screenshot(trainer, "design-preview")
    # No Publish for a sealed design: it is submitted for approval.
    trainer.locator("footer .w-dropdown__toggle").first.click()
    expect(trainer.locator("button[name=action-publish]")).to_have_count(0)
    trainer.locator("button[name=action-submit]").click()
    expect(trainer.locator(".messages")).to_contain_text("标准样式")
    design.refresh_from_db()
    assert design.title == "上岗资格证书"  # not live yet

    lead = open_page(DESKTOP)
    log_in(lead, "lead", PASSWORD, path="/admin/login/")
    lead.goto(f"/admin/snippets/certification/certificatedesign/edit/{design.pk}/")
    lead.locator("footer .w-dropdown__toggle").first.click()
    lead.locator("button[data-workflow-action-name=approve]").first.click()
    expect(lead.locator(".messages")).to_contain_text("标准样式")
    design.refresh_from_db()
    assert (design.title, design.accent, design.live) == ("岗位资格证书", "#1f4e79", True)

    # Re-issue the certificates still showing the old design, with one reason.
    lead.goto("/admin/certificate-tools/")
    lead.get_by_role("link", name="补发“标准样式”样式的证书").click()
    expect(lead.locator("input[name=certificate]:checked")).to_have_count(2)
    lead.fill("#bulk-reason", "证书改为蓝色")
    lead.get_by_role("button", name="补发勾选的证书").click()
    expect(lead.locator(".bulk-reissue-status")).to_contain_text("2 张中已补发 2 张")
    for viewport in (PHONE, DESKTOP):
        lead.set_viewport_size(viewport)
        screenshot(lead, "bulk-reissue-progress")
    assert (
        Certificate.objects.current().filter(version=2, reissue_reason="证书改为蓝色").count() == 2
    )
