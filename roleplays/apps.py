from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoleplaysConfig(AppConfig):
    """Branching role-play scenarios: authoring, player, scoring, Twee 3."""

    name = "roleplays"
    verbose_name = _("Role-plays")

    def ready(self):
        from . import signals  # noqa: F401 - connects the publish receiver
