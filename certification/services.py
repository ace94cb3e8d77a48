"""Issuing and revoking certificates: one function each, atomic and idempotent."""

from __future__ import annotations

from datetime import date

from academy.errors import Refused
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.selectors import staff_profile_for

from . import rules
from .models import Certificate, Program, SerialCounter
from .selectors import evidence_for


class CertificationError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


def _next_serial(year: int) -> str:
    counter, _created = SerialCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return rules.serial_number(year, counter.last)


def certificate_issue_if_eligible(*, user, program: Program,
                                  today: date | None = None) -> Certificate | None:
    """Issue the program's certificate if every requirement is met and the learner holds no
    valid one. Safe to call on every new piece of evidence: it issues exactly once, also when
    two events race (the learner's row is locked, and a constraint backs it up)."""
    today = today or timezone.localdate()
    requirements = [r.as_rule() for r in program.requirements.all()]
    if not program.active or not requirements:
        return None
    if rules.missing(requirements, evidence_for(user, program)):
        return None
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        current = Certificate.objects.select_for_update().filter(
            user=user, program=program, revoked_at__isnull=True, superseded_at__isnull=True
        ).first()
        if current is not None and current.status(today) == rules.VALID:
            return current
        profile = staff_profile_for(user)
        now = timezone.now()
        if current is not None:  # expired: recertification supersedes it
            current.superseded_at = now
            current.save(update_fields=["superseded_at"])
        certificate = Certificate.objects.create(
            program=program, user=user,
            holder_name=profile.name if profile else (user.get_full_name() or user.username),
            serial=_next_serial(today.year), code=rules.new_verification_code(),
            issued_on=today,
            expires_on=rules.add_months(today, program.validity_months)
            if program.validity_months else None,
        )
        if current is not None:
            current.superseded_by = certificate
            current.save(update_fields=["superseded_by"])
    return certificate


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(_("Give a reason for revoking the certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise CertificationError(_("This certificate has already been revoked."), 409)
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason
        locked.revoked_by = by
        locked._change_reason = reason  # kept in the certificate's history
        locked.save()
    return locked


def certificates_check_for(user) -> list[Certificate]:
    """Issue whatever the learner has newly earned (called when new evidence arrives)."""
    issued = []
    for program in Program.objects.filter(active=True).prefetch_related("requirements"):
        certificate = certificate_issue_if_eligible(user=user, program=program)
        if certificate is not None:
            issued.append(certificate)
    return issued


def observation_record(*, observer, person, results: dict[str, bool], note: str = "",
                       observed_on: date | None = None):
    """Record an observation of a staff member the observer supervises; it counts toward
    programs that require one."""
    from academy.signals import announce_evidence

    from staff.selectors import staff_visible_to

    from .models import Observation

    if not observer.has_perm("staff.view_supervised_staff") or person.user_id == observer.pk or (
            not staff_visible_to(observer).filter(pk=person.pk).exists()):
        raise CertificationError(_("You can only observe staff you supervise."), 404)
    unknown = set(results) - {key for key, _label in rules.OBSERVATION_CHECKLIST}
    if unknown:
        raise CertificationError(_("Unknown checklist item."), 400)
    cleaned = {key: bool(results.get(key)) for key, _label in rules.OBSERVATION_CHECKLIST}
    with transaction.atomic():
        observation = Observation.objects.create(
            user=person.user, observer=observer, observed_on=observed_on or timezone.localdate(),
            results=cleaned, passed=rules.observation_passed(cleaned), note=note.strip(),
        )
        announce_evidence("certification", person.user)
    return observation
