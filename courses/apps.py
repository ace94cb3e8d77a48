from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course index, module and lesson pages; lesson progress; the learner's home."""

    name = "courses"
    verbose_name = _("Courses")
