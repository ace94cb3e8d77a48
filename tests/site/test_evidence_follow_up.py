"""What follows new evidence, with the database task backend as in production: a learner's
submit (a lesson completed, a role-play ended) only grades and queues one task; the worker
issues the certificate, draws its PDF and updates levels and progress, once."""

import pytest
from academy import worker
from academy.models import Competency
from academy.tasks import follow_up_evidence, follow_up_pending
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certification.models import Certificate, Program, ProgramRequirement
from courses.models import LessonPage, ModulePage
from roleplays.models import Run
from supervision.models import ProgramProgress
from tests.factories import build_course, build_quiz, build_scenario
from tests.quizzes.test_attempts import right_form
from tests.quizzes.test_concurrency import race
from tests.roleplays.test_engine import leak_graph

pytestmark = pytest.mark.django_db(transaction=True)  # the work is queued after commit


def queued(path: str):
    return DBTaskResult.objects.filter(task_path=path)


def start_quiz(client, quiz):
    assert client.post(f"/quizzes/{quiz.pk}/start/").status_code == 302
    return quiz.attempts.order_by("-pk").first()


def submit(client, attempt):
    response = client.post(f"/quizzes/attempts/{attempt.pk}/submit/", right_form())
    assert response.status_code == 302
    return response


def test_the_submit_returns_before_the_certificate_and_the_worker_issues_it(
    database_tasks, run_worker, learner_client, learner, program
):
    attempt = start_quiz(learner_client, program.requirements.get().quiz)
    submit(learner_client, attempt)
    attempt.refresh_from_db()
    assert attempt.passed  # graded in the request
    assert not Certificate.objects.exists()  # issued by the worker
    assert queued("academy.tasks.follow_up_evidence").get().status == TaskResultStatus.READY
    assert worker.heartbeat_age() is None

    run_worker()

    certificate = Certificate.objects.get(user=learner.user)
    assert certificate.pdf and certificate.pdf.read(5) == b"%PDF-"  # drawn by the worker too
    assert ProgramProgress.objects.get(user=learner.user, program=program).certificate
    ours = DBTaskResult.objects.exclude(task_path__startswith="wagtail").exclude(
        task_path__startswith="modelsearch"
    )  # Wagtail queues its reference and search index updates too
    assert set(ours.values_list("task_path", "status")) == {
        ("academy.tasks.follow_up_evidence", TaskResultStatus.SUCCESSFUL),
        ("certification.tasks.render_certificate_pdf", TaskResultStatus.SUCCESSFUL),
    }  # one follow-up for the learner: the certificate's own evidence went round inside it
    assert worker.heartbeat_age() < 60


def extra_programs(count: int) -> None:
    """More programs (each requiring another quiz) and competencies: work the follow-up
    does, which must not show in the learner's request."""
    for n in range(count):
        competency = Competency.objects.create(slug=f"extra-{n}", name=f"能力{n}")
        program = Program.objects.create(name=f"认证{n}", code=f"extra-{n}")
        program.competencies.add(competency)
        ProgramRequirement.objects.create(
            program=program, kind="quiz", quiz=build_quiz(title=f"测验{n}"), min_percent=80
        )


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


SUBMIT_QUERIES = 13  # session, user; the attempt read, locked, graded, saved; one task row


def test_a_submit_is_a_constant_handful_of_queries(database_tasks, learner_client, program):
    quiz = program.requirements.get().quiz
    first = start_quiz(learner_client, quiz)
    few = queries_of(lambda: submit(learner_client, first))
    extra_programs(5)
    second = start_quiz(learner_client, quiz)
    many = queries_of(lambda: submit(learner_client, second))
    assert few == many <= SUBMIT_QUERIES
    assert queued("academy.tasks.follow_up_evidence").count() == 2


def test_completing_a_lesson_and_ending_a_role_play_queue_the_rest(
    database_tasks, run_worker, learner_client, learner
):
    build_course(modules=1, lessons_per_module=1)
    lesson = LessonPage.objects.live().get()
    program = Program.objects.create(name="礼仪学习认证", code="lessons")
    ProgramRequirement.objects.create(
        program=program, kind="lessons", module=ModulePage.objects.get()
    )
    learner_client.get(lesson.url)
    complete = queries_of(lambda: learner_client.post(f"/lessons/{lesson.id}/complete/"))
    scenario = build_scenario(leak_graph().to_dict())
    learner_client.post(f"/roleplays/{scenario.slug}/start/")
    run = Run.objects.get()
    learner_client.post(f"/roleplays/runs/{run.pk}/choose/", {"node": "N1", "choice": "a"})
    ending = queries_of(
        lambda: learner_client.post(
            f"/roleplays/runs/{run.pk}/choose/", {"node": "N2", "choice": "c"}
        )
    )
    assert not Certificate.objects.exists()
    assert queued("academy.tasks.follow_up_evidence").count() == 2
    assert complete <= 10 and ending <= 9, (complete, ending)  # one task row each
    run_worker()
    assert Certificate.objects.get(user=learner.user, program=program)


def test_following_up_twice_issues_one_certificate(
    database_tasks, run_worker, learner_client, learner, program
):
    submit(learner_client, start_quiz(learner_client, program.requirements.get().quiz))
    follow_up_evidence.enqueue(user_id=learner.user.pk)  # the same learner queued again
    run_worker()
    assert Certificate.objects.count() == 1
    assert follow_up_evidence.call(user_id=learner.user.pk) == 1  # nothing new: one round
    assert Certificate.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_two_workers_following_up_one_learner_issue_one_certificate(
    database_tasks, run_worker, learner_client, learner, program
):
    submit(learner_client, start_quiz(learner_client, program.requirements.get().quiz))
    results, errors = race(lambda n: follow_up_evidence.call(user_id=learner.user.pk))
    assert errors == []
    certificate = Certificate.objects.get()
    assert certificate.user == learner.user and certificate.serial.endswith("000001")


PREPARING = "证书正在生成"  # "Your … certificate is being prepared"


def certificates_page(client) -> str:
    response = client.get("/certificates/")
    assert response.status_code == 200
    return response.content.decode()


def test_my_certificates_says_one_is_being_prepared_until_the_worker_issues_it(
    database_tasks, run_worker, learner_client, program
):
    assert PREPARING not in certificates_page(learner_client)
    submit(learner_client, start_quiz(learner_client, program.requirements.get().quiz))
    page = certificates_page(learner_client)
    assert PREPARING in page and f"“{program.name}”" in page
    assert "还没有证书" not in page  # "No certificates yet" would contradict it

    run_worker()
    page = certificates_page(learner_client)
    assert PREPARING not in page
    assert f"/certificates/{Certificate.objects.get().pk}/pdf/" in page


def test_nothing_is_being_prepared_after_a_revocation(
    database_tasks, run_worker, learner_client, program
):
    quiz = program.requirements.get().quiz
    submit(learner_client, start_quiz(learner_client, quiz))
    run_worker()
    Certificate.objects.update(revoked_at=timezone.now(), revoke_reason="test")
    # Passing again queues a follow-up, which issues nothing: a revocation sticks.
    submit(learner_client, start_quiz(learner_client, quiz))
    assert follow_up_pending(Certificate.objects.get().user_id)
    assert PREPARING not in certificates_page(learner_client)


def test_nothing_is_pending_with_the_immediate_backend(learner_client, program):
    submit(learner_client, start_quiz(learner_client, program.requirements.get().quiz))
    assert Certificate.objects.get()  # issued in the request
    assert not follow_up_pending(Certificate.objects.get().user_id)
    assert PREPARING not in certificates_page(learner_client)
