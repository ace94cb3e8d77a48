"""The emergency cards page, the offline page and the service worker over HTTP."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime

from courses.models import LessonPage
from tests.factories import body, build_course, build_emergency_module

pytestmark = pytest.mark.django_db


def cards(response) -> list[str]:
    return re.findall(r'<article class="emergency-card" id="(card-\d+)"', response.content.decode())


def test_the_page_is_for_signed_in_staff(client):
    response = client.get("/emergency/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_cards_of_emergency_modules_only_each_linking_to_its_lesson(learner_client):
    index = build_course(modules=1, lessons_per_module=1)
    other = LessonPage.objects.get(slug="lesson-1-1")
    other.body = body(("procedure", {"title": "不是应急", "steps": [{"text": "步骤"}]}))
    other.save_revision().publish()
    build_emergency_module(index, lessons=2)

    response = learner_client.get("/emergency/")
    page = response.content.decode()
    assert response.status_code == 200
    assert cards(response) == ["card-1", "card-2"]
    assert "不是应急" not in page
    assert page.count("发现火情") == 4  # two cards, each in the jump list too
    assert 'href="/courses/emergency/fire-1/"' in page
    assert 'href="#card-2"' in page and 'href="#lesson-' in page
    assert "时限：立即" in page
    assert "请您马上离开房间" in page and "等等再说" in page
    assert "更新于" in page


def test_withdrawn_lessons_and_unmarked_modules_drop_out(learner_client):
    index = build_course(modules=1, lessons_per_module=1)
    module = build_emergency_module(index, lessons=2)
    LessonPage.objects.get(slug="fire-2").unpublish()
    assert cards(learner_client.get("/emergency/")) == ["card-1"]
    module.emergency_cards = False
    module.save_revision().publish()
    response = learner_client.get("/emergency/")
    assert cards(response) == [] and "还没有发布应急处置步骤" in response.content.decode()


def test_updated_is_the_newest_publication_shown(learner_client):
    index = build_course(modules=1, lessons_per_module=1)
    build_emergency_module(index, lessons=2)
    newest = LessonPage.objects.get(slug="fire-2").last_published_at
    page = learner_client.get("/emergency/").content.decode()
    shown = localtime(newest).isoformat(timespec="minutes")
    assert f'更新于 <time class="date" datetime="{shown}">' in page


def test_the_page_costs_the_same_queries_for_one_lesson_or_many(learner_client):
    index = build_course(modules=1, lessons_per_module=1)
    build_emergency_module(index, lessons=1)
    learner_client.get("/emergency/")
    with CaptureQueriesContext(connection) as small:
        learner_client.get("/emergency/")
    build_emergency_module(index, lessons=12, slug="more")
    with CaptureQueriesContext(connection) as large:
        response = learner_client.get("/emergency/")
    assert len(cards(response)) == 13
    assert len(large) == len(small)


def test_home_and_nav_link_to_the_cards(learner_client):
    build_course(modules=1, lessons_per_module=1)
    page = learner_client.get("/").content.decode()
    assert page.count('href="/emergency/"') == 2  # the site nav and the learner home
    assert "应急卡片" in page
