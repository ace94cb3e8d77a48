"""Two events racing to issue the same certificate on PostgreSQL issue it once."""

import pytest
from django.db import connection

from certification import services
from certification.models import Certificate, SerialCounter
from tests.certification.test_issuing import RIGHT
from tests.factories import StaffFactory
from tests.quizzes.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_racing_events_issue_one_certificate_and_one_serial(program):
    from quizzes import services as quiz_services

    person = StaffFactory()
    quiz = program.requirements.get().quiz
    attempt = quiz_services.attempt_start(user=person.user, quiz=quiz)
    Certificate.objects.all().delete()  # nothing issued yet in any case
    quiz_services.attempt_submit(user=person.user, attempt_id=attempt.pk, answers=RIGHT)
    Certificate.objects.all().delete()
    SerialCounter.objects.all().delete()
    results, errors = race(
        lambda n: services.certificate_issue_if_eligible(user=person.user, program=program)
    )
    assert errors == []
    assert len({c.pk for c in results}) == 1
    assert Certificate.objects.count() == 1 and SerialCounter.objects.get().last == 1
