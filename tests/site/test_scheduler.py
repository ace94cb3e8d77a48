"""The scheduler queues the day's reminders once, whatever the number of schedulers and
looks, and waits out a database that is down when it queues them."""

import datetime as dt
import logging
import threading
from unittest import mock

import pytest
from academy import scheduler
from academy.models import ScheduledRun
from django.db import OperationalError
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from supervision.tasks import daily_reminders

pytestmark = pytest.mark.django_db(transaction=True)  # the scheduler commits

EIGHT = dt.time(8, 0)
MONDAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int, minute: int = 0):
    return lambda: timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def queued_days() -> list[str]:
    """The days the reminders were queued for, one entry per task row."""
    rows = DBTaskResult.objects.filter(task_path=daily_reminders.module_path)
    return sorted(row.args_kwargs["kwargs"]["day"] for row in rows)


class Looks(threading.Event):
    """A stop event that lets the scheduler look `times` times, recording what it would
    have waited after each look instead of waiting."""

    def __init__(self, times: int):
        super().__init__()
        self.times = times
        self.waits: list[float] = []

    def wait(self, timeout=None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self.times:
            self.set()
        return self.is_set()


def run_scheduler(looks: int, now) -> Looks:
    stop = Looks(looks)
    scheduler.run(stop, daily=daily_reminders, at=EIGHT, every=30, now=now)
    return stop


def test_the_reminders_are_queued_once_a_day_from_eight_on(database_tasks):
    run_scheduler(3, now=at(MONDAY, 7, 59))
    assert queued_days() == []
    run_scheduler(3, now=at(MONDAY, 8, 0))  # three looks of one scheduler
    run_scheduler(2, now=at(MONDAY, 9, 30))  # another scheduler, or this one restarted
    assert queued_days() == ["2026-03-02"]
    run_scheduler(1, now=at(MONDAY + dt.timedelta(days=1), 8, 0))
    assert queued_days() == ["2026-03-02", "2026-03-03"]


def test_two_schedulers_looking_at_once_queue_the_day_once(database_tasks):
    # Both saw the day unclaimed; the second claims it after the first committed.
    assert scheduler.queue_once(daily_reminders, MONDAY) is True
    assert _queue_without_looking(MONDAY) is False
    assert queued_days() == ["2026-03-02"]


def _queue_without_looking(day: dt.date) -> bool:
    """`queue_once` as the second scheduler runs it when it looked before the first one
    committed: straight to the claim."""
    with mock.patch.object(QuerySet, "exists", return_value=False):
        return scheduler.queue_once(daily_reminders, day)


def test_a_database_outage_while_queueing_delays_the_reminders_but_loses_none(
    database_tasks, monkeypatch, caplog
):
    real_enqueue = DatabaseBackend.enqueue
    failures = [OperationalError("server closed the connection unexpectedly")]

    def enqueue_during_an_outage(self, task, args, kwargs):
        if failures:
            raise failures.pop()  # after the day's claim was written
        return real_enqueue(self, task, args, kwargs)

    monkeypatch.setattr(DatabaseBackend, "enqueue", enqueue_during_an_outage)
    with caplog.at_level(logging.WARNING, logger="academy.scheduler"):
        looks = run_scheduler(3, now=at(MONDAY, 8, 0))
    assert queued_days() == ["2026-03-02"]  # queued once, on the look after the outage
    assert ScheduledRun.objects.get().day == MONDAY
    assert caplog.messages == [
        "Database error, the scheduler looks again in 1 s: "
        "server closed the connection unexpectedly"
    ]
    assert looks.waits == [1, 30, 30]  # a short wait after the error, then the usual ones
