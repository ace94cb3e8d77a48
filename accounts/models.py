from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A code nobody has used and no newer code has replaced.
OPEN = Q(used_at__isnull=True, voided_at__isnull=True)


class OneTimeCodeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(OPEN)


class OneTimeCode(models.Model):
    """What an activation code and a reset code share: the keyed digest of the code, when it
    was issued and expires, and whether it was used or voided by a newer one (one open code
    per person: each subclass holds it with a constraint over `OPEN`)."""

    code_digest = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    objects = OneTimeCodeQuerySet.as_manager()

    class Meta:
        abstract = True


class ActivationCode(OneTimeCode):
    """One activation issued to a person: digests of its QR token and typed code (see
    `accounts.activation`), when it expires, and whether it was used or voided by a newer one.
    Kept after use, as the record of who issued access to whom."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("activation code")
        constraints = [
            # Re-issuing voids the old code first: one open code per person at most.
            models.UniqueConstraint(
                fields=["user"],
                condition=OPEN,
                name="one_open_activation_code_per_user",
            )
        ]
        permissions = [("issue_activation", _("Can print activation sheets for any staff"))]

    def __str__(self):
        return f"{self.user} {self.issued_at:%Y-%m-%d}"


class NoticeAcceptance(models.Model):
    """A person accepted the personal-information notice of this version (`accounts.notice`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acceptances"
    )
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("notice acceptance")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_acceptance_per_version")
        ]

    def __str__(self):
        return f"{self.user} {self.version}"


class ResetCode(OneTimeCode):
    """A self-service reset code sent to a person without e-mail (`accounts.reset`): the
    keyed digest of the code, when it expires, how many wrong codes were typed against it,
    and whether it was used or voided by a newer request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reset_codes"
    )
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("reset code")
        constraints = [
            # Asking again voids the old code first: one open code per person at most.
            models.UniqueConstraint(
                fields=["user"],
                condition=OPEN,
                name="one_open_reset_code_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"
