"""The practice page, the rating endpoint and the home's practice line."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.services import lesson_record_visit
from practice.models import Card, CardState, Review
from practice.selectors import deck, session_for
from tests.practice.conftest import publish_lesson
from tests.practice.test_cards import DO_DONT

pytestmark = pytest.mark.django_db


def post_json(client, data):
    return client.post("/practice/reviews/", json.dumps(data), content_type="application/json")


@pytest.fixture
def opened(practice_course, learner):
    _, first, second = practice_course
    lesson_record_visit(user=learner.user, lesson=first)
    lesson_record_visit(user=learner.user, lesson=second)
    return practice_course


def test_the_page_shows_todays_cards_with_the_four_ratings(learner_client, opened):
    page = learner_client.get("/practice/").content.decode()
    assert page.count('<article class="practice-card') == 5
    assert "记者向你提问" in page and "「无可奉告。」" in page
    for label in ("忘了", "模糊", "记得", "很熟"):
        assert f">{label}</button>" in page
    assert "显示答案" in page


def test_the_home_says_how_many_cards_are_due_and_links_to_practice(learner_client, opened):
    page = learner_client.get("/").content.decode()
    assert "每日练习" in page and "<strong>5</strong>" in page
    assert 'href="/practice/"' in page


def test_an_empty_deck_says_how_to_fill_it(learner_client, practice_course):
    page = learner_client.get("/practice/").content.decode()
    assert "你的练习卡组还是空的" in page
    assert "打开一节课" in learner_client.get("/").content.decode()


def test_a_json_rating_is_stored_once_and_says_when_the_card_is_due(
    learner_client, opened, learner
):
    card = deck(learner.user).first()
    rating = {"id": str(uuid.uuid4()), "card": card.pk, "rating": 3}
    first = post_json(learner_client, rating)
    assert first.status_code == 201
    assert first.json()["duplicate"] is False and first.json()["card"] == card.pk
    again = post_json(learner_client, rating)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "无法读取这条评分。"),
        ('["a list"]', 400, "无法读取这条评分。"),
        ('{"id": "x", "card": 1, "rating": 3}', 400, "这条评分没有有效的编号。"),
    ],
)
def test_unreadable_ratings_get_a_clear_400(learner_client, opened, body, status, message):
    response = learner_client.post("/practice/reviews/", body, content_type="application/json")
    assert response.status_code == status
    assert response.json()["error"] == message
    assert not Review.objects.exists()


def test_a_card_outside_the_deck_is_404_and_a_bad_rating_400(
    learner_client, practice_course, learner
):
    card = Card.objects.first()  # no lesson opened
    response = post_json(learner_client, {"id": str(uuid.uuid4()), "card": card.pk, "rating": 3})
    assert response.status_code == 404
    assert response.json()["error"] == "这张卡片不在你的练习卡组里。"
    bad = post_json(learner_client, {"id": str(uuid.uuid4()), "card": card.pk, "rating": 9})
    assert bad.status_code == 400


def test_the_form_fallback_rates_and_returns_to_the_session(learner_client, opened, learner):
    card = session_for(learner.user).cards[0]
    response = learner_client.post(
        "/practice/reviews/", {"card": card.id, "rating": "4", "id": str(uuid.uuid4())}
    )
    assert response.status_code == 302 and response["Location"] == "/practice/"
    assert CardState.objects.get(card_id=card.id).due > timezone.now()
    page = learner_client.get("/practice/").content.decode()
    assert page.count('<article class="practice-card') == 4


def test_signed_out_visitors_are_sent_to_log_in(client, practice_course):
    assert client.get("/practice/").status_code == 302
    response = client.post("/practice/reviews/", "{}", content_type="application/json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_building_a_session_is_a_constant_number_of_queries(practice_course, learner):
    """Wrong answers and lessons opened, 5 cards vs 40 cards: the same queries."""
    from courses.models import ModulePage

    _, first, second = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)

    def count():
        with CaptureQueriesContext(connection) as queries:
            session_for(user)
        return len(queries)

    small = count()
    module = ModulePage.objects.get()
    for n in range(12):
        lesson = publish_lesson(
            module,
            f"课{n}",
            f"extra-{n}",
            [{**DO_DONT, "id": f"dd-{n}"}, {**DO_DONT, "id": f"de-{n}"}],
        )
        lesson_record_visit(user=user, lesson=lesson)
    assert deck(user).count() > 25
    assert count() == small
