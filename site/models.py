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
