"""Taking a quiz through the learner pages: start, autosave, submit, review, and the refusals."""

import json
from datetime import timedelta

import pytest
from academy.errors import Kind
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptState, Question
from tests.factories import RIGHT_ANSWERS, SAMPLE_SPECS, StaffFactory, build_quiz

pytestmark = pytest.mark.django_db


def start(client, quiz):
    response = client.post(f"/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302, response.content.decode()
    return Attempt.objects.filter(quiz=quiz).order_by("-pk").first()


def right_form():
    # Positions follow the build order when shuffling is off.
    return {
        "q1": RIGHT_ANSWERS["phone"],
        "q2": ["", *RIGHT_ANSWERS["courtesy"]],
        "q3": RIGHT_ANSWERS["tea"],
        "q4": RIGHT_ANSWERS["forbidden"],
    }


def autosave(client, attempt, position, fields):
    return client.post(
        f"/quizzes/attempts/{attempt.pk}/answer/",
        data=json.dumps({"position": position, "fields": fields}),
        content_type="application/json",
    )


def test_the_attempt_page_never_contains_the_answer_key(learner_client):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    html = learner_client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    assert "电话铃响几声之内必须接起" in html and "三声" in html
    for secret in (
        "正确",
        "太慢，业主会着急",
        "三声之内接起",
        "fraction",
        "“喂”是服务禁语",
        "“不知道”是禁语",
    ):
        assert secret not in html
    # Option ids are opaque: nothing in the page orders or flags the right option.
    assert 'value="c-three"' in html  # test data uses readable ids; real ones are random


def test_pass_with_the_right_answers_and_see_the_full_review(learner_client):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    response = learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", right_form())
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.state, attempt.percent, attempt.passed) == ("finished", 100.0, True)
    review = learner_client.get(response.url).content.decode()
    assert "100%" in review and "三声之内接起，先问好再报单位。" in review  # explanation


def test_fail_then_retake_and_pass(learner_client):
    quiz = build_quiz(max_attempts=2)
    first = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{first.pk}/submit/", {"q1": "c-five", "q4": "true"})
    first.refresh_from_db()
    assert first.passed is False and first.percent == 0
    review = learner_client.get(f"/quizzes/attempts/{first.pk}/review/").content.decode()
    assert "太慢，业主会着急" in review  # feedback on the chosen wrong option
    second = start(learner_client, quiz)
    assert second.number == 2
    learner_client.post(f"/quizzes/attempts/{second.pk}/submit/", right_form())
    second.refresh_from_db()
    assert second.passed is True
    page = learner_client.get(f"/quizzes/{quiz.pk}/").content.decode()
    assert "你已用完这个测验的全部 2 次作答机会。" in page


def test_autosaved_answers_survive_a_reload(learner_client):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    assert autosave(learner_client, attempt, 1, {"q1": ["c-three"]}).status_code == 200
    assert autosave(learner_client, attempt, 3, {"q3": ["48"]}).status_code == 200
    html = learner_client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    assert 'value="c-three" checked' in html and 'value="48"' in html
    # Submitting without re-posting keeps what was autosaved.
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {})
    attempt.refresh_from_db()
    assert attempt.points == 2.0


def test_an_option_that_is_not_part_of_the_question_is_refused(learner_client):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    response = autosave(learner_client, attempt, 1, {"q1": ["m-hello"]})
    assert response.status_code == 400 and "不属于" in response.json()["error"]
    response = learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "forged"})
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS and attempt.points is None


def test_someone_elses_attempt_is_not_found(client, learner_client):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    other = StaffFactory()
    client.force_login(other.user)
    assert client.get(f"/quizzes/attempts/{attempt.pk}/").status_code == 404
    assert autosave(client, attempt, 1, {"q1": ["c-three"]}).status_code == 404
    assert client.post(f"/quizzes/attempts/{attempt.pk}/submit/", right_form()).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.questions.get(position=1).response is None


def test_submitting_twice_scores_once(learner_client):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", right_form())
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at
    again = learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "c-five"})
    assert again.status_code == 409 and "已经提交" in again.content.decode()
    attempt.refresh_from_db()
    assert attempt.percent == 100 and attempt.submitted_at == submitted_at
    assert autosave(learner_client, attempt, 1, {"q1": ["c-five"]}).status_code == 409


def test_after_the_time_limit_posted_answers_are_refused_and_saved_ones_count(learner):
    quiz = build_quiz(time_limit_minutes=10)
    started = timezone.now() - timedelta(minutes=20)
    attempt = services.attempt_start(user=learner.user, quiz=quiz, now=started)
    services.attempt_save_answer(
        user=learner.user,
        attempt_id=attempt.pk,
        position=1,
        raw="c-three",
        now=started + timedelta(minutes=5),
    )
    with pytest.raises(services.QuizError) as refused:
        services.attempt_submit(
            user=learner.user, attempt_id=attempt.pk, answers={2: ["m-hello", "m-thanks"]}
        )
    assert refused.value.kind is Kind.CONFLICT and "时间" in refused.value.message
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.submitted_late and attempt.points == 1.0


def test_an_abandoned_attempt_is_closed_when_its_time_is_over(learner_client, learner):
    quiz = build_quiz(time_limit_minutes=5)
    attempt = services.attempt_start(
        user=learner.user, quiz=quiz, now=timezone.now() - timedelta(hours=1)
    )
    response = learner_client.get(f"/quizzes/attempts/{attempt.pk}/")
    assert response.status_code == 302 and response.url.endswith("/review/")
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.submitted_late


def test_no_attempt_beyond_the_maximum(learner_client):
    quiz = build_quiz(max_attempts=1)
    attempt = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {})
    response = learner_client.post(f"/quizzes/{quiz.pk}/start/")
    assert response.status_code == 409 and "1" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_wait_between_attempts(learner_client):
    quiz = build_quiz(attempt_wait_minutes=60)
    attempt = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {})
    response = learner_client.post(f"/quizzes/{quiz.pk}/start/")
    assert response.status_code == 409
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_starting_twice_continues_the_open_attempt(learner_client):
    quiz = build_quiz()
    assert start(learner_client, quiz).pk == start(learner_client, quiz).pk


def test_editing_a_question_never_changes_an_attempt_already_taken(learner_client):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", right_form())
    question = Question.objects.get(name=f"{quiz.title}-0")
    question.text = "<p>改过的题干</p>"
    question.answers = [
        {"type": "choice", "value": {"text": "五声", "percent": 100, "feedback": ""}},
        {"type": "choice", "value": {"text": "三声", "percent": 0, "feedback": ""}},
    ]
    question.save()
    version = services.question_save_version(question=question)
    assert version.number == 2
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert "电话铃响几声之内必须接起" in review and "改过的题干" not in review
    attempt.refresh_from_db()
    assert attempt.percent == 100
    # An unchanged save makes no new version.
    assert services.question_save_version(question=question) is None


def test_review_policy_score_only_hides_the_answers(learner_client):
    quiz = build_quiz(review_detail="score")
    attempt = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "c-five"})
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert "0%" in review
    assert "三声" not in review and "太慢" not in review and "三声之内接起" not in review


def test_review_policy_which_were_wrong_shows_no_right_answers(learner_client):
    quiz = build_quiz(review_detail="wrong")
    attempt = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "c-five"})
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert "电话铃响几声之内必须接起" in review and 'class="review q-wrong"' in review
    assert "太慢" not in review and "三声之内接起" not in review


def test_review_after_close_waits_for_the_close_date(learner_client):
    quiz = build_quiz(review_when="after_close", closes_at=timezone.now() + timedelta(days=2))
    attempt = start(learner_client, quiz)
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "c-five"})
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert "太慢" not in review and "结束后" in review


def test_random_questions_not_seen_before_come_first(learner):
    from quizzes.models import QuestionCategory, Quiz, QuizSlot
    from quizzes.services import question_create

    category = QuestionCategory.objects.create(name="随机题库")
    for n in range(6):
        question_create(
            category=category,
            name=f"随机{n}",
            spec={**SAMPLE_SPECS["tea"], "text": f"<p>第{n}题</p>"},
        )
    quiz = Quiz.objects.create(title="随机测验", pass_mark=50)
    QuizSlot.objects.create(quiz=quiz, category=category, count=3)
    first = services.attempt_start(user=learner.user, quiz=quiz)
    services.attempt_submit(user=learner.user, attempt_id=first.pk)
    second = services.attempt_start(user=learner.user, quiz=quiz)
    seen = {q.version.question_id for q in first.questions.all()}
    again = {q.version.question_id for q in second.questions.all()}
    assert len(seen) == 3 and len(again) == 3 and not seen & again


def test_a_written_reply_waits_for_the_trainer_then_the_result_follows(learner_client, learner):
    from staff.roles import TRAINER

    essay = {
        "kind": "essay",
        "text": "<p>回复业主的投诉邮件</p>",
        "rubric": [{"criterion": "先致歉", "points": 3}, {"criterion": "承诺时限", "points": 2}],
    }
    quiz = build_quiz(specs=("phone", essay), pass_mark=60)
    attempt = start(learner_client, quiz)
    learner_client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/",
        {"q1": "c-three", "q2": "王女士您好，非常抱歉……今天下午三点前上门。"},
    )
    attempt.refresh_from_db()
    assert attempt.state == "awaiting_grading" and attempt.passed is None
    assert (
        "培训师" in learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    )

    trainer = StaffFactory(user__roles=[TRAINER])
    essay_answer = attempt.questions.get(position=2)
    with pytest.raises(services.QuizError):
        services.attempt_question_grade(
            grader=learner.user, attempt_question_id=essay_answer.pk, awarded=[3, 2]
        )
    services.attempt_question_grade(
        grader=trainer.user,
        attempt_question_id=essay_answer.pk,
        awarded=[3, 1],
        comment="时限要具体",
    )
    attempt.refresh_from_db()
    # 1 + 0.8 of 2 marks = 90%
    assert attempt.state == "finished" and attempt.percent == 90 and attempt.passed is True
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert "时限要具体" in review


MATCHING = {
    "kind": "matching",
    "text": "<p>情境与用语</p>",
    "pairs": [
        {"id": "pa", "prompt": "业主来访", "answer": "您好，请坐"},
        {"id": "pb", "prompt": "业主离开", "answer": "请慢走"},
        {"id": "pc", "prompt": "脚本", "answer": "<img src=x onerror=alert(1)>"},
    ],
}


def test_matching_page_gives_no_key_and_review_escapes_answers(learner_client):
    import re

    quiz = build_quiz(specs=(MATCHING,))
    attempt = start(learner_client, quiz)
    html = learner_client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    values = set(re.findall(r'<option value="([^"]+)"', html))
    assert len(values) == 3 and not values & {"pa", "pb", "pc"}
    assert "<img src=x" not in html
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {})
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert "<img src=x" not in review and "&lt;img src=x" in review


def test_autosave_without_a_session_answers_401_json_not_a_login_page(learner_client):
    from django.test import Client

    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    response = autosave(Client(), attempt, 1, {"q1": ["c-three"]})
    assert response.status_code == 401 and "登录" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        '{"position": 1e400, "fields": {}}',
        '{"position": "1"}',
        "[1, 2]",
        '{"position": 1',
        '{"position": 1, "fields": ' + "[" * 5000 + "]" * 5000 + "}",
    ],
)
def test_malformed_autosave_is_a_400_not_a_500(learner_client, body):
    quiz = build_quiz()
    attempt = start(learner_client, quiz)
    response = learner_client.post(
        f"/quizzes/attempts/{attempt.pk}/answer/", data=body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500


STEPS = {
    "kind": "ordering",
    "text": "<p>排序</p>",
    "items": [{"id": f"s{n}", "text": f"第{n}步"} for n in range(1, 5)],
}


def test_an_untouched_ordering_question_is_unanswered(learner_client):
    import re

    quiz = build_quiz(specs=(STEPS,))
    attempt = start(learner_client, quiz)
    html = learner_client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    # A place to choose per step, none chosen yet.
    assert len(re.findall(r'<select name="q1-s\d"', html)) == 4
    assert "selected" not in html
    blank = {f"q1-s{n}": "" for n in range(1, 5)}
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", blank)
    question = attempt.questions.get()
    assert question.state == "unanswered" and question.fraction == 0


def test_an_ordering_answered_by_places_without_javascript(learner_client):
    quiz = build_quiz(specs=(STEPS,))
    attempt = start(learner_client, quiz)
    shown = attempt.questions.get().option_order
    assert shown != ["s1", "s2", "s3", "s4"]
    places = {"q1-s1": "1", "q1-s2": "2", "q1-s3": "3", "q1-s4": "4"}
    response = learner_client.post(
        f"/quizzes/attempts/{attempt.pk}/save/", {"on_page": "1", "go": "page-1", **places}
    )
    assert response.status_code == 302
    page = learner_client.get(response.url).content.decode()
    # Shown again in the order given, each step with its place chosen.
    assert page.index("第1步") < page.index("第2步") < page.index("第3步") < page.index("第4步")
    assert page.count('" selected>') == 4
    learner_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {})
    attempt.refresh_from_db()
    assert attempt.percent == 100


def test_a_close_date_set_during_an_attempt_ends_it(learner):
    quiz = build_quiz()
    attempt = services.attempt_start(user=learner.user, quiz=quiz)
    quiz.closes_at = timezone.now() - timedelta(minutes=5)
    quiz.save()
    with pytest.raises(services.QuizError) as refused:
        services.attempt_submit(user=learner.user, attempt_id=attempt.pk, answers={1: "c-three"})
    assert refused.value.kind is Kind.CONFLICT
    attempt.refresh_from_db()
    assert attempt.submitted_late and attempt.points == 0


def test_a_graded_reply_is_not_silently_graded_again(learner):
    from staff.roles import TRAINER

    essay = {"kind": "essay", "text": "<p>回复</p>", "rubric": [{"criterion": "致歉", "points": 2}]}
    quiz = build_quiz(specs=(essay,))
    attempt = services.attempt_start(user=learner.user, quiz=quiz)
    services.attempt_submit(user=learner.user, attempt_id=attempt.pk, answers={1: "抱歉"})
    reply = attempt.questions.get()
    first, second = (StaffFactory(user__roles=[TRAINER]).user for _ in range(2))
    services.attempt_question_grade(grader=first, attempt_question_id=reply.pk, awarded=[2])
    with pytest.raises(services.QuizError) as refused:
        services.attempt_question_grade(grader=second, attempt_question_id=reply.pk, awarded=[0])
    assert refused.value.kind is Kind.CONFLICT
    reply.refresh_from_db()
    assert reply.fraction == 1 and reply.graded_by == first
