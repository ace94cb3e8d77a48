"""A written reply waiting for a trainer: what the learner may see and do before and after
the grade."""

import pytest

from quizzes import services
from quizzes.models import Attempt
from staff.roles import TRAINER
from tests.factories import StaffFactory, build_quiz

pytestmark = pytest.mark.django_db

ESSAY = {
    "kind": "essay",
    "text": "<p>回复业主的投诉邮件</p>",
    "general_feedback": "<p>范文：王女士您好，非常抱歉……</p>",
    "rubric": [{"criterion": "先致歉", "points": 3}, {"criterion": "承诺时限", "points": 2}],
}


@pytest.fixture
def submitted(learner_client):
    quiz = build_quiz(specs=("phone", ESSAY), pass_mark=60)
    learner_client.post(f"/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(quiz=quiz)
    learner_client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/",
        {"q1": "c-three", "q2": "王女士您好，非常抱歉……今天下午三点前上门。"},
    )
    attempt.refresh_from_db()
    assert attempt.state == "awaiting_grading"
    return attempt


def grade(attempt, awarded, comment):
    trainer = StaffFactory(user__roles=[TRAINER])
    services.attempt_question_grade(
        grader=trainer.user,
        attempt_question_id=attempt.questions.get(version__spec__kind="essay").pk,
        awarded=awarded,
        comment=comment,
    )


def test_while_waiting_no_new_attempt_starts(learner_client, submitted):
    quiz = submitted.quiz
    page = learner_client.get(f"/quizzes/{quiz.pk}/").content.decode()
    assert "待批改：批改后可再次作答。" in page
    assert f'action="/quizzes/{quiz.pk}/start/"' not in page
    response = learner_client.post(f"/quizzes/{quiz.pk}/start/")
    assert response.status_code == 409 and "待批改" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_while_waiting_the_review_hides_the_rubric_and_the_model_answer(learner_client, submitted):
    review = learner_client.get(f"/quizzes/attempts/{submitted.pk}/review/").content.decode()
    assert "等待培训师评分" in review and "批改中" in review
    assert "培训师批改你的书面回复后，才显示正确答案和评分标准" in review
    for key in ("先致歉", "承诺时限", "范文", "三声之内接起"):
        assert key not in review


def test_after_the_grade_points_per_criterion_the_total_and_the_comment(learner_client, submitted):
    grade(submitted, [3, 1], "致歉诚恳，时限要具体到几点。")
    review = learner_client.get(f"/quizzes/attempts/{submitted.pk}/review/").content.decode()
    assert "<td>先致歉</td><td>3 / 3</td>" in review
    assert "<td>承诺时限</td><td>1 / 2</td>" in review
    assert "合计</th><td>4 / 5</td>" in review
    assert "致歉诚恳，时限要具体到几点。" in review
    assert "范文" in review  # the explanation, now that the result is known
    assert "通过" in review and "90%" in review
    page = learner_client.get(f"/quizzes/{submitted.quiz.pk}/").content.decode()
    assert "待批改" not in page and f'action="/quizzes/{submitted.quiz.pk}/start/"' in page


def test_the_comment_reaches_the_learner_even_when_the_review_shows_only_what_was_wrong(
    learner_client,
):
    quiz = build_quiz(specs=(ESSAY,), review_detail="wrong")
    learner_client.post(f"/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(quiz=quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "您好，抱歉"})
    grade(Attempt.objects.get(pk=attempt.pk), [1, 0], "还要承诺时限。")
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert "还要承诺时限。" in review
    assert "先致歉" not in review  # the rubric is part of the full review only
