"""/health/: can this app server serve? JSON for a load balancer or a monitor.

    {"status": "ok" | "error",
     "checks": {"database": {"status": "ok", "ms": 0.4}, "cache": ..., "storage": ...,
                "worker": {"status": "warning", "detail": "no heartbeat yet"}}}

200 when the database, the cache and the storage answer, 503 when one does not. The worker
is reported but never turns the answer into 503: a stopped worker delays certificates and
reminders, while taking every app server out of the load balancer would stop the whole site.
Its check reads the heartbeat every worker process writes while it runs (`academy.worker`):
"warning" when it is missing or older than WORKER_STALE_SECONDS, "ok" when tasks run inline
in the request. Nothing secret is shown: a failing check gives the
exception's class name only, and the full error goes to the log.

A request whose checks failed is logged once, as one error naming the failed checks, with
the traceback of what they raised. It is logged through Django's `log_response`, which marks
the response as logged, so `django.request` does not log the same 503 again without it.
"""

from __future__ import annotations

import logging
import os
import time
import uuid

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import JsonResponse
from django.utils.log import log_response
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend

from .worker import heartbeat_age

log = logging.getLogger("academy.health")

WORKER_STALE_SECONDS = 120  # a running worker beats every 15 s
STORAGE_ALIASES = ("default", "certificates")


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_cache() -> dict:
    key, value = f"kefu:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    read = cache.get(key)
    cache.delete(key)
    if read != value:
        return {"status": "error", "detail": "a value written was not read back"}
    return {"status": "ok"}


def _writable_folder(location: str) -> bool:
    folder = os.path.abspath(location)
    while not os.path.exists(folder):  # created on the first save
        folder = os.path.dirname(folder)
    return os.path.isdir(folder) and os.access(folder, os.W_OK)


def check_storage() -> dict:
    for alias in STORAGE_ALIASES:
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            if not _writable_folder(storage.location):
                return {"status": "error", "detail": f"{alias}: folder not writable"}
        else:
            storage.exists("health-check")  # a bucket answers (or raises) without writing
    return {"status": "ok"}


def check_worker() -> dict:
    if isinstance(task_backends["default"], ImmediateBackend):
        return {"status": "ok", "detail": "tasks run inline"}
    age = heartbeat_age()
    if age is None:
        return {"status": "warning", "detail": "no heartbeat yet"}
    if age > WORKER_STALE_SECONDS:
        return {"status": "warning", "detail": f"last heartbeat {age:.0f} s ago"}
    return {"status": "ok", "age_s": round(age, 1)}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "worker": check_worker,
}
CRITICAL = ("database", "cache", "storage")


def run_checks() -> tuple[dict[str, dict], list[Exception]]:
    """Each check's result, and what the checks that raised raised."""
    results, raised = {}, []
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as error:  # any failure is the answer, not a crash
            raised.append(error)
            result = {"status": "error", "detail": type(error).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results, raised


@never_cache
@require_GET
def health(request):
    checks, raised = run_checks()
    failed = any(checks[name]["status"] == "error" for name in CRITICAL)
    response = JsonResponse(
        {"status": "error" if failed else "ok", "checks": checks}, status=503 if failed else 200
    )
    errors = {name: result for name, result in checks.items() if result["status"] == "error"}
    if errors:
        log_response(
            "Health check failed: %s",
            ", ".join(f"{name} ({result['detail']})" for name, result in errors.items()),
            response=response,
            request=request,
            logger=log,
            level="error",  # also when only the worker's check failed: the answer is 200
            exception=_as_one(raised),
        )
    return response


def _as_one(raised: list[Exception]) -> Exception | None:
    """What the checks raised, as one exception for the one log line: none, the one, or a
    group that carries each traceback."""
    if len(raised) <= 1:
        return raised[0] if raised else None
    return ExceptionGroup("several health checks raised", raised)
