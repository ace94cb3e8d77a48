from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import limits


class Competency(models.Model):
    """A competency staff are trained and certified in (服务礼仪, 规范用语, 投诉处理, …).

    Shared by courses, quizzes, role-plays and competency records, so it lives in the core.
    """

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ScheduledRun(models.Model):
    """A task the scheduler (`academy.scheduler`) queued for a day. Written in the same
    transaction as the task's row, so a day counts as done exactly when its task is queued;
    the unique day lets only one of several schedulers queue it."""

    task_path = models.CharField(max_length=200)
    day = models.DateField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_path", "day"], name="scheduled_run_once_a_day")
        ]

    def __str__(self):
        return f"{self.task_path} {self.day}"


class ImportKind(models.TextChoices):
    QUESTIONS_GIFT = "questions_gift", _("Questions (GIFT)")
    QUESTIONS_MOODLE_XML = "questions_moodlexml", _("Questions (Moodle XML)")
    SCENARIO_TWEE = "scenario_twee", _("Role-play (Twee)")
    STAFF_ROSTER = "staff_roster", _("Staff roster")


class ImportRecord(models.Model):
    """One import that went through (a refused import imports nothing and leaves no record):
    who, when, what kind, from which file, what it changed and where to see the result.
    Written by the import services through `academy.imports.import_record`, in the same
    transaction as what they import."""

    kind = models.CharField(_("kind"), max_length=30, choices=ImportKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    # What the import did, e.g. {"new": 3, "updated": 1, "unchanged": 9} (see COUNT_LABELS).
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    summary = models.CharField(_("what"), max_length=255, blank=True)
    result_url = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name or self.summary}"
