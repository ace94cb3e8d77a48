"""The same rating sent by several connections at once (a queue flushed twice) is stored
once; different ratings of one card at once are all kept, in order."""

import threading
import uuid

import pytest
from django.db import connection

from courses.services import lesson_record_visit
from practice.models import CardState, PracticeDay, Review
from practice.selectors import deck
from practice.services import review_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls):
    start = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            start.wait()
            results.append(call())
        except Exception as error:  # surfaced by the assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_one_rating_sent_four_times_at_once_is_stored_once(practice_course, learner):
    _, first, _ = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)
    card = deck(user).first()
    client_id = uuid.uuid4()
    results, errors = race(
        [lambda: review_record(user, card_id=card.pk, rating=3, client_id=client_id)] * 4
    )
    assert errors == []
    assert sorted(r.duplicate for r in results) == [False, True, True, True]
    assert Review.objects.count() == 1
    assert CardState.objects.get().reps == 1
    assert PracticeDay.objects.get().reviews == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_two_devices_rating_a_new_card_at_once_both_count(practice_course, learner):
    _, first, _ = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)
    card = deck(user).first()
    results, errors = race(
        [lambda: review_record(user, card_id=card.pk, rating=3, client_id=uuid.uuid4())] * 2
    )
    assert errors == []
    assert CardState.objects.count() == 1
    assert CardState.objects.get().reps == 2 == Review.objects.count()
    assert PracticeDay.objects.get().reviews == 2
