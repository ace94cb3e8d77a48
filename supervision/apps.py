from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """What supervisors track: who is certified, assignments with due dates, the dashboard,
    the competency matrix, exports, reminders and the read-only API."""

    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from . import (
            channels,  # noqa: F401 - registers the check of KEFU_REMINDER_CHANNELS
            receivers,  # noqa: F401 - keeps program progress in step with evidence
        )
