from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    """Question bank, quizzes, attempts and grading."""

    name = "quizzes"
    verbose_name = _("Quizzes")
