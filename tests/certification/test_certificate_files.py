"""Stored PDFs: rendered once when issued, downloaded as stored, re-issued as a new version
when a name or the design is corrected; bulk ZIP; a supervisor revokes with a reason."""

import hashlib
import io
import zipfile

import pytest
from academy.errors import Kind

from certification import selectors, services
from certification.models import Certificate, CertificateDesign
from tests.certification.test_issuing import pass_quiz
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(db):
    supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    supervisor.supervised_sites.add(supervisor.site)
    mine = StaffFactory(name="林晓雯", site=supervisor.site)
    other = StaffFactory(name="外场员工")
    return supervisor, mine, other


def issue(person, program) -> Certificate:
    pass_quiz(person.user, program.requirements.get().quiz)
    return Certificate.objects.get(user=person.user, superseded_at__isnull=True)


def test_issuing_stores_the_pdf_once_with_its_checksum(program, team):
    _supervisor, mine, _other = team
    certificate = issue(mine, program)
    data = certificate.pdf.read()
    assert data.startswith(b"%PDF") and len(data) < 100_000
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()
    stored_name = certificate.pdf.name
    services.certificate_store_pdf(certificate.pk)  # asked again: nothing re-rendered
    certificate.refresh_from_db()
    assert certificate.pdf.name == stored_name and certificate.pdf.read() == data
    # Kept outside the public media folder, under a name nobody can guess.
    from django.conf import settings

    assert not certificate.pdf.path.startswith(str(settings.MEDIA_ROOT))
    assert certificate.serial in stored_name and len(stored_name) > len(certificate.serial) + 20


def test_a_tampered_pdf_is_not_served(client, program, team):
    _supervisor, mine, _other = team
    certificate = issue(mine, program)
    with open(certificate.pdf.path, "ab") as stored:
        stored.write(b"% changed behind our back")
    client.force_login(mine.user)
    assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 503


def test_the_learner_downloads_their_stored_pdf_and_nobody_else_can(client, program, team):
    supervisor, mine, other = team
    certificate = issue(mine, program)
    client.force_login(mine.user)
    response = client.get(f"/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == certificate.pdf.open("rb").read()
    assert "KF-" in response["Content-Disposition"]
    client.force_login(other.user)
    assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 404
    client.force_login(supervisor.user)  # the holder's supervisor may
    assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 200


def test_renaming_the_holder_means_a_reissued_version_both_kept(client, program, team):
    _supervisor, mine, _other = team
    old = issue(mine, program)
    mine.name = "林晓雯（更正）"
    mine.save()
    [(flagged, reasons)] = selectors.certificates_needing_reissue()
    assert flagged == old and "林晓雯（更正）" in reasons[0]
    trainer = UserFactory(roles=["trainer"])
    with pytest.raises(services.CertificationError):
        services.certificate_reissue(certificate=old, by=trainer, reason="")
    new = services.certificate_reissue(certificate=old, by=trainer, reason="姓名录入错误")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (new.serial, new.version, new.issued_on) == (old.serial, 2, old.issued_on)
    assert new.holder_name == "林晓雯（更正）" and new.code != old.code
    assert old.superseded_by == new and old.pdf and new.pdf and old.pdf.name != new.pdf.name
    assert selectors.certificates_needing_reissue() == []
    with pytest.raises(services.CertificationError) as again:
        services.certificate_reissue(certificate=old, by=trainer, reason="再来一次")
    assert again.value.kind is Kind.CONFLICT
    learner = UserFactory()
    with pytest.raises(services.CertificationError) as refused:
        services.certificate_reissue(certificate=new, by=learner, reason="想改")
    assert refused.value.kind is Kind.NOT_ALLOWED
    # The old code still verifies, as replaced.
    page = client.get(f"/verify/{old.code}/").content.decode()
    assert "已被新证书取代" in page


def test_a_design_change_flags_certificates_and_the_reissue_uses_it(program, team):
    _supervisor, mine, _other = team
    design = CertificateDesign.objects.create(name="默认", default=True)
    old = issue(mine, program)
    assert old.pdf_design["title"] == "上岗资格证书"
    assert selectors.certificates_needing_reissue() == []
    design.title = "岗位资格证书"
    design.save()
    [(_flagged, reasons)] = selectors.certificates_needing_reissue()
    assert reasons == ["证书样式已修改。"]
    new = services.certificate_reissue(
        certificate=old, by=UserFactory(roles=["trainer"]), reason="更换证书样式"
    )
    new.refresh_from_db()
    assert new.pdf_design["title"] == "岗位资格证书"


def test_bulk_zip_has_readable_names_and_only_what_the_user_may_see(client, program, team):
    supervisor, mine, other = team
    for person in (mine, other):
        issue(person, program)
    client.force_login(supervisor.user)
    response = client.get(f"/certificates/download.zip?program={program.pk}")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    mine_certificate = Certificate.objects.get(user=mine.user)
    assert client.get("/certificates/download.zip?program=²").status_code == 400
    assert archive.namelist() == [f"林晓雯_{mine_certificate.serial}.pdf"]
    assert archive.read(archive.namelist()[0]) == mine_certificate.pdf.open("rb").read()
    client.force_login(UserFactory(roles=["trainer"]))
    response = client.get("/certificates/download.zip")
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()) == 2


def test_a_supervisor_revokes_with_a_reason_and_verification_says_so(client, program, team):
    supervisor, mine, other = team
    certificate = issue(mine, program)
    client.force_login(supervisor.user)
    refused = client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": "  "})
    assert refused.status_code == 400 and "撤销证书必须填写原因" in refused.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    done = client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": "顶岗期间违规"})
    assert done.status_code == 200 and "顶岗期间违规" in done.content.decode()
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "已撤销" in page and "顶岗期间违规" not in page  # the reason is not public
    other_certificate = issue(other, program)
    assert (
        client.post(f"/certificates/{other_certificate.pk}/revoke/", {"reason": "x"}).status_code
        == 404
    )
    client.force_login(mine.user)  # a learner cannot revoke, not even their own
    assert client.get(f"/certificates/{certificate.pk}/revoke/").status_code == 404


def test_zip_entry_names_cannot_climb_out_of_the_folder(client, program, team):
    supervisor, mine, _other = team
    mine.name = "../../林/晓:雯"
    mine.save()
    certificate = issue(mine, program)
    client.force_login(supervisor.user)
    response = client.get("/certificates/download.zip")
    [name] = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert name == f"_.._林_晓_雯_{certificate.serial}.pdf"


def test_a_revocation_sticks_until_a_trainer_issues_again(program, team):
    supervisor, mine, _other = team
    revoked = issue(mine, program)
    services.certificate_revoke(certificate=revoked, by=supervisor.user, reason="代考")
    pass_quiz(mine.user, program.requirements.get().quiz)  # new evidence: no new certificate
    assert Certificate.objects.filter(user=mine.user).count() == 1
    trainer = UserFactory(roles=["trainer"])
    with pytest.raises(services.CertificationError):
        services.certificate_issue_after_revocation(revoked=revoked, by=trainer, reason="")
    new = services.certificate_issue_after_revocation(
        revoked=revoked, by=trainer, reason="重新考核合格"
    )
    assert new.serial != revoked.serial and new.status(new.issued_on) == "valid"
    with pytest.raises(services.CertificationError) as twice:
        services.certificate_issue_after_revocation(revoked=revoked, by=trainer, reason="再发")
    assert twice.value.kind is Kind.CONFLICT


def test_revoking_a_replaced_version_is_refused(program, team):
    supervisor, mine, _other = team
    old = issue(mine, program)
    services.certificate_reissue(certificate=old, by=UserFactory(roles=["trainer"]), reason="更正")
    with pytest.raises(services.CertificationError) as refused:
        services.certificate_revoke(certificate=old, by=supervisor.user, reason="违规")
    assert refused.value.kind is Kind.CONFLICT
    assert Certificate.objects.get(user=mine.user, superseded_at__isnull=True).revoked_at is None


def test_a_holder_cannot_download_a_revoked_certificate(client, program, team):
    supervisor, mine, _other = team
    certificate = issue(mine, program)
    services.certificate_revoke(certificate=certificate, by=supervisor.user, reason="违规")
    client.force_login(mine.user)
    assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 404
    client.force_login(supervisor.user)  # the record keeps it for the supervisor
    assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 200


def test_certificates_cannot_be_edited_or_deleted_in_the_admin(client, program, team):
    _supervisor, mine, _other = team
    certificate = issue(mine, program)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    base = "/admin/snippets/certification/certificate"
    assert client.get(f"{base}/inspect/{certificate.pk}/").status_code == 200
    for url in (
        f"{base}/edit/{certificate.pk}/",
        f"{base}/delete/{certificate.pk}/",
        f"{base}/add/",
    ):
        assert client.get(url).status_code in (302, 403), url
    client.post(f"{base}/delete/{certificate.pk}/")
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_the_trainer_tools_list_revoked_people_and_issue_again(client, program, team):
    supervisor, mine, _other = team
    revoked = issue(mine, program)
    services.certificate_revoke(certificate=revoked, by=supervisor.user, reason="代考")
    client.force_login(UserFactory(roles=["trainer"]))
    page = client.get("/admin/certificate-tools/").content.decode()
    assert revoked.serial in page and "代考" in page
    client.post(f"/admin/certificate-tools/{revoked.pk}/issue-again/", {"reason": ""})
    assert Certificate.objects.filter(user=mine.user).count() == 1  # no reason: refused
    client.post(f"/admin/certificate-tools/{revoked.pk}/issue-again/", {"reason": "重新考核"})
    assert Certificate.objects.filter(user=mine.user, revoked_at__isnull=True).count() == 1
    assert revoked.serial not in client.get("/admin/certificate-tools/").content.decode()
