"""The task worker (`manage.py db_worker` with the database task backend): retries, and the
heartbeat a health check reads.

Retries. django-tasks-db marks a task that raised as FAILED and leaves it there. Every task
of this project is idempotent (following up evidence, drawing a certificate's PDF, the daily
reminders), so a failed task is put back in the queue to run again later: `retry_delay`
is the rule. Each failure is logged with its traceback (the `django_tasks` logger, and ours
saying what happens next); after the last attempt the row stays FAILED, with the traceback
of its last failure, until an operator runs `manage.py retry_failed_tasks`.

Heartbeat. Every worker process writes the time (Unix seconds) to the cache key
`HEARTBEAT_KEY` every `HEARTBEAT_SECONDS` while it runs; `heartbeat_age()` says how long ago
the last beat was. Web processes see it only through a shared cache (Redis in production).

Outages. The long-running processes that poll the database (the worker, `db_worker`, and the
scheduler, `run_scheduler`) wait out a database that went away instead of stopping:
`OutageBackoff` is how.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

log = logging.getLogger("academy.worker")

HEARTBEAT_KEY = "kefu:worker-heartbeat"
HEARTBEAT_SECONDS = 15

# What a database that went away (a restart, a fail-over, a network cut) raises.
DATABASE_ERRORS = (OperationalError, InterfaceError)


def retry_delay(attempts_made: int, *, attempts: int, first_delay_seconds: int) -> int | None:
    """Seconds to wait before running a failed task again, or None once it has been tried
    `attempts` times: `first_delay_seconds` after the first failure, doubling after each
    further one (30 s, 1 min, 2 min, 4 min with the defaults, five attempts in all)."""
    if attempts_made >= attempts:
        return None
    return first_delay_seconds * 2 ** max(attempts_made - 1, 0)


@receiver(task_finished)
def retry_failed_task(sender, task_result, **kwargs) -> None:
    """A task of the database backend that failed runs again later, or is given up on."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or task_result.status != TaskResultStatus.FAILED:
        return  # succeeded, or the immediate backend (nothing to put back)
    _retry_or_keep_failed(db_result, task_result.attempts)


def _retry_or_keep_failed(db_result, attempts: int) -> None:
    """`retry_delay` applied to a task (a DBTaskResult) whose last attempt failed."""
    policy = settings.TASK_RETRY
    delay = retry_delay(
        attempts, attempts=policy["attempts"], first_delay_seconds=policy["first_delay_seconds"]
    )
    what = (db_result.task_path, db_result.id, attempts)
    if delay is None:
        log.error(
            "Task %s (id=%s) failed on attempt %d, the last: left FAILED for "
            "`manage.py retry_failed_tasks`. Last error:\n%s",
            *what,
            db_result.traceback,
        )
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + timedelta(seconds=delay),
        finished_at=None,
    )
    log.warning(
        "Task %s (id=%s) failed on attempt %d; runs again in %d s. Error:\n%s",
        *what,
        delay,
        db_result.traceback,
    )


def put_back_interrupted(worker_id: str, error: BaseException) -> int:
    """Tasks the worker `worker_id` was running when the database went away. Their result
    could not be written, so they stayed RUNNING, where no worker takes them again: they
    count as failed by `error` and run again under the same rule as any failed task.
    Returns how many."""
    from django_tasks_db.models import DBTaskResult

    interrupted = [
        task for task in DBTaskResult.objects.running() if task.worker_ids[-1:] == [worker_id]
    ]
    for task in interrupted:
        task.set_failed(error)
        _retry_or_keep_failed(task, len(task.worker_ids))
    return len(interrupted)


@checks.register(checks.Tags.compatibility, deploy=True)
def check_task_backend(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check --deploy`: in production the work after new evidence belongs to a
    worker, not to the learner's request."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    if isinstance(task_backends["default"], DatabaseBackend):
        return []
    return [
        checks.Warning(
            "Background tasks run inside requests (the immediate backend): certificates, "
            "their PDFs and competency levels slow down every learner's submit.",
            hint="Set DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend and run "
            "`manage.py db_worker`.",
            id="academy.W001",
        )
    ]


def requeue(tasks) -> int:
    """Put tasks (a DBTaskResult queryset) back in the queue to run as soon as a worker is
    free, with all their attempts again. Returns how many."""
    from django_tasks_db.models import get_date_max

    return tasks.update(
        status=TaskResultStatus.READY,
        run_after=get_date_max(),  # django-tasks-db's "no run_after"
        worker_ids=[],
        started_at=None,
        finished_at=None,
    )


class OutageBackoff:
    """How a process that polls the database waits out an outage. After each database error
    in a row, `wait_after(error)` logs it, closes the broken connections (the next query
    opens a new one) and says how many seconds to wait before trying again: `first`, doubling
    up to `longest`. `reset()` once the database answers again.

    It never sleeps itself: the worker sleeps (its signal handlers end it meanwhile), the
    scheduler waits on its stop event."""

    def __init__(self, *, log: logging.Logger, retrying: str, first: float, longest: float):
        self.log = log
        self.retrying = retrying  # what happens next, for the log: "the worker polls again"
        self.first = first
        self.longest = longest
        self.next_wait = first

    def wait_after(self, error: BaseException) -> float:
        wait = self.next_wait
        self.log.warning("Database error, %s in %.0f s: %s", self.retrying, wait, error)
        connections.close_all()
        self.next_wait = min(wait * 2, self.longest)
        return wait

    def reset(self) -> None:
        self.next_wait = self.first


def beat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def heartbeat_age() -> float | None:
    """Seconds since a worker last wrote its heartbeat; None if none ever did (or the cache
    was emptied)."""
    last = cache.get(HEARTBEAT_KEY)
    return None if last is None else max(time.time() - float(last), 0.0)


class Heartbeat:
    """Beats every `interval` seconds in a thread of its own while the worker runs (also
    while a long task runs: a busy worker is alive). A cache that is down is logged and
    tried again at the next beat; it never stops the worker."""

    def __init__(self, interval: float = HEARTBEAT_SECONDS):
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kefu-heartbeat", daemon=True)

    def start(self) -> None:
        self._beat()  # at once: a worker that started has beaten
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._beat()

    def _beat(self) -> None:
        try:
            beat()
        except Exception:
            log.warning("Could not write the worker heartbeat", exc_info=True)
