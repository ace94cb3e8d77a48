"""The scheduler beside the task worker: once a day at --reminders-at, queues the daily
reminders (it looks every --every seconds). The worker writes its own heartbeat.

Several schedulers (one per app server) may run: the day's reminders are queued once for all
of them, and a database outage is waited out (academy/scheduler.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading

from academy import scheduler
from django.core.management.base import BaseCommand, CommandError

log = logging.getLogger("academy.scheduler")


def _time_of_day(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a time of day (HH:MM): {value}") from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=30.0, help="seconds (30)")
        parser.add_argument(
            "--reminders-at",
            default="08:00",
            help="local time (TIME_ZONE) to enqueue the daily reminders, or 'never' (08:00)",
        )

    def handle(self, *args, **options):
        from supervision.tasks import daily_reminders

        reminders_at = (
            None if options["reminders_at"] == "never" else _time_of_day(options["reminders_at"])
        )
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        log.info("Scheduler started (looking every %s s)", options["every"])
        scheduler.run(stop, daily=daily_reminders, at=reminders_at, every=options["every"])
        log.info("Scheduler stopped")
