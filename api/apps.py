from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only JSON API for HR systems: staff, certificates, competency levels and
    program status, scoped like the supervisor's dashboard, authenticated by API tokens."""

    name = "api"
    verbose_name = _("HR API")
