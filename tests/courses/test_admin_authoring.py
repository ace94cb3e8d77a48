"""Trainers author lessons in the Wagtail admin: blocks validate, previews render."""

import pytest

from courses.models import LessonPage, LessonProgress, ModulePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, course):
    client.force_login(UserFactory(roles=["learner", "trainer"]))
    return client


def lesson_form(title: str, **extra) -> dict:
    data = {
        "title": title,
        "slug": "new-lesson",
        "summary": "",
        "estimated_minutes": "6",
        "min_reading_seconds": "0",
        "body-count": "1",
        "body-0-type": "phrase_card",
        "body-0-order": "0",
        "body-0-deleted": "",
        "body-0-id": "",
        "body-0-value-situation": "业主来电投诉噪音",
        "body-0-value-say-count": "1",
        "body-0-value-say-0-value": "您好，非常理解您的心情",
        "body-0-value-say-0-order": "0",
        "body-0-value-say-0-deleted": "",
        "body-0-value-say-0-id": "",
        "body-0-value-never_say-count": "0",
        "body-0-value-why": "",
    }
    data.update(extra)
    return data


def test_preview_of_a_new_lesson_renders_without_recording_progress(trainer_client):
    module = ModulePage.objects.order_by("path").first()
    url = f"/admin/pages/add/courses/lessonpage/{module.id}/preview/"
    response = trainer_client.post(url, lesson_form("预览中的新课"))
    assert response.json()["is_valid"] is True
    page = trainer_client.get(url).content.decode()
    assert "预览中的新课" in page and "您好，非常理解您的心情" in page
    assert "标记为已完成" not in page
    assert not LessonProgress.objects.exists()


def test_preview_of_an_existing_lesson(trainer_client):
    lesson = LessonPage.objects.order_by("path").first()
    url = f"/admin/pages/{lesson.id}/edit/preview/"
    trainer_client.post(url, lesson_form("改过的标题", slug=lesson.slug))
    page = trainer_client.get(url).content.decode()
    assert "改过的标题" in page and "模块1" in page
    assert not LessonProgress.objects.exists()


def test_a_phrase_card_needs_something_to_say(trainer_client):
    module = ModulePage.objects.order_by("path").first()
    form = lesson_form("空话术卡", **{"body-0-value-say-count": "0", "action-publish": "1"})
    response = trainer_client.post(f"/admin/pages/add/courses/lessonpage/{module.id}/", form)
    assert response.status_code == 200  # the form comes back with the error
    assert not LessonPage.objects.filter(title="空话术卡", live=True).exists()
