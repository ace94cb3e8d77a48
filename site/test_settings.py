"""Test settings: the real settings with the slow parts swapped out (as bakerydemo does)."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Each database's pass writes files of its own: scripts/test.sh runs the SQLite and the
# PostgreSQL pass side by side, and both issue certificate serials starting at 1.
_ARTIFACTS = BASE_DIR / "test-artifacts" / DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]  # noqa: F405
MEDIA_ROOT = _ARTIFACTS / "media"
STORAGES["certificates"]["OPTIONS"]["location"] = str(_ARTIFACTS / "certificates")  # noqa: F405
KEFU_BADGE_KEY_FILE = _ARTIFACTS / "badge-keys.json"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os
    import tempfile

    # The SQLite test database is a file, not Django's default in-memory database, so that
    # the live server's request threads and the test thread each have a connection of
    # their own, as they have on PostgreSQL. In memory, either every thread used the test
    # thread's one connection (when a database test ran before the first browser test,
    # pytest-django hands that connection to the server, and one thread's transaction
    # became everybody's) or each opened its own to SQLite's shared cache, which answers
    # any overlap at once with "database table is locked". Closing an in-memory
    # connection does nothing, so one left in a broken state broke every later test.
    # The process id keeps two runs in one checkout apart; Django deletes the file after.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.path.join(  # noqa: F405
        tempfile.gettempdir(), f"kefu-academy-test-{os.getpid()}.sqlite3"
    )
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {
            # Writers queue for the lock instead of failing: BEGIN IMMEDIATE takes it up front
            # (two read-then-write transactions cannot deadlock), and a waiting connection gives
            # up only after a minute, so a machine busy with other work is no failure.
            "transaction_mode": "IMMEDIATE",
            "timeout": 60,
            # Nothing needs to survive a crash: no fsync per commit, the rollback journal in
            # memory. This keeps the file about as fast as the in-memory database was.
            "init_command": "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY",
        }
    )
