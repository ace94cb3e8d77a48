"""Issuing activation codes and activating with one; a supervisor resetting a person's
access; self-service password reset by e-mailed link or by reset code. Each refuses in the
domain's words (`academy.errors.Refused`); the rules themselves are in `accounts.activation`
and `accounts.reset`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from academy import limits, login_throttle
from academy.errors import Kind, Refused
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from staff.models import StaffProfile

from . import activation, delivery, notice, reset
from .activation import State
from .models import ActivationCode, NoticeAcceptance, ResetCode
from .selectors import (
    MAX_RESET_ACCOUNTS,
    has_accepted_notice,
    staff_for_activation,
    users_for_reset,
)

log = logging.getLogger("academy.security")


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
        ActivationCode.objects.open().filter(user_id__in=user_ids).update(voided_at=now)
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


def activation_reset(*, actor, staff_id: int) -> IssuedActivation:
    """A supervisor (their own staff) or a trainer resets a person's access: a new activation
    code, voiding the open one, for a one-person sheet. The password the person may have
    keeps working until they activate with the new code. Who did it is the code's
    `issued_by`, and a line in the security log."""
    [issued] = activation_issue(actor=actor, staff_ids=[staff_id])
    log.info(
        "Access reset: new activation code for %s by %r",
        issued.staff.employee_number,
        actor.get_username(),
    )
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


def _set_own_password(user, password: str, password_again: str) -> None:
    """A person chooses their own password: typed twice alike, Django's validators."""
    if password != password_again:
        raise Refused(_("The two passwords differ."), Kind.INVALID)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), Kind.INVALID) from error
    user.set_password(password)
    user.save(update_fields=["password"])


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
        _set_own_password(user, password, password_again)
        row.used_at = now
        row.save(update_fields=["used_at"])
        NoticeAcceptance.objects.get_or_create(
            user=user, version=notice.VERSION, defaults={"accepted_at": now}
        )
    return user


# --- self-service password reset ------------------------------------------------------------


def reset_request(*, identifier: str) -> int:
    """Answer a reset request (run as a task: the page that asked answers the same whatever
    happens here). Each account the identifier names (`selectors.users_for_reset`, a few at
    most) gets Django's reset link by e-mail when it has an address, otherwise a new reset
    code through the first reminder channel that reaches it. Returns how many were sent."""
    sent = 0
    for user in users_for_reset(identifier)[:MAX_RESET_ACCOUNTS]:
        if reset.by_email(user.email):
            reset_link_send(user)
            sent += 1
        else:
            code, row = reset_code_issue(user=user)
            sent += delivery.send_reset_code(user, code, expires_at=row.expires_at)
    log.info("Password reset asked for: %d account(s) sent instructions", sent)
    return sent


def _public_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def reset_link_send(user) -> None:
    """Django's password-reset e-mail to the user's address (in the active language): a
    link with its signed token, which stops working once the password changes or after
    PASSWORD_RESET_TIMEOUT. Sent whether or not the password was ever usable."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    profile = getattr(user, "staff_profile", None)
    context = {
        "user": user,
        "name": profile.name if profile else (user.get_full_name() or user.get_username()),
        "username": user.get_username(),
        "reset_url": _public_url(reverse("password_reset_confirm", args=[uid, token])),
        "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
    }
    PasswordResetForm().send_mail(
        "accounts/email/reset_link_subject.txt",
        "accounts/email/reset_link.txt",
        context,
        None,
        user.email,
        html_email_template_name="accounts/email/reset_link.html",
    )


def _reset_digest(code: str, user_id: int) -> str:
    return activation.code_digest(
        code, user_id=user_id, secret=_secret(), purpose=reset.DIGEST_PURPOSE
    )


def _open_reset_codes(user_ids):
    return ResetCode.objects.open().filter(user_id__in=user_ids)


def reset_code_issue(*, user, now: datetime | None = None) -> tuple[str, ResetCode]:
    """A new reset code for `user`, voiding their open one. The code itself is returned
    once, to be sent; only its digest is kept."""
    now = now or timezone.now()
    code = activation.new_code()
    with transaction.atomic():
        # Two requests at once: the second waits, then voids the first one's code.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk))
        _open_reset_codes([user.pk]).update(voided_at=now)
        row = ResetCode.objects.create(
            user=user,
            code_digest=_reset_digest(code, user.pk),
            issued_at=now,
            expires_at=reset.code_expiry(now, settings.PASSWORD_RESET["code_minutes"]),
        )
    return code, row


def _reset_unknown() -> Refused:
    # One message whether the account or the code is wrong: it never tells who exists.
    return Refused(_("This account and reset code do not match."), Kind.NOT_FOUND)


def _refuse_unless_reset_usable(row: ResetCode, now: datetime) -> ResetCode:
    found = activation.state(
        expires_at=row.expires_at,
        used_at=row.used_at,
        voided_at=row.voided_at,
        now=now,
        wrong_tries=row.wrong_tries,
        max_wrong_tries=settings.PASSWORD_RESET["code_wrong_tries"],
    )
    refusals = {
        State.USED: _("This reset code has already been used. Log in with your new password."),
        State.VOIDED: _("This reset code was replaced by a newer one. Use the latest code."),
        State.EXHAUSTED: _("Too many wrong codes were typed. Ask for a new code."),
        State.EXPIRED: _("This reset code has expired. Ask for a new code."),
    }
    if found in refusals:
        raise Refused(refusals[found], Kind.CONFLICT)
    return row


def reset_code_check(*, identifier: str, code: str, now: datetime | None = None) -> ResetCode:
    """The usable reset code an identifier (as on the request page) and a typed code stand
    for, or refused. A wrong code counts against the open code of every account the
    identifier names, so guessing uses the code up (`reset` gives the limit); the refusal
    says more than "do not match" only when the code matched."""
    now = now or timezone.now()
    typed = activation.normalised_code(code)
    if not typed:
        raise _reset_unknown()
    # An unknown account costs the same queries as a known one (no user has id 0), so the
    # time of the answer does not tell them apart either.
    found = users_for_reset(identifier).values_list("pk", flat=True)[:MAX_RESET_ACCOUNTS]
    user_ids = list(found) or [0]
    with transaction.atomic():
        # Recent codes, so that a used or replaced one is named as such; locked, so that
        # wrong tries typed at once are all counted.
        rows = list(
            ResetCode.objects.select_for_update()
            .filter(user_id__in=user_ids, expires_at__gt=now - timedelta(days=1))
            .order_by("-issued_at")
        )
        matched = next(
            (
                row
                for row in rows
                if activation.digests_match(row.code_digest, _reset_digest(typed, row.user_id))
            ),
            None,
        )
        if matched is None:
            _open_reset_codes(user_ids).update(wrong_tries=F("wrong_tries") + 1)
    if matched is None:
        raise _reset_unknown()
    return _refuse_unless_reset_usable(matched, now)


def password_reset_complete(
    *,
    user,
    password: str,
    password_again: str,
    accepted_version: str,
    reset_code_id: int | None = None,
):
    """Set a person's own password after a reset: by the e-mailed link (the view checked its
    token) or with a reset code (`reset_code_id`, checked again here and used once). The
    person accepts the personal-information notice if they have not yet (imported staff who
    reset instead of activating). Any open reset code is used up, and a login lock on the
    account is lifted: the person has just proved it is theirs. Returns the user."""
    now = timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        row = None
        if reset_code_id is not None:
            row = ResetCode.objects.select_for_update().filter(pk=reset_code_id, user=user).first()
            if row is None:
                raise _reset_unknown()
            # Checked again under the lock: two tabs finishing at once use the code once.
            _refuse_unless_reset_usable(row, now)
        needs_notice = not has_accepted_notice(user)
        if needs_notice and accepted_version != notice.VERSION:
            raise Refused(_("Read and accept the notice to continue."), Kind.INVALID)
        _set_own_password(user, password, password_again)
        if row is not None:
            row.used_at = now
            row.save(update_fields=["used_at"])
        _open_reset_codes([user.pk]).update(voided_at=now)
        if needs_notice:
            NoticeAcceptance.objects.get_or_create(
                user=user, version=notice.VERSION, defaults={"accepted_at": now}
            )
    if login_throttle.account_locked_until(user.get_username()) is not None:
        login_throttle.unlock_account(user.get_username(), by=user)
    log.info("Password reset by user %s", user.pk)
    return user
