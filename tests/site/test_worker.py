"""The worker: a failed task runs again later, one that keeps failing is kept as FAILED and
logged for the operator; the heartbeat; the daily reminders go through the queue."""

import logging

import pytest
from academy import worker
from django.core.management import call_command
from django.db import OperationalError
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@pytest.mark.parametrize(
    "made, delay",
    [(1, 30), (2, 60), (3, 120), (4, 240), (5, None), (9, None)],
)
def test_retry_delays_double_until_the_last_attempt(made, delay):
    assert worker.retry_delay(made, attempts=5, first_delay_seconds=30) == delay


def test_an_outage_is_waited_out_doubling_up_to_the_longest_wait(caplog):
    backoff = worker.OutageBackoff(
        log=logging.getLogger("academy.worker"), retrying="we try again", first=1, longest=10
    )
    error = OperationalError("connection refused")
    with caplog.at_level(logging.WARNING, logger="academy.worker"):
        assert [backoff.wait_after(error) for _ in range(6)] == [1, 2, 4, 8, 10, 10]
    assert caplog.messages[0] == "Database error, we try again in 1 s: connection refused"
    backoff.reset()  # the database answered: the next outage starts short again
    assert backoff.wait_after(error) == 1


def test_the_heartbeat_says_how_long_ago_a_worker_beat():
    assert worker.heartbeat_age() is None
    worker.beat()
    assert 0 <= worker.heartbeat_age() < 5


class Breakage:
    """How many more runs of `flaky` fail."""

    failures_left = 0
    runs = 0


@task()
def flaky() -> str:
    Breakage.runs += 1
    if Breakage.failures_left:
        Breakage.failures_left -= 1
        raise RuntimeError(f"broken on run {Breakage.runs}")
    return "done"


@pytest.fixture
def breakage():
    Breakage.failures_left = Breakage.runs = 0
    yield Breakage
    Breakage.failures_left = Breakage.runs = 0


@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_once_runs_again_and_succeeds(
    database_tasks, run_worker, breakage, caplog
):
    breakage.failures_left = 1
    result = flaky.enqueue()
    with caplog.at_level(logging.WARNING, logger="academy.worker"):
        run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "done"
    assert breakage.runs == 2 and result.attempts == 2
    (warning,) = caplog.records
    assert "failed on attempt 1; runs again" in warning.message
    assert "RuntimeError: broken on run 1" in warning.message  # with its traceback


@pytest.mark.django_db(transaction=True)
def test_a_task_that_keeps_failing_is_kept_as_failed_for_the_operator(
    database_tasks, run_worker, breakage, caplog
):
    breakage.failures_left = 10
    result = flaky.enqueue()
    with caplog.at_level(logging.WARNING, logger="academy.worker"):
        run_worker()
    result.refresh()
    assert breakage.runs == 3 and result.status == TaskResultStatus.FAILED  # 3 attempts
    assert "RuntimeError: broken on run 3" in result.errors[0].traceback
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING", "ERROR"]
    assert "the last: left FAILED for `manage.py retry_failed_tasks`" in caplog.records[-1].message

    breakage.failures_left = 0  # the operator fixed the cause
    call_command("retry_failed_tasks", verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.READY and result.attempts == 0
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and breakage.runs == 4


@pytest.mark.django_db(transaction=True)
def test_send_reminders_queues_the_daily_task_for_the_worker(database_tasks, run_worker, capsys):
    call_command("send_reminders")
    assert "Queued the daily reminders" in capsys.readouterr().out
    run_worker()
    reminders = DBTaskResult.objects.get(task_path="supervision.tasks.daily_reminders")
    assert reminders.status == TaskResultStatus.SUCCESSFUL
    assert set(reminders.return_value) >= {"reassigned", "learners", "digests"}


def test_check_deploy_warns_while_tasks_run_inside_requests(settings):
    assert [m.id for m in worker.check_task_backend()] == ["academy.W001"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert worker.check_task_backend() == []


def test_a_worker_beats_when_it_starts_and_survives_a_cache_that_is_down(monkeypatch, caplog):
    heartbeat = worker.Heartbeat(interval=3600)
    heartbeat.start()
    heartbeat.stop()
    assert worker.heartbeat_age() < 5

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(worker, "beat", down)
    heartbeat = worker.Heartbeat(interval=3600)
    heartbeat.start()  # logs, does not raise
    heartbeat.stop()
    assert "Could not write the worker heartbeat" in caplog.text


class Outage:
    """Database calls of the worker that fail as if PostgreSQL had gone away: each name is
    a method of django-tasks-db's models, with how many more of its calls fail."""

    def __init__(self, monkeypatch, **failing: int):
        from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

        self.failing = failing
        for owner in (DBTaskResult, DBTaskResultQuerySet):
            for name in failing:
                if hasattr(owner, name):
                    monkeypatch.setattr(owner, name, self._breaking(getattr(owner, name), name))

    def _breaking(self, method, name):
        outage = self

        def broken(*args, **kwargs):
            if outage.failing[name] > 0:
                outage.failing[name] -= 1
                raise OperationalError("server closed the connection unexpectedly")
            return method(*args, **kwargs)

        return broken


@pytest.fixture
def no_waiting(monkeypatch):
    from academy.management.commands import db_worker

    monkeypatch.setattr(db_worker, "FIRST_OUTAGE_WAIT", 0)


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_database_outage_and_runs_on(
    database_tasks, run_worker, breakage, no_waiting, monkeypatch, caplog
):
    result = flaky.enqueue()
    Outage(monkeypatch, get_locked=2)  # polling for a task fails twice
    with caplog.at_level(logging.WARNING, logger="academy.worker"):
        run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and breakage.runs == 1
    assert [r.message.split(":")[0] for r in caplog.records] == [
        "Database error, the worker polls again in 0 s"
    ] * 2


@pytest.mark.django_db(transaction=True)
def test_a_task_interrupted_by_a_database_outage_runs_again(
    database_tasks, run_worker, breakage, no_waiting, monkeypatch, caplog
):
    result = flaky.enqueue()
    # The task ran, then neither its success nor its failure could be written.
    Outage(monkeypatch, set_successful=1, set_failed=1)
    with caplog.at_level(logging.WARNING, logger="academy.worker"):
        run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL  # not left RUNNING
    assert breakage.runs == 2 and result.attempts == 2  # it is idempotent: run again
    assert "failed on attempt 1; runs again" in caplog.text
    assert "OperationalError: server closed the connection" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_batch_run_gives_up_when_the_database_stays_away(
    database_tasks, run_worker, no_waiting, monkeypatch
):
    from academy.management.commands import db_worker

    flaky.enqueue()
    Outage(monkeypatch, get_locked=db_worker.BATCH_OUTAGE_TRIES)
    with pytest.raises(OperationalError):
        run_worker()
