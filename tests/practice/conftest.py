import json
import uuid

import pytest

from tests.practice.test_cards import DO_DONT, PHRASE, PROCEDURE


def publish_lesson(module, title, slug, blocks):
    """A lesson published the way trainers do (a revision, published): cards follow."""
    from courses.models import LessonPage

    lesson = module.add_child(
        instance=LessonPage(title=title, slug=slug, estimated_minutes=5, body=json.dumps(blocks))
    )
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def build_practice_course():
    """Two published lessons in a module of the phrases competency: 3 + 2 cards."""
    from academy.models import Competency

    from courses.models import ModulePage
    from tests.factories import build_course

    index = build_course(modules=1, lessons_per_module=0)
    module = ModulePage.objects.get()
    module.competency = Competency.objects.create(slug="phrases", name="规范用语")
    module.save_revision().publish()
    first = publish_lesson(module, "媒体到场", "media", [PHRASE])
    second = publish_lesson(module, "火情处置", "fire", [PROCEDURE, DO_DONT])
    return index, first, second


@pytest.fixture
def practice_course(db):
    return build_practice_course()


def rate(user, card_id, rating=3, **kwargs):
    from practice.services import review_record

    return review_record(user, card_id=card_id, rating=rating, client_id=uuid.uuid4(), **kwargs)
