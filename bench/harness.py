"""What every benchmark needs: Django set up with the test settings, and a throwaway database
(a temporary SQLite file, or a test database on the server DATABASE_URL names)."""

import contextlib
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.test_settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()


@contextlib.contextmanager
def throwaway_database():
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner, setup_test_environment

    if connection.vendor == "sqlite":
        settings.DATABASES["default"]["NAME"] = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old)
