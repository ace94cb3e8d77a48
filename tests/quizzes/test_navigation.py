"""Moving through a paged attempt as forms (no JavaScript): answers and flags saved per page,
the navigator, the submit check, and an attempt whose time runs out on the next request."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptState
from tests.factories import build_quiz

pytestmark = pytest.mark.django_db


def start(client, quiz):
    assert client.post(f"/quizzes/{quiz.pk}/start/").status_code == 302
    return Attempt.objects.filter(quiz=quiz).order_by("-pk").first()


def save_page(client, attempt, fields, go):
    return client.post(f"/quizzes/attempts/{attempt.pk}/save/", {**fields, "go": go})


def test_two_per_page_shows_two_questions_and_a_navigator_of_all(learner_client):
    quiz = build_quiz(questions_per_page=2)
    attempt = start(learner_client, quiz)
    html = learner_client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    assert 'id="q1"' in html and 'id="q2"' in html and 'id="q3"' not in html
    assert "第 1 / 2 页" in html
    for n in (1, 2, 3, 4):
        assert f'value="q-{n}"' in html  # the navigator reaches every question
    page_two = learner_client.get(f"/quizzes/attempts/{attempt.pk}/?page=2").content.decode()
    assert 'id="q3"' in page_two and 'id="q4"' in page_two and 'id="q1"' not in page_two
    # A page beyond the last shows the last.
    assert (
        'id="q4"' in learner_client.get(f"/quizzes/attempts/{attempt.pk}/?page=9").content.decode()
    )


def test_moving_on_saves_the_page_and_the_navigator_shows_it(learner_client):
    quiz = build_quiz(questions_per_page=2)
    attempt = start(learner_client, quiz)
    response = save_page(
        learner_client,
        attempt,
        {"on_page": ["1", "2"], "q1": "c-three", "q2": "", "flag": "2"},
        go="page-2",
    )
    assert response.status_code == 302 and response.url.endswith("?page=2")
    q1, q2 = attempt.questions.order_by("position")[:2]
    assert q1.response == "c-three" and not q1.flagged
    assert q2.response == [] and q2.flagged
    html = learner_client.get(response.url).content.decode()
    assert 'data-position="1" class="nav-q answered"' in html
    assert 'data-position="2" class="nav-q unanswered flagged"' in html
    assert 'data-position="3" class="nav-q unanswered current"' in html

    # Unticking the flag on its page clears it; other pages' answers stay as they were.
    response = save_page(learner_client, attempt, {"on_page": ["1", "2"]}, go="q-4")
    assert response.url.endswith("?page=2#q4")
    q1, q2 = attempt.questions.order_by("position")[:2]
    assert q1.response == "c-three" and not q2.flagged


def test_the_submit_check_lists_unanswered_and_flagged_questions(learner_client):
    quiz = build_quiz(questions_per_page=2)
    attempt = start(learner_client, quiz)
    save_page(
        learner_client, attempt, {"on_page": ["1", "2"], "q1": "c-three", "flag": "1"}, "page-2"
    )
    response = save_page(learner_client, attempt, {"on_page": ["3", "4"], "q3": "50"}, go="finish")
    assert response.url == f"/quizzes/attempts/{attempt.pk}/finish/"
    html = learner_client.get(response.url).content.decode()
    assert "已答 2 / 4 题" in html
    unanswered = html[
        html.index('id="unanswered"') : html.index("</ul>", html.index('id="unanswered"'))
    ]
    assert "第 2 题" in unanswered and "第 4 题" in unanswered and "第 1 题" not in unanswered
    assert f"/quizzes/attempts/{attempt.pk}/?page=2#q4" in unanswered
    flagged = html[html.index('id="flagged"') :]
    assert "第 1 题" in flagged.split("</ul>")[0]
    attempt.refresh_from_db()
    assert attempt.is_open  # nothing is final until the learner confirms

    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.points == 2.0


def test_a_forged_answer_on_a_page_is_refused_and_saves_nothing(learner_client):
    quiz = build_quiz(questions_per_page=2)
    attempt = start(learner_client, quiz)
    response = save_page(
        learner_client, attempt, {"on_page": ["1", "2"], "q1": "c-three", "q2": "forged"}, "page-2"
    )
    assert response.status_code == 400
    assert attempt.questions.get(position=1).response is None


def test_after_the_deadline_the_next_page_submits_and_the_result_says_time_is_up(
    learner_client, learner
):
    quiz = build_quiz(time_limit_minutes=10, questions_per_page=2)
    attempt = services.attempt_start(
        user=learner.user, quiz=quiz, now=timezone.now() - timedelta(minutes=30)
    )
    services.attempt_save_answer(
        user=learner.user,
        attempt_id=attempt.pk,
        position=1,
        raw="c-three",
        now=timezone.now() - timedelta(minutes=25),
    )
    response = save_page(learner_client, attempt, {"on_page": ["3", "4"], "q3": "50"}, "page-1")
    assert response.status_code == 302 and response.url.endswith("/review/")
    attempt.refresh_from_db()
    # The answer sent after the time ran out does not count; the saved one does.
    assert attempt.state == AttemptState.FINISHED and attempt.submitted_late
    assert attempt.points == 1.0
    review = learner_client.get(response.url).content.decode()
    assert "时间到，已自动提交" in review


def test_a_page_sent_as_the_time_runs_out_counts_and_submits(learner_client, learner):
    quiz = build_quiz(time_limit_minutes=10, questions_per_page=2)
    attempt = services.attempt_start(
        user=learner.user, quiz=quiz, now=timezone.now() - timedelta(minutes=10, seconds=5)
    )
    response = save_page(
        learner_client, attempt, {"on_page": ["1", "2"], "q1": "c-three"}, "page-2"
    )
    assert response.url.endswith("/review/")
    attempt.refresh_from_db()
    assert attempt.submitted_late and attempt.points == 1.0


def test_the_countdowns_submission_is_marked_as_timed_out(learner_client, learner):
    quiz = build_quiz(time_limit_minutes=10)
    attempt = services.attempt_start(
        user=learner.user, quiz=quiz, now=timezone.now() - timedelta(minutes=10, seconds=1)
    )
    response = learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "c-three"})
    assert response.status_code == 302 and response.url.endswith("/review/")
    attempt.refresh_from_db()
    assert attempt.submitted_late and attempt.points == 1.0
    assert "时间到，已自动提交" in learner_client.get(response.url).content.decode()


def test_a_learner_submitting_in_time_is_not_told_time_is_up(learner_client):
    quiz = build_quiz(time_limit_minutes=10)
    attempt = start(learner_client, quiz)
    response = learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "c-three"})
    attempt.refresh_from_db()
    assert not attempt.submitted_late
    assert "时间到" not in learner_client.get(response.url).content.decode()


def test_the_page_shows_the_time_left_without_javascript(learner_client, learner):
    quiz = build_quiz(time_limit_minutes=10)
    attempt = services.attempt_start(
        user=learner.user, quiz=quiz, now=timezone.now() - timedelta(minutes=3)
    )
    html = learner_client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    assert re.search(r"<b>[67]:\d\d</b>", html)  # counted down by the script, if it runs


@pytest.mark.parametrize("odd", ["²", "-1", "9" * 5000, "abc", ""])
def test_odd_page_numbers_find_a_page_rather_than_an_error(learner_client, odd):
    quiz = build_quiz(questions_per_page=2)
    attempt = start(learner_client, quiz)
    assert learner_client.get(f"/quizzes/attempts/{attempt.pk}/", {"page": odd}).status_code == 200
    for go in (f"q-{odd}", f"page-{odd}", odd):
        response = save_page(learner_client, attempt, {"on_page": odd, "page": odd}, go)
        assert response.status_code == 302 and "?page=" in response.url
