"""Test data for daily practice as evidence: a module of a competency whose lesson makes
practice cards, and a learner who holds them after reviews spread over weeks."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

from django.utils import timezone
from wagtail.models import Site as WagtailSite

from courses.models import CourseIndexPage, LessonPage, ModulePage
from practice import schedule
from practice.models import Card
from practice.services import cards_sync_lesson, review_record
from tests.factories import ensure_tree_roots


def _course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = ensure_tree_roots().add_child(
            instance=CourseIndexPage(title="课程", slug="courses-practice")
        )
        WagtailSite.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": index}
        )
    return index


def practice_lesson(competency, cards: int = 5, *, slug: str = "") -> tuple[LessonPage, list[int]]:
    """A live module of `competency` with one lesson whose do-and-don't table makes `cards`
    practice cards; returns the lesson and its cards' ids in course order."""
    slug = slug or competency.slug
    module = _course_index().add_child(
        instance=ModulePage(title=f"{competency.name}模块", slug=f"m-{slug}", competency=competency)
    )
    rows = [
        {"type": "item", "id": f"r{n}", "value": {"do": f"要做的第{n}件事", "dont": f"不要做{n}"}}
        for n in range(cards)
    ]
    body = [
        {
            "type": "do_dont",
            "id": f"dd-{slug}",
            "value": {"title": f"{competency.name}要点", "rows": rows, "in_practice": True},
        }
    ]
    lesson = module.add_child(
        instance=LessonPage(title=f"{competency.name}一课", slug=f"l-{slug}", body=json.dumps(body))
    )
    cards_sync_lesson(lesson.pk)
    ids = list(
        Card.objects.filter(lesson=lesson, active=True)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    assert len(ids) == cards
    return lesson, ids


def open_lesson(user, lesson) -> None:
    """The learner opens the lesson: its cards join their deck."""
    from courses.services import lesson_record_visit

    lesson_record_visit(user=user, lesson=lesson)


def hold_cards(user, card_ids, *, start: datetime | None = None, rating=schedule.GOOD) -> datetime:
    """Rate each card whenever it is due, from `start` (by default five weeks ago), until it
    is held (`schedule.is_held`): four good ratings over about two weeks. Returns the time
    of the last rating."""
    start = start or timezone.now() - timedelta(days=35)
    last = start
    for card_id in card_ids:
        at = start
        for _ in range(4):
            rated = review_record(
                user, card_id=card_id, rating=rating, client_id=uuid.uuid4(), now=at
            )
            last = max(last, at)
            at = rated.due
    return last


def rate_once(user, card_id, *, at: datetime | None = None, rating=schedule.GOOD):
    return review_record(
        user, card_id=card_id, rating=rating, client_id=uuid.uuid4(), now=at or timezone.now()
    )
