"""django-tasks-db's worker, with the heartbeat a health check reads (academy/worker.py).

Same name and options as the command it extends (`academy` comes before `django_tasks_db` in
INSTALLED_APPS, so `manage.py db_worker` is this one)."""

import os

from academy.worker import Heartbeat
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = db_worker.Command.help + ", writing a heartbeat to the cache while it runs"

    def handle(self, *args, **options):
        # With --reload the worker runs in a child process; only that one beats.
        reloading = options["reload"] and not options["batch"]
        if reloading and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        heartbeat = Heartbeat()
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
