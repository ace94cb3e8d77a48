"""With the database task backend, as in production, and its worker."""

import signal

import pytest
from django.core.management import call_command

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_BACKEND
    settings.TASK_RETRY = {"attempts": 3, "first_delay_seconds": 0}  # retries due at once


@pytest.fixture
def run_worker():
    return _run_worker


def _run_worker() -> None:
    """`manage.py db_worker --batch`: run every task that is due, then stop."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
