from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Per-staff competency records: levels derived from evidence, supervisor adjustments."""

    name = "records"
    verbose_name = _("Competency records")

    def ready(self):
        from . import receivers  # noqa: F401 - listens for new evidence from other apps
