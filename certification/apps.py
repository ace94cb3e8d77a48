from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Certification programs, automatic issuing, certificates and their verification."""

    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from . import receivers  # noqa: F401 - listens for new evidence from other apps
