"""Tokens for the HR API. A token acts as one Django user and sees exactly what that user may
see.

Wagtail 8 has API tokens of its own (`wagtailcore.APIToken`, for Wagtail's content API, which
can write). These are kept apart on purpose: a token handed to an HR system reaches this
read-only API and nothing else.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import tokens


class ApiToken(models.Model):
    name = models.CharField(
        _("name"), max_length=120, help_text=_("Which system uses this token, e.g. the HR system.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.PROTECT,
        related_name="hr_api_tokens",
        help_text=_("The token sees what this user may see."),
    )
    prefix = models.CharField(_("prefix"), max_length=tokens.PREFIX_LENGTH, db_index=True)
    # SHA-256 of the whole token; the token itself is never stored.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("HR API token")
        verbose_name_plural = _("HR API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
