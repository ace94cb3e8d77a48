"""Writes for lesson progress. Each is idempotent: a retry or a double click changes nothing."""

from __future__ import annotations

from academy.signals import announce_evidence
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LessonPage, LessonProgress


def _progress_row(user, lesson: LessonPage) -> tuple[LessonProgress, bool]:
    now = timezone.now()
    try:
        with transaction.atomic():
            return LessonProgress.objects.get_or_create(
                user=user, lesson=lesson, defaults={"first_opened_at": now, "last_opened_at": now}
            )
    except IntegrityError:  # another request created the row between our read and write
        return LessonProgress.objects.get(user=user, lesson=lesson), False


def lesson_record_visit(*, user, lesson: LessonPage) -> LessonProgress:
    """Remember that `user` opened `lesson` now (for "continue where I left off")."""
    record, created = _progress_row(user, lesson)
    if not created:
        record.last_opened_at = timezone.now()
        record.save(update_fields=["last_opened_at"])
    return record


def lesson_mark_complete(*, user, lesson: LessonPage) -> LessonProgress:
    """Mark `lesson` complete for `user`; the first completion time is kept."""
    record, _ = _progress_row(user, lesson)
    if record.completed_at is None:
        # Update only if still open, so two racing clicks keep one completion time.
        updated = LessonProgress.objects.filter(pk=record.pk, completed_at__isnull=True).update(
            completed_at=timezone.now()
        )
        record.refresh_from_db(fields=["completed_at"])
        if updated:
            announce_evidence("courses", user)
    return record
