"""Racing requests on PostgreSQL: one result per attempt, one open attempt per learner."""

import threading

import pytest
from academy.errors import Kind
from django.db import connection

from quizzes import services
from quizzes.models import Attempt, AttemptQuestion
from tests.factories import StaffFactory, build_quiz

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent sessions"
)


def race(target, times=4):
    start = threading.Barrier(times)
    results, errors = [], []

    def run(n):
        try:
            start.wait()
            results.append(target(n))
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@needs_postgres
def test_simultaneous_submissions_produce_one_result():
    quiz = build_quiz()
    user = StaffFactory().user
    attempt = services.attempt_start(user=user, quiz=quiz)
    # Each request carries different answers; exactly one of them may be scored.
    answers = [{1: "c-three"}, {1: "c-five"}, {3: "50"}, {4: "false"}]

    results, errors = race(
        lambda n: services.attempt_submit(user=user, attempt_id=attempt.pk, answers=answers[n])
    )
    assert len(results) == 1
    assert len(errors) == 3 and all(
        isinstance(e, services.QuizError) and e.kind is Kind.CONFLICT for e in errors
    )
    attempt.refresh_from_db()
    assert attempt.state == "finished"
    answered = AttemptQuestion.objects.filter(attempt=attempt, answered_at__isnull=False)
    assert answered.count() == 1  # the winner's single answer, not a mix of requests
    assert attempt.points == answered.get().fraction * answered.get().mark


@needs_postgres
def test_simultaneous_starts_open_one_attempt():
    quiz = build_quiz()
    user = StaffFactory().user
    results, errors = race(lambda n: services.attempt_start_or_existing(user=user, quiz=quiz))
    assert errors == []
    assert len({a.pk for a in results}) == 1
    assert Attempt.objects.filter(quiz=quiz, user=user).count() == 1
