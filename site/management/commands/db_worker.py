"""django-tasks-db's worker, with the heartbeat a health check reads (academy/worker.py), and
waiting out a database that went away.

Same name and options as the command it extends (`academy` comes before `django_tasks_db` in
INSTALLED_APPS, so `manage.py db_worker` is this one).

django-tasks-db's worker stops at the first database error outside a task: a PostgreSQL
restart or fail-over of a second ended the worker, and with it `scripts/serve.sh --production`
(which stops everything when one of its processes stops), and the task it was running stayed
RUNNING for good. This one logs the error, waits (1 s, doubling up to 10 s) and starts
polling again; a task it was running when the database went away counts as failed and runs
again under the retry rule (`academy.worker.put_back_interrupted`). With `--batch` it gives
up at the BATCH_OUTAGE_TRIES-th database error: a one-off run should not wait for ever.
The waiting is `academy.worker.OutageBackoff`, shared with the scheduler."""

import logging
import os
import time

from academy.worker import DATABASE_ERRORS, Heartbeat, OutageBackoff, put_back_interrupted
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

log = logging.getLogger("academy.worker")

FIRST_OUTAGE_WAIT = 1.0  # seconds
LONGEST_OUTAGE_WAIT = 10.0
BATCH_OUTAGE_TRIES = 5


class Command(db_worker.Command):
    help = (
        db_worker.Command.help
        + ", writing a heartbeat to the cache while it runs and waiting out database outages"
    )

    def handle(self, *args, **options):
        # With --reload the worker runs in a child process; only that one beats.
        reloading = options["reload"] and not options["batch"]
        if reloading and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        heartbeat = Heartbeat()
        heartbeat.start()
        try:
            return self._run_through_outages(*args, **options)
        finally:
            heartbeat.stop()

    def _run_through_outages(self, *args, **options):
        backoff = OutageBackoff(
            log=log,
            retrying="the worker polls again",
            first=FIRST_OUTAGE_WAIT,
            longest=LONGEST_OUTAGE_WAIT,
        )
        failures, interrupted_by = 0, None
        while True:
            try:
                if interrupted_by is not None:
                    put_back_interrupted(options["worker_id"], interrupted_by)
                    interrupted_by = None
                    backoff.reset()  # the database answers
                return super().handle(*args, **options)
            except DATABASE_ERRORS as error:
                failures += 1
                if options["batch"] and failures >= BATCH_OUTAGE_TRIES:
                    raise
                interrupted_by = interrupted_by or error
                # SIGTERM / SIGINT meanwhile end the worker at once (its signal handlers).
                time.sleep(backoff.wait_after(error))
