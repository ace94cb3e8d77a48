"""A person's record shows their status in each program and the evidence itself."""

import pytest

from certification.services import observation_record
from quizzes import services as quiz_services
from tests.certification.test_issuing import RIGHT

pytestmark = pytest.mark.django_db(transaction=True)  # issuing hooks run on commit


def test_the_record_shows_programs_attempts_and_observations(client, program, org):
    supervisor, mine, _colleague, other = org
    quiz = program.requirements.get().quiz
    attempt = quiz_services.attempt_start(user=mine.user, quiz=quiz)
    quiz_services.attempt_submit(user=mine.user, attempt_id=attempt.pk, answers=RIGHT)
    observation_record(
        observer=supervisor.user, person=mine, results={"see_out": True}, note="送客到门口"
    )
    client.force_login(supervisor.user)
    page = client.get(f"/people/{mine.pk}/").content.decode()
    assert "前台客服上岗认证" in page and "已认证" in page
    assert "规范用语测验 · 100% · 已通过" in page
    observations = page[page.index('id="observations"') :]
    assert "未通过" in observations and "送客到门口" in observations and "王建国" in observations
    assert client.get(f"/people/{other.pk}/").status_code == 404
