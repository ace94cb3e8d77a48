"""Re-issuing many certificates at once after a design change: one reason, one queued job,
progress counted on its row, each certificate re-issued once even when the task runs again."""

from datetime import date
from unittest import mock

import pytest
from academy.errors import Kind

from certification import services
from certification.models import BulkReissue, Certificate, CertificateDesign
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def issued(program):
    """A live default design and three certificates drawn with it."""
    CertificateDesign.objects.create(name="标准样式", default=True)
    people = [StaffFactory(name=name) for name in ("林晓雯", "王建国", "陈静")]
    return [
        services.certificate_issue(user=p.user, program=program, today=date(2026, 3, 1))
        for p in people
    ]


@pytest.fixture
def trainer():
    return UserFactory(roles=["trainer"])


def versions(certificate) -> list[int]:
    return list(
        Certificate.objects.filter(serial=certificate.serial)
        .order_by("version")
        .values_list("version", flat=True)
    )


def test_a_design_change_reissues_every_ticked_certificate_with_one_reason(issued, trainer):
    design = CertificateDesign.objects.get()
    design.accent = "#1f4e79"
    design.save()
    job = services.bulk_reissue_start(
        by=trainer, certificate_ids=[c.pk for c in issued], reason="更换证书颜色", design=design
    )
    job.refresh_from_db()  # the immediate backend ran it on commit
    assert (job.total, job.done, job.failed) == (3, 3, 0)
    assert job.started_at <= job.finished_at and job.requested_by == trainer
    for old in issued:
        new = Certificate.objects.current().get(serial=old.serial)
        assert new.version == 2 and new.reissue_reason == "更换证书颜色"
        assert new.pdf_design["accent"] == "#1f4e79"
        assert (new.issued_on, new.expires_on) == (old.issued_on, old.expires_on)
        old.refresh_from_db()
        assert old.superseded_by == new and old.pdf  # the old version is kept


def test_a_retried_task_reissues_each_certificate_once(issued, trainer):
    real_reissue = services.certificate_reissue
    calls = []

    def crash_on_the_second(**kwargs):
        calls.append(kwargs["certificate"].pk)
        if len(calls) == 2:
            raise RuntimeError("worker lost its database connection")
        return real_reissue(**kwargs)

    # The task fails on the second certificate (the immediate backend records it FAILED).
    with mock.patch.object(services, "certificate_reissue", crash_on_the_second):
        services.bulk_reissue_start(
            by=trainer, certificate_ids=[c.pk for c in issued], reason="更正样式"
        )
    job = BulkReissue.objects.get()
    assert (job.done, job.failed, job.finished_at) == (1, 0, None)
    # The worker runs the task again (retry): the first certificate is not re-issued twice.
    services.bulk_reissue_run(job.pk)
    services.bulk_reissue_run(job.pk)
    job.refresh_from_db()
    assert (job.total, job.done, job.failed) == (3, 3, 0) and job.finished_at
    assert [versions(c) for c in issued] == [[1, 2], [1, 2], [1, 2]]


def test_a_certificate_revoked_meanwhile_is_counted_as_failed_with_the_reason(
    issued, trainer, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = services.bulk_reissue_start(
        by=trainer, certificate_ids=[c.pk for c in issued], reason="更正样式"
    )
    Certificate.objects.filter(pk=issued[0].pk).update(revoked_at="2026-04-01T08:00:00+08:00")
    services.bulk_reissue_run(job.pk)
    job.refresh_from_db()
    assert (job.done, job.failed) == (2, 1)
    assert job.items.get(certificate=issued[0]).error == "只有证书的当前版本可以补发。"


def test_only_trainers_with_a_reason_and_current_certificates(issued, trainer):
    with pytest.raises(services.CertificationError) as refused:
        services.bulk_reissue_start(
            by=StaffFactory().user, certificate_ids=[issued[0].pk], reason="想改"
        )
    assert refused.value.kind is Kind.NOT_ALLOWED
    with pytest.raises(services.CertificationError):
        services.bulk_reissue_start(by=trainer, certificate_ids=[issued[0].pk], reason="  ")
    with pytest.raises(services.CertificationError):
        services.bulk_reissue_start(by=trainer, certificate_ids=[999999], reason="更正")
    assert not BulkReissue.objects.exists()


def test_the_progress_page_shows_the_counts(client, issued, trainer):
    design = CertificateDesign.objects.get()
    client.force_login(trainer)
    page = client.get(f"/admin/certificate-tools/designs/{design.pk}/reissue/").content.decode()
    assert all(c.serial in page for c in issued)
    response = client.post(
        f"/admin/certificate-tools/designs/{design.pk}/reissue/",
        {"certificate": [issued[0].pk, issued[1].pk], "reason": "更换印章"},
    )
    job = BulkReissue.objects.get()
    assert response["Location"] == f"/admin/certificate-tools/bulk/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "2 张中已补发 2 张" in page and "更换印章" in page
