"""Issuing and revoking certificates: one function each, atomic and idempotent."""

from __future__ import annotations

import hashlib
from datetime import date

from academy import limits
from academy.errors import Kind, Refused, cleaned_reason, refuse_if_too_long
from academy.signals import announce_evidence
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.selectors import may_act_on, staff_profile_for

from . import pdf, rules
from .models import (
    BulkReissue,
    BulkReissueItem,
    Certificate,
    CertificateDesign,
    Observation,
    Program,
    SerialCounter,
)
from .selectors import (
    design_for,
    evidence_for,
    latest_is_revoked,
    standing_for,
    verification_url,
)
from .tasks import render_certificate_pdf, run_bulk_reissue


class CertificationError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


def _next_serial(year: int) -> str:
    counter, _created = SerialCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return rules.serial_number(year, counter.last)


def certificate_issue_if_eligible(
    *, user, program: Program, today: date | None = None
) -> Certificate | None:
    """Issue the program's next certificate if one is due (`rules.next_certificate`: none
    held, the one held expired, or its renewal window is open) and every requirement is met
    by the evidence that counts for it (`rules.Standing.evidence_from`: once a certificate
    was held, only evidence from the day its renewal window opened). Safe to call on every
    new piece of evidence: it issues exactly once, also when two events race (the learner's
    row is locked, and a constraint backs it up)."""
    today = today or timezone.localdate()
    requirements = [r.as_rule() for r in program.requirements.all()]
    if not program.active or not requirements:
        return None
    held = standing_for(user, program, today)
    if rules.next_certificate(held, today=today, validity_months=program.validity_months) is None:
        return None
    if rules.missing(requirements, evidence_for(user, program, since=held.evidence_from)):
        return None
    if latest_is_revoked(user, program):
        return None  # a revocation sticks: only a trainer issues again (after_revocation)
    return certificate_issue(user=user, program=program, today=today)


def certificate_issue_after_revocation(
    *, revoked: Certificate, by, reason: str, today: date | None = None
) -> Certificate:
    """A trainer issues a new certificate to someone whose last one was revoked, once they
    meet every requirement again (automatic issuing stays off after a revocation)."""
    if not by.has_perm("certification.reissue_certificate"):
        raise CertificationError(_("You may not re-issue certificates."), Kind.NOT_ALLOWED)
    reason = cleaned_reason(
        reason, missing=_("Give a reason for issuing a new certificate."), error=CertificationError
    )
    revoked = Certificate.objects.select_related("program", "user").get(pk=revoked.pk)
    if revoked.revoked_at is None or not latest_is_revoked(revoked.user, revoked.program):
        raise CertificationError(_("This person's last certificate is not revoked."), Kind.CONFLICT)
    program = revoked.program
    missing = rules.missing(
        [r.as_rule() for r in program.requirements.all()], evidence_for(revoked.user, program)
    )
    if missing:
        raise CertificationError(
            _("Requirements not met yet: %(missing)s")
            % {"missing": "、".join(r.label for r in missing)},
            Kind.CONFLICT,
        )
    certificate = certificate_issue(
        user=revoked.user, program=program, today=today or timezone.localdate()
    )
    Certificate.objects.filter(pk=certificate.pk).update(reissue_reason=reason)
    return certificate


def certificate_issue(*, user, program: Program, today: date) -> Certificate:
    """Issue now, unless the learner already holds a valid certificate of the program whose
    renewal window is not open (`rules.next_certificate`). A new certificate supersedes the
    current one (expired, or being renewed: then the new one is valid from the day the old
    one expires). Requirements are not checked here: callers are the check above, and
    records of certificates earned before the platform (the demo)."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        current = (
            Certificate.objects.select_for_update()
            .current()
            .filter(user=user, program=program)
            .first()
        )
        held = rules.standing(
            current_expires_on=current.expires_on if current else None,
            has_current=current is not None,
            today=today,
        )
        dates = rules.next_certificate(held, today=today, validity_months=program.validity_months)
        if dates is None:
            return current
        if current is not None:  # expired or being renewed: the new one supersedes it
            current.superseded_at = timezone.now()
            current.save(update_fields=["superseded_at"])
        certificate = Certificate.objects.create(
            program=program,
            user=user,
            holder_name=_holder_name(user),
            serial=_next_serial(today.year),
            code=rules.new_verification_code(),
            issued_on=today,
            valid_from=dates.valid_from,
            expires_on=dates.expires_on,
        )
        if current is not None:
            current.superseded_by = certificate
            current.save(update_fields=["superseded_by"])
        _after_issue(certificate)
    return certificate


def _after_issue(certificate: Certificate) -> None:
    """Once committed: render the PDF in the background and tell other apps (competency
    records count certificates as evidence)."""
    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate.pk))
    announce_evidence("certification", certificate.user)


def _holder_name(user) -> str:
    profile = staff_profile_for(user)
    return profile.name if profile else (user.get_full_name() or user.username)


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """A supervisor revokes a current certificate of someone they may act on, with a reason."""
    if not may_act_on(by, certificate.user_id):
        raise CertificationError(
            _("You can only revoke certificates of staff you supervise."), Kind.NOT_FOUND
        )
    reason = cleaned_reason(
        reason, missing=_("Give a reason for revoking the certificate."), error=CertificationError
    )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise CertificationError(_("This certificate has already been revoked."), Kind.CONFLICT)
        if locked.superseded_at is not None:
            raise CertificationError(
                _("A newer version of this certificate exists: revoke that one."), Kind.CONFLICT
            )
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason
        locked.revoked_by = by
        locked._change_reason = reason  # kept in the certificate's history
        locked.save()
        announce_evidence("certification", locked.user)  # competency levels follow
    return locked


def certificates_check_for(user) -> list[Certificate]:
    """Issue whatever the learner has newly earned (called when new evidence arrives)."""
    issued = []
    for program in Program.objects.filter(active=True).prefetch_related("requirements"):
        certificate = certificate_issue_if_eligible(user=user, program=program)
        if certificate is not None:
            issued.append(certificate)
    return issued


def observation_record(
    *, observer, person, results: dict[str, bool], note: str = "", observed_on: date | None = None
):
    """Record an observation of a staff member the observer supervises; it counts toward
    programs that require one."""
    if not may_act_on(observer, person.user_id):
        raise CertificationError(_("You can only observe staff you supervise."), Kind.NOT_FOUND)
    unknown = set(results) - {key for key, _label in rules.OBSERVATION_CHECKLIST}
    if unknown:
        raise CertificationError(_("Unknown checklist item."), Kind.INVALID)
    cleaned = {key: bool(results.get(key)) for key, _label in rules.OBSERVATION_CHECKLIST}
    note = refuse_if_too_long(
        (note or "").strip(), limit=limits.NOTE, what=_("The note"), error=CertificationError
    )
    with transaction.atomic():
        observation = Observation.objects.create(
            user=person.user,
            observer=observer,
            observed_on=observed_on or timezone.localdate(),
            results=cleaned,
            passed=rules.observation_passed(cleaned),
            note=note,
        )
        announce_evidence("certification", person.user)
    return observation


def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """A corrected certificate (the holder's current name, the program's current design):
    a new version with the same serial and dates that supersedes this one. Both stay on
    record; the old PDF is kept as it was."""
    if not by.has_perm("certification.reissue_certificate"):
        raise CertificationError(_("You may not re-issue certificates."), Kind.NOT_ALLOWED)
    reason = cleaned_reason(
        reason, missing=_("Give a reason for re-issuing the certificate."), error=CertificationError
    )
    with transaction.atomic():
        # The holder's row first, as certificate_issue does: no race with recertification.
        get_user_model().objects.select_for_update().filter(pk=certificate.user_id).first()
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not old.is_current:
            raise CertificationError(
                _("Only the current version of a certificate can be re-issued."), Kind.CONFLICT
            )
        old.superseded_at = timezone.now()
        old._change_reason = reason
        old.save(update_fields=["superseded_at"])
        new = Certificate.objects.create(
            program=old.program,
            user=old.user,
            holder_name=_holder_name(old.user),
            serial=old.serial,
            version=old.version + 1,
            code=rules.new_verification_code(),
            issued_on=old.issued_on,
            valid_from=old.valid_from,
            expires_on=old.expires_on,
            reissue_reason=reason,
        )
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        _after_issue(new)
    return new


def certificate_content(certificate: Certificate) -> pdf.CertificateContent:
    return pdf.CertificateContent(
        holder=certificate.holder_name,
        program=certificate.program.name,
        serial=certificate.serial,
        version=certificate.version,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        verify_url=verification_url(certificate.code),
        code=certificate.code,
        competencies=[c.name for c in certificate.program.competencies.all()],
    )


def certificate_store_pdf(certificate_id: int) -> Certificate:
    """Render and store a certificate's PDF once. A stored PDF is what was issued: it is
    never rendered again (a correction is a re-issue, see certificate_reissue)."""
    certificate = Certificate.objects.select_related("program").get(pk=certificate_id)
    if certificate.pdf:
        return certificate
    design_row: CertificateDesign | None = design_for(certificate.program)
    design = design_row.as_design() if design_row else pdf.Design()
    data = pdf.render_pdf(certificate_content(certificate), design)
    name = f"{certificate.serial}-v{certificate.version}.pdf"
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.pdf:  # another worker stored it meanwhile
            return locked
        locked.pdf.save(name, ContentFile(data), save=False)
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.pdf_design = design_row.snapshot() if design_row else {}
        locked._change_reason = "PDF"
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_design"])
    return locked


BULK_REISSUE_BATCH = 50


def bulk_reissue_start(
    *, by, certificate_ids: list[int], reason: str, design: CertificateDesign | None = None
) -> BulkReissue:
    """Queue re-issuing many current certificates with one reason (after a design change):
    one job the worker runs (`bulk_reissue_run`), its progress kept on the job's row."""
    if not by.has_perm("certification.reissue_certificate"):
        raise CertificationError(_("You may not re-issue certificates."), Kind.NOT_ALLOWED)
    reason = cleaned_reason(
        reason,
        missing=_("Give a reason for re-issuing the certificates."),
        error=CertificationError,
    )
    ids = sorted(
        Certificate.objects.current().filter(pk__in=certificate_ids).values_list("pk", flat=True)
    )
    if not ids:
        raise CertificationError(_("Choose at least one current certificate."), Kind.INVALID)
    with transaction.atomic():
        job = BulkReissue.objects.create(
            design=design, reason=reason, requested_by=by, total=len(ids)
        )
        BulkReissueItem.objects.bulk_create(
            BulkReissueItem(job=job, certificate_id=pk) for pk in ids
        )
        transaction.on_commit(lambda: run_bulk_reissue.enqueue(job.pk))
    return job


def bulk_reissue_run(job_id: int) -> BulkReissue:
    """Work through a bulk re-issue's pending items in batches, each re-issued
    (`certificate_reissue`: a new version, same serial, history kept) and counted in one
    transaction. Idempotent: a retried or repeated run skips items already done or failed,
    so no certificate is re-issued twice by one job."""
    from django.db.models import F

    job = BulkReissue.objects.select_related("requested_by").get(pk=job_id)
    if job.started_at is None:
        BulkReissue.objects.filter(pk=job_id, started_at__isnull=True).update(
            started_at=timezone.now()
        )
    pending = BulkReissueItem.objects.filter(job=job, reissued__isnull=True, error="")
    while batch := list(pending.order_by("pk").values_list("pk", flat=True)[:BULK_REISSUE_BATCH]):
        for item_id in batch:
            with transaction.atomic():
                item = (
                    BulkReissueItem.objects.select_for_update()
                    .select_related("certificate")
                    .get(pk=item_id)
                )
                if item.reissued_id is not None or item.error:
                    continue  # another run of the task took it meanwhile
                try:
                    item.reissued = certificate_reissue(
                        certificate=item.certificate, by=job.requested_by, reason=job.reason
                    )
                    counter = "done"
                except CertificationError as error:
                    item.error = error.message
                    counter = "failed"
                item.save(update_fields=["reissued", "error"])
                BulkReissue.objects.filter(pk=job_id).update(**{counter: F(counter) + 1})
    BulkReissue.objects.filter(pk=job_id, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
