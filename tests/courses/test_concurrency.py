"""Two requests completing the same lesson at once leave one row and one completion time."""

import threading

import pytest
from django.db import connection

from courses.models import LessonPage, LessonProgress
from courses.services import lesson_mark_complete, lesson_record_visit
from tests.factories import StaffFactory, build_course

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_racing_completions_record_one_completion():
    build_course(modules=1, lessons_per_module=1)
    lesson = LessonPage.objects.get()
    user = StaffFactory().user
    lesson_record_visit(user=user, lesson=lesson)
    start = threading.Barrier(4)
    results, errors = [], []

    def complete():
        try:
            start.wait()
            results.append(lesson_mark_complete(user=user, lesson=lesson).completed_at)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert LessonProgress.objects.count() == 1
    assert len(set(results)) == 1 and results[0] is not None
