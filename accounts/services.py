"""Issuing activation codes and activating with one. Each refuses in the domain's words
(`academy.errors.Refused`); the rules themselves are in `accounts.activation`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from academy import limits
from academy.errors import Kind, Refused
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import StaffProfile

from . import activation, notice
from .activation import State
from .models import ActivationCode, NoticeAcceptance
from .selectors import staff_for_activation


@dataclass(frozen=True)
class IssuedActivation:
    """What a sheet prints for one person; the secrets exist only here, never stored."""

    staff: StaffProfile
    code: str
    token: str
    expires_at: datetime

    @property
    def display_code(self) -> str:
        return activation.display_code(self.code)


def _secret() -> str:
    return settings.SECRET_KEY


def activation_issue(*, actor, staff_ids: list[int]) -> list[IssuedActivation]:
    """New activation codes for these staff, voiding each one's open code. Refused as not
    found when any of them is not one `actor` may print for (a foreign team reads like a
    missing one)."""
    wanted = set(staff_ids)
    if not wanted:
        raise Refused(_("Choose at least one person."), Kind.INVALID)
    if len(wanted) > limits.ACTIVATION_SHEET:
        raise Refused(
            _("At most %(limit)d people on one sheet.") % {"limit": limits.ACTIVATION_SHEET},
            Kind.INVALID,
        )
    people = list(staff_for_activation(actor).filter(pk__in=wanted).order_by("employee_number"))
    if len(people) != len(wanted):
        raise Refused(_("Some of these people are not on your teams."), Kind.NOT_FOUND)
    now = timezone.now()
    expires_at = activation.expiry(now, settings.ACTIVATION["valid_days"])
    issued = []
    with transaction.atomic():
        user_ids = [person.user_id for person in people]
        # Two sheets printed at once for the same person: the second waits, then voids the
        # first one's code, so one open code remains (the database constraint holds it too).
        list(get_user_model().objects.select_for_update().filter(pk__in=user_ids))
        ActivationCode.objects.filter(
            user_id__in=user_ids, used_at__isnull=True, voided_at__isnull=True
        ).update(voided_at=now)
        rows = []
        for person in people:
            code, token = activation.new_code(), activation.new_token()
            rows.append(
                ActivationCode(
                    user_id=person.user_id,
                    token_digest=activation.token_digest(token, secret=_secret()),
                    code_digest=activation.code_digest(
                        code, user_id=person.user_id, secret=_secret()
                    ),
                    issued_by=actor,
                    issued_at=now,
                    expires_at=expires_at,
                )
            )
            issued.append(IssuedActivation(person, code, token, expires_at))
        ActivationCode.objects.bulk_create(rows)
    return issued


def _unknown() -> Refused:
    # One message whether the employee number or the code is wrong: a refusal never tells
    # which employee numbers exist.
    return Refused(_("This employee number and activation code do not match."), Kind.NOT_FOUND)


def _refuse_unless_usable(row: ActivationCode, now: datetime) -> ActivationCode:
    found = activation.state(
        expires_at=row.expires_at, used_at=row.used_at, voided_at=row.voided_at, now=now
    )
    if found is State.USED:
        raise Refused(
            _(
                "This activation code has already been used. Log in with your password, or "
                "ask your supervisor for a new code."
            ),
            Kind.CONFLICT,
        )
    if found is State.VOIDED:
        raise Refused(
            _("This activation code was replaced by a newer one. Use the newest sheet."),
            Kind.CONFLICT,
        )
    if found is State.EXPIRED:
        raise Refused(
            _("This activation code has expired. Ask your supervisor for a new one."),
            Kind.CONFLICT,
        )
    if not row.user.is_active:
        raise _unknown()
    return row


def activation_by_token(token: str, *, now: datetime | None = None) -> ActivationCode:
    """The usable activation behind a QR link, or refused."""
    if len(token) > 100:
        raise _unknown()
    row = (
        ActivationCode.objects.select_related("user")
        .filter(token_digest=activation.token_digest(token, secret=_secret()))
        .first()
    )
    if row is None:
        raise _unknown()
    return _refuse_unless_usable(row, now or timezone.now())


def activation_by_code(
    *, employee_number: str, code: str, now: datetime | None = None
) -> ActivationCode:
    """The usable activation an employee number and a typed code stand for, or refused.
    Only when the code matches does the refusal say more than "do not match"."""
    typed = activation.normalised_code(code)
    person = (
        StaffProfile.objects.filter(employee_number=employee_number.strip()[:32]).first()
        if typed
        else None
    )
    if person is None:
        raise _unknown()
    digest = activation.code_digest(typed, user_id=person.user_id, secret=_secret())
    for row in ActivationCode.objects.select_related("user").filter(user_id=person.user_id):
        if activation.digests_match(row.code_digest, digest):
            return _refuse_unless_usable(row, now or timezone.now())
    raise _unknown()


def activation_complete(
    *, activation_id: int, password: str, password_again: str, accepted_version: str
):
    """Use an activation: set the person's own password (Django's validators) and record
    their acceptance of the notice. Returns the user, for the view to sign in."""
    if password != password_again:
        raise Refused(_("The two passwords differ."), Kind.INVALID)
    if accepted_version != notice.VERSION:
        raise Refused(_("Read and accept the notice to continue."), Kind.INVALID)
    now = timezone.now()
    with transaction.atomic():
        row = (
            ActivationCode.objects.select_for_update()
            .select_related("user")
            .filter(pk=activation_id)
            .first()
        )
        if row is None:
            raise _unknown()
        # Checked again under the lock: two tabs finishing at once use the code once.
        _refuse_unless_usable(row, now)
        user = row.user
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise Refused(" ".join(error.messages), Kind.INVALID) from error
        user.set_password(password)
        user.save(update_fields=["password"])
        row.used_at = now
        row.save(update_fields=["used_at"])
        NoticeAcceptance.objects.get_or_create(
            user=user, version=notice.VERSION, defaults={"accepted_at": now}
        )
    return user
