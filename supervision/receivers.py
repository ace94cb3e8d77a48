"""What supervision keeps in step with the rest: program progress with the evidence, and the
due dates stored on the same rows with the assignments and the staff profiles.

The due-date receivers listen to model signals, so every way of changing an assignment or a
profile through its model (our services, the Wagtail snippet views, the roster import, a
shell) keeps the stored due dates true. `QuerySet.update()` and `bulk_create()` send no
signals: whoever changes assignments or profiles that way calls
`services.due_dates_update_for` for the people concerned (as the dashboard bench does).
"""

from types import SimpleNamespace

from academy.signals import evidence_recorded
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from staff.models import StaffProfile

from .models import Assignment

# What decides whom an assignment covers and when, and where a person stands for coverage.
ASSIGNMENT_FIELDS = (
    "program_id",
    "user_id",
    "team_id",
    "site_id",
    "position",
    "due_on",
    "withdrawn_at",
)
PROFILE_FIELDS = ("user_id", "team_id", "site_id", "position", "active")


@receiver(evidence_recorded)
def recount_program_progress(sender, user, **kwargs):
    from .services import progress_update_for

    progress_update_for(user)


def _as_stored(sender, instance, fields) -> SimpleNamespace | None:
    """The row as it is in the database before this save (None for a new one)."""
    if instance.pk is None:
        return None
    row = sender.objects.filter(pk=instance.pk).values("pk", *fields).first()
    return SimpleNamespace(**row) if row else None


def _changed(before: SimpleNamespace | None, instance, fields) -> bool:
    return before is None or any(getattr(before, f) != getattr(instance, f) for f in fields)


@receiver(pre_save, sender=Assignment)
@receiver(pre_save, sender=StaffProfile)
def remember_coverage_before_save(sender, instance, raw=False, **kwargs):
    if not raw:
        fields = ASSIGNMENT_FIELDS if sender is Assignment else PROFILE_FIELDS
        instance._coverage_before = _as_stored(sender, instance, fields)


@receiver(post_save, sender=Assignment)
def due_dates_after_assignment_saved(sender, instance, raw=False, **kwargs):
    from .services import due_dates_follow_assignment

    if raw:
        return  # loaddata: the fixture brings its own rows
    before = vars(instance).pop("_coverage_before", None)
    if _changed(before, instance, ASSIGNMENT_FIELDS):
        due_dates_follow_assignment(now=instance, before=before)


@receiver(post_delete, sender=Assignment)
def due_dates_after_assignment_deleted(sender, instance, **kwargs):
    from .services import due_dates_follow_assignment

    due_dates_follow_assignment(now=None, before=instance)


@receiver(post_save, sender=StaffProfile)
def due_dates_after_profile_saved(sender, instance, raw=False, **kwargs):
    from .services import due_dates_update_for

    if raw:
        return
    before = vars(instance).pop("_coverage_before", None)
    if _changed(before, instance, PROFILE_FIELDS):
        due_dates_update_for({instance.user_id, before.user_id if before else instance.user_id})


@receiver(post_delete, sender=StaffProfile)
def due_dates_after_profile_deleted(sender, instance, **kwargs):
    from .services import due_dates_update_for

    due_dates_update_for([instance.user_id])
