"""The daily task also lets competency levels follow certificates that have expired."""

from datetime import timedelta

import pytest
from academy.models import Competency
from django.utils import timezone

from certification.models import Certificate
from certification.services import certificate_issue
from records.models import CompetencyRecord
from supervision.tasks import levels_after_expiry

pytestmark = pytest.mark.django_db(transaction=True)  # issuing hooks run on commit


def test_a_level_resting_on_a_certificate_drops_when_it_expires(program, org):
    _supervisor, mine, _colleague, _other = org
    etiquette = Competency.objects.create(slug="etiquette", name="服务礼仪")
    program.competencies.add(etiquette)
    today = timezone.localdate()
    certificate = certificate_issue(user=mine.user, program=program, today=today)
    record = CompetencyRecord.objects.get(user=mine.user, competency=etiquette)
    assert record.level == 3  # a valid certificate covering it (recorded when issued)
    # Its validity ran out yesterday (as a year later); the daily task notices.
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today - timedelta(days=1))
    assert levels_after_expiry(today) == 1
    record.refresh_from_db()
    assert record.level == 0
    assert levels_after_expiry(today) == 0  # nothing more to change
