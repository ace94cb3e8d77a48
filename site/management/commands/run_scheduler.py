"""The scheduler beside the task worker: once a day at --reminders-at, enqueues the daily
reminders (it looks every --every seconds). The worker writes its own heartbeat.

Several schedulers (one per app server) may run: the reminders are enqueued once a day for
all of them (an atomic `cache.add` on the shared Redis claims the day), and the reminders
themselves never send twice (`ReminderLog`).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

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
        while not stop.is_set():
            close_old_connections()  # as a request would: drop a broken or expired one
            now = timezone.localtime()
            if reminders_at is not None and now.time() >= reminders_at:
                day = now.date().isoformat()
                if cache.add(f"kefu:reminders-enqueued:{day}", True, timeout=2 * 24 * 3600):
                    daily_reminders.enqueue(day=day)
                    log.info("Enqueued the daily reminders for %s", day)
            stop.wait(options["every"])
        log.info("Scheduler stopped")
