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


def pages_make_slugs_readable() -> list[tuple[str, str]]:
    """Give every course page whose slug is not ASCII (one saved before slugs were made
    readable, `StaffOnlyPage.make_slug_readable`) its pinyin slug, parents before children.
    Wagtail moves the page's and its descendants' URLs and, once the transaction commits,
    redirects their old addresses to the pages (`wagtail.contrib.redirects`, 301). The
    latest revision gets the new slug too, so the next edit in the admin keeps it.
    Idempotent: returns the (old, new) url paths changed, none the second time."""
    from wagtail.models import Page

    from .models import CourseIndexPage, ModulePage

    changed = []
    candidates = (
        Page.objects.type(CourseIndexPage, ModulePage, LessonPage)
        .order_by("path")
        .values_list("pk", "slug")
    )
    for pk, slug in candidates:
        if slug.isascii():
            continue
        with transaction.atomic():
            page = Page.objects.get(pk=pk).specific
            old_url_path = page.url_path
            page.make_slug_readable()
            if page.slug == slug:
                continue  # nothing in it to spell in Latin letters
            # Only the slug: the rest of a page saved long ago is not validated again here.
            page.save(clean=False, update_fields=["slug", "url_path"])
            revision = page.latest_revision
            if revision is not None and revision.content.get("slug") == slug:
                revision.content["slug"] = page.slug
                revision.save(update_fields=["content"])
            changed.append((old_url_path, page.url_path))
    return changed
