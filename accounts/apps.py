from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """How a member of staff gets in: activation codes and the personal-information notice."""

    name = "accounts"
    verbose_name = _("Accounts and activation")
