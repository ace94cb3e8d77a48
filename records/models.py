"""One competency record per staff member per competency. Every change is kept by
django-simple-history, with who made it (`history_user`; empty when the evidence did) and
why (`history_change_reason`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from . import levels


class Level(models.IntegerChoices):
    # A context keeps these apart from other "Not started" strings (a module's status).
    NOT_STARTED = levels.NOT_STARTED, pgettext_lazy("competency level", "Not started")
    AWARE = levels.AWARE, pgettext_lazy("competency level", "Aware")
    COMPETENT = levels.COMPETENT, pgettext_lazy("competency level", "Competent")
    PROFICIENT = levels.PROFICIENT, pgettext_lazy("competency level", "Proficient")
    CAN_COACH = levels.CAN_COACH, pgettext_lazy("competency level", "Can coach")


class Source(models.TextChoices):
    EVIDENCE = "evidence", _("Derived from the evidence")
    SUPERVISOR = "supervisor", _("Set by a supervisor")


class CompetencyRecord(models.Model):
    """`level` is what the record says; `derived_level` what the evidence alone supports.

    They differ only after a supervisor's adjustment, which stands until the evidence-derived
    level changes (see `services.records_recompute_for`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="competency_records"
    )
    competency = models.ForeignKey(
        "academy.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.NOT_STARTED
    )
    derived_level = models.PositiveSmallIntegerField(
        _("level from the evidence"), choices=Level.choices, default=Level.NOT_STARTED
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.EVIDENCE
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # A supervisor's reason can be longer than simple-history's default 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("competency record")
        verbose_name_plural = _("competency records")
        ordering = ["user_id", "competency__sort_order", "competency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "competency"], name="one_record_per_person_and_competency"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=levels.MIN_LEVEL, level__lte=levels.MAX_LEVEL),
                name="record_level_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    derived_level__gte=levels.MIN_LEVEL, derived_level__lte=levels.MAX_LEVEL
                ),
                name="record_derived_level_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.competency} · {self.level}"
