"""Background work of the core: the worker's heartbeat (see academy.health)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django_tasks import task

HEARTBEAT_KEY = "kefu:worker-heartbeat"
HEARTBEAT_TTL = 24 * 3600  # long enough that an old heartbeat is seen as old, not as missing


@task()
def worker_heartbeat() -> float:
    """Run by a worker (enqueued by `manage.py run_scheduler`): proves that tasks are taken off
    the queue and run, and when that last happened."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=HEARTBEAT_TTL)
    return now
