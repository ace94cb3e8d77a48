"""Writes for lesson progress. Each is idempotent: a retry or a double click changes nothing."""

from __future__ import annotations

from academy.errors import Kind, Refused
from academy.signals import announce_evidence
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress
from .models import LessonPage, LessonProgress


class CoursesError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


def _progress_row(user, lesson: LessonPage) -> tuple[LessonProgress, bool]:
    now = timezone.now()
    try:
        with transaction.atomic():
            return LessonProgress.objects.get_or_create(
                user=user, lesson=lesson, defaults={"first_opened_at": now, "last_opened_at": now}
            )
    except IntegrityError:  # another request created the row between our read and write
        return LessonProgress.objects.get(user=user, lesson=lesson), False


def lesson_record_visit(*, user, lesson: LessonPage) -> None:
    """Remember that `user` opened `lesson` now (for "continue where I left off")."""
    # One UPDATE for every visit but the first: this runs on each lesson page a learner opens.
    if not LessonProgress.objects.filter(user=user, lesson=lesson).update(
        last_opened_at=timezone.now()
    ):
        _progress_row(user, lesson)


def lesson_mark_complete(*, user, lesson: LessonPage) -> LessonProgress:
    """Mark `lesson` complete for `user`; the first completion time is kept. Refused (conflict)
    until the learner has opened the lesson and read it for its minimum reading time
    (progress.reading_seconds_left)."""
    record = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if record is not None and record.completed_at is not None:
        return record
    left = progress.reading_seconds_left(
        first_opened_at=record.first_opened_at if record else None,
        min_reading_seconds=lesson.min_reading_seconds,
        now=timezone.now(),
    )
    if left is None:
        raise CoursesError(
            _("Open the lesson and read it before marking it complete."), Kind.CONFLICT
        )
    if left > 0:
        raise CoursesError(
            _("Keep reading: you can mark this lesson complete in %(seconds)d seconds.")
            % {"seconds": left},
            Kind.CONFLICT,
        )
    # Update only if still open, so two racing clicks keep one completion time.
    updated = LessonProgress.objects.filter(pk=record.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    record.refresh_from_db(fields=["completed_at"])
    if updated:
        announce_evidence("courses", user)
    return record
