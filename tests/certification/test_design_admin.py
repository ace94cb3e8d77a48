"""Certificate designs and programs in the admin: revisions with a compare view (a
program's requirements included), the live preview of a sample certificate, and a design
with a seal going live only after a second person approves it."""

import base64
import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import WorkflowState

from certification.models import CertificateDesign, DesignNotApproved, Program, ProgramRequirement
from certification.selectors import design_for
from tests.factories import UserFactory, build_quiz, ensure_tree_roots

pytestmark = pytest.mark.django_db


def url(model, name, *args):
    return reverse(model.snippet_viewset.get_url_name(name), args=args)


@pytest.fixture
def trainer():
    return UserFactory(username="trainer_wang", roles=["trainer"])


@pytest.fixture
def approver():
    return UserFactory(username="lead_li", roles=["trainer", "certification_approver"])


@pytest.fixture
def seal():
    return get_image_model().objects.create(title="公章", file=get_test_image_file())


@pytest.fixture
def design(design_approval_workflow):
    return CertificateDesign.objects.create(name="标准样式", default=True)


def design_form(design, **changes) -> dict:
    data = {
        "name": design.name,
        "title": design.title,
        "accent": design.accent,
        "statement": design.statement,
        "issuer": design.issuer,
        "signatory_title": design.signatory_title,
        "signatory_name": design.signatory_name,
        "seal": design.seal_id or "",
        "default": "on" if design.default else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


# Programs: revisions, requirements included


def program_form(program, requirement, min_percent: int) -> dict:
    return {
        "name": program.name,
        "code": program.code,
        "description": "",
        "validity_months": program.validity_months,
        "active": "on",
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "1",
        "requirements-MIN_NUM_FORMS": "1",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-id": requirement.pk,
        "requirements-0-kind": "quiz",
        "requirements-0-quiz": requirement.quiz_id,
        "requirements-0-min_percent": min_percent,
        "requirements-0-ORDER": "1",
    }


def test_each_program_save_keeps_a_revision_and_compare_shows_the_requirement_change(
    client, trainer
):
    ensure_tree_roots()
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    requirement = ProgramRequirement.objects.create(
        program=program, kind="quiz", quiz=build_quiz(), min_percent=80
    )
    client.force_login(trainer)
    for percent in (80, 90):
        response = client.post(
            url(Program, "edit", program.pk), program_form(program, requirement, percent)
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    # The engine reads the saved rows: the change applies at once.
    assert ProgramRequirement.objects.get(pk=requirement.pk).min_percent == 90
    first, second = program.revisions.order_by("created_at", "pk")
    assert [r["min_percent"] for r in first.content["requirements"]] == [80]
    assert [r["min_percent"] for r in second.content["requirements"]] == [90]
    assert second.user == trainer
    compare = client.get(url(Program, "revisions_compare", program.pk, first.pk, second.pk))
    page = compare.content.decode()
    assert compare.status_code == 200
    assert re.search(r'class="deletion">80<.*class="addition">90<', page)


# Designs: colour, preview, publishing


def test_the_accent_is_a_colour_picker_and_a_pale_colour_is_refused(client, trainer, design):
    client.force_login(trainer)
    page = client.get(url(CertificateDesign, "edit", design.pk)).content.decode()
    assert re.search(r'<input type="color" name="accent" value="#9a2a2a"', page)
    response = client.post(
        url(CertificateDesign, "edit", design.pk),
        design_form(design, accent="#ffe680", **{"action-publish": "1"}),
    )
    assert response.status_code == 200
    assert "颜色太浅" in response.content.decode()
    design.refresh_from_db()
    assert design.accent == "#9a2a2a"


def test_the_preview_draws_the_unsaved_form_as_a_sample_certificate(client, trainer, design):
    client.force_login(trainer)
    preview = url(CertificateDesign, "preview_on_edit", design.pk)
    response = client.post(preview, design_form(design, title="服务之星证书", accent="#1f4e79"))
    assert response.json()["is_valid"]
    page = client.get(preview).content.decode()
    png = base64.b64decode(re.search(r"data:image/png;base64,([^\"]+)", page).group(1))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # The frame (9 to 11 mm from the top of the A4 sheet) is drawn in the picked colour.
    width, height = image.size
    frame = image.getpixel((width // 2, round(height * 10 / 210)))  # 10 mm down
    assert all(abs(a - b) <= 12 for a, b in zip(frame, (0x1F, 0x4E, 0x79), strict=True)), frame
    sample_pdf = client.get(preview + "?mode=pdf")
    assert sample_pdf["Content-Type"] == "application/pdf"
    from tests.pdftext import pdf_text

    text = pdf_text(sample_pdf.content)
    assert "服务之星证书" in text.replace(" ", "") and "SAMPLE" in text
    design.refresh_from_db()
    assert design.title == "上岗资格证书"  # nothing saved by previewing


def test_a_design_without_a_seal_is_published_directly(client, trainer, design):
    client.force_login(trainer)
    response = client.post(
        url(CertificateDesign, "edit", design.pk),
        design_form(design, title="岗位资格证书", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.title == "岗位资格证书" and design.live and design.revisions.count() == 1


def test_a_sealed_design_goes_live_only_after_a_second_person_approves(
    client, trainer, approver, design, seal
):
    client.force_login(trainer)
    edit = url(CertificateDesign, "edit", design.pk)
    # Publishing directly: kept as a draft, the certificates keep the live design.
    response = client.post(
        edit, design_form(design, seal=seal.pk, title="盖章证书", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.seal_id is None and design.title == "上岗资格证书"
    assert design.has_unpublished_changes
    assert design_for(Program(name="x", code="x")).title == "上岗资格证书"
    # The editor offers no Publish button for it, only the approval workflow.
    page = client.get(edit).content.decode()
    assert 'name="action-publish"' not in page and 'name="action-submit"' in page
    # Submitted for approval...
    client.post(edit, design_form(design, seal=seal.pk, title="盖章证书", **{"action-submit": "1"}))
    state = WorkflowState.objects.get(object_id=str(design.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == trainer
    # ... the submitter cannot approve it, not even as an approver.
    trainer.groups.add(*approver.groups.all())
    task_state = state.current_task_state
    assert task_state.task.specific.get_actions(design, trainer) == []
    with pytest.raises(DesignNotApproved):
        design.get_latest_revision().publish(user=trainer)
    action = url(CertificateDesign, "workflow_action", design.pk, "approve", task_state.pk)
    client.post(action, {"comment": ""})
    design.refresh_from_db()
    assert design.seal_id is None
    # A second person approves: it goes live.
    client.force_login(approver)
    response = client.post(action, {"comment": "核对无误"})
    assert response.status_code in (200, 302)
    design.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert design.seal_id == seal.pk and design.title == "盖章证书" and design.live
    assert design_for(Program(name="x", code="x")).seal_id == seal.pk


def test_certificates_use_only_a_live_design(design):
    draft = CertificateDesign.objects.create(name="新样式（草稿）", live=False)
    program = Program(name="前台", code="front", design=draft)
    assert design_for(program) == design
    draft.live = True
    draft.save()
    assert design_for(program) == draft
