from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    """Daily practice: flash cards drawn from the lessons and the learner's wrong quiz
    answers, scheduled with FSRS."""

    name = "practice"
    verbose_name = _("Daily practice")

    def ready(self):
        from . import receivers  # noqa: F401 - keeps cards in step with published content
