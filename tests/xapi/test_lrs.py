"""A learner's journey reaches a real LRS (Ralph) as xAPI statements, once each."""

from collections import Counter

import pytest
from django.core.management import call_command
from ralph.models.xapi.base.statements import BaseXapiStatement

from certification import services as certification_services
from certification.models import Certificate
from courses.models import LessonPage
from quizzes import services as quiz_services
from roleplays import services as roleplay_services
from tests.factories import StaffFactory, build_scenario, complete_lesson
from xapi import services
from xapi.models import OutboxStatement

pytestmark = pytest.mark.django_db(transaction=True)  # statements are sent after commit

RIGHT = {1: "c-three", 2: ["m-hello", "m-thanks"], 3: "50", 4: "false"}
ADL = "http://adlnet.gov/expapi/verbs/"


def journey(program, course):
    from tests.roleplays.test_engine import leak_graph

    person = StaffFactory(name="林小文", employee_number="E1001")
    lesson = LessonPage.objects.live().first()
    complete_lesson(user=person.user, lesson=lesson)
    quiz = program.requirements.get().quiz
    attempt = quiz_services.attempt_start(user=person.user, quiz=quiz)
    quiz_services.attempt_submit(user=person.user, attempt_id=attempt.pk, answers=RIGHT)
    scenario = build_scenario(leak_graph().to_dict(), pass_mark=40)
    run = roleplay_services.run_start(user=person.user, scenario=scenario)
    for key in ("a", "c"):
        run = roleplay_services.run_choose(
            user=person.user, run_id=run.pk, node=run.current_node, choice=key
        )
    return person


def verbs(statements):
    return Counter(s["verb"]["id"].rsplit("/", 1)[-1] for s in statements)


def test_a_journey_lands_in_the_lrs_once_each(xapi_lrs, program, course):
    person = journey(program, course)
    assert Certificate.objects.filter(user=person.user).count() == 1
    stored = xapi_lrs.statements()
    # the lesson and the quiz attempt completed; four questions answered; the quiz and the
    # role-play passed; two role-play choices; the certificate earned
    assert verbs(stored) == {
        "completed": 2,
        "answered": 4,
        "passed": 2,
        "responded": 2,
        "earned": 1,
    }
    assert len({s["id"] for s in stored}) == len(stored)
    for statement in stored:
        BaseXapiStatement(**statement)  # Ralph's own xAPI model accepts it
        assert statement["actor"]["account"] == {
            "homePage": "https://academy.example.com",
            "name": "E1001",
        }
    quiz_result = next(
        s for s in stored if s["verb"]["id"] == ADL + "passed" and "/quiz/" in s["object"]["id"]
    )
    assert quiz_result["result"]["score"]["scaled"] == 1.0 and quiz_result["result"]["success"]
    choice = next(s for s in stored if s["verb"]["id"] == ADL + "responded")
    extensions = choice["result"]["extensions"]
    node = extensions["https://academy.example.com/xapi/extensions/node"]
    assert node and "https://academy.example.com/xapi/extensions/dimensions" in extensions
    assert OutboxStatement.objects.filter(sent_at__isnull=True).count() == 0


def test_a_resend_after_the_lrs_was_down_leaves_one_of_each(xapi_lrs, program, course, settings):
    settings.XAPI = {**settings.XAPI, "endpoint": "http://127.0.0.1:9/xAPI"}  # nobody there
    person = journey(program, course)
    queued = OutboxStatement.objects.count()
    assert queued and OutboxStatement.objects.filter(sent_at__isnull=True).count() == queued
    assert OutboxStatement.objects.exclude(last_error="").exists()
    settings.XAPI = {**settings.XAPI, "endpoint": xapi_lrs.endpoint}
    assert services.outbox_send() == queued
    # sent again from scratch (an operator clears the outbox): the LRS keeps one of each
    OutboxStatement.objects.update(sent_at=None)
    assert services.outbox_send() == queued
    stored = xapi_lrs.statements()
    assert len(stored) == queued == len({s["id"] for s in stored})
    # the history export gives the very same statements: nothing new in the LRS
    call_command("export_xapi", since="2000-01-01")
    assert len(xapi_lrs.statements()) == queued
    # a revocation voids the statement of the issue
    supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    supervisor.supervised_sites.add(person.site)
    certificate = Certificate.objects.get(user=person.user)
    certification_services.certificate_revoke(
        certificate=certificate, by=supervisor.user, reason="考核作弊"
    )
    voided = [s for s in xapi_lrs.statements() if s["verb"]["id"] == ADL + "voided"]
    assert len(voided) == 1 and voided[0]["object"]["objectType"] == "StatementRef"


def test_the_export_writes_a_file_without_an_lrs(program, course, tmp_path, settings):
    settings.XAPI = {**settings.XAPI, "endpoint": ""}
    journey(program, course)
    assert not OutboxStatement.objects.exists()  # off unless configured
    out = tmp_path / "history.jsonl"
    call_command("export_xapi", since="2000-01-01", output=str(out))
    import json

    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert verbs(lines)["earned"] == 1
    for statement in lines:
        BaseXapiStatement(**statement)
