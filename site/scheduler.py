"""The scheduler (`manage.py run_scheduler`): once a day, from a time of day on, queue a task
for that day (the daily reminders).

Once a day, whatever happens. The day is claimed with a `ScheduledRun` row written in the same
transaction as the task's row (the database task backend writes the task as a row): both
commit or neither does. A queueing that fails leaves the day unclaimed, so the next look
queues it; two schedulers (one per app server) that look at once queue it once, because the
second one's claim waits for the first's transaction, then fails on the unique day. (The
claim was a `cache.add` in Redis made before the queueing: a database down at that moment
lost the day's reminders.)

Through a database outage. A database error is logged and the scheduler looks again after
`academy.worker.OutageBackoff` (1 s, doubling up to a minute) instead of stopping, which under
`scripts/serve.sh --production` stopped gunicorn and the worker with it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks.base import Task

from .models import ScheduledRun
from .worker import DATABASE_ERRORS, OutageBackoff

log = logging.getLogger("academy.scheduler")

FIRST_OUTAGE_WAIT = 1.0  # seconds
LONGEST_OUTAGE_WAIT = 60.0  # once a day's task is due, it is queued within a minute of recovery


def queue_once(task: Task, day: dt.date) -> bool:
    """Queue `task(day="YYYY-MM-DD")` unless it was queued for `day` already. True if this
    call queued it. Database errors are raised, with nothing claimed."""
    claimed = ScheduledRun.objects.filter(task_path=task.module_path, day=day)
    if claimed.exists():  # the usual case all day long: no failing INSERT to log
        return False
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(task_path=task.module_path, day=day)
            task.enqueue(day=day.isoformat())
    except IntegrityError:
        return False  # another scheduler claimed the day since we looked
    return True


def run(
    stop: threading.Event,
    *,
    daily: Task,
    at: dt.time | None,
    every: float,
    now: Callable[[], dt.datetime] = timezone.localtime,
) -> None:
    """Look every `every` seconds until `stop` is set; from `at` (local time) on, queue
    `daily` for today once (`queue_once`); `at` None: never."""
    backoff = OutageBackoff(
        log=log,
        retrying="the scheduler looks again",
        first=FIRST_OUTAGE_WAIT,
        longest=LONGEST_OUTAGE_WAIT,
    )
    while not stop.is_set():
        try:
            close_old_connections()  # as a request would: drop a broken or expired one
            today = now()
            if at is not None and today.time() >= at and queue_once(daily, today.date()):
                log.info("Queued %s for %s", daily.name, today.date())
        except DATABASE_ERRORS as error:
            stop.wait(backoff.wait_after(error))
            continue
        backoff.reset()
        stop.wait(every)
