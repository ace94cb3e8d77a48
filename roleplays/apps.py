from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoleplaysConfig(AppConfig):
    """Branching role-play scenarios (issue #4; no models yet)."""

    name = "roleplays"
    verbose_name = _("Role-plays")
