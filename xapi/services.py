"""Queueing statements and sending them to the LRS."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import events, lrs, statements
from .models import OutboxStatement

BATCH = 100


def enabled() -> bool:
    return bool(settings.XAPI["endpoint"])


def outbox_queue(*, since: datetime | None = None, user_ids: Iterable[int] | None = None) -> int:
    """Queues the statements of the stored events not queued yet; returns how many."""
    config = events.config()
    built = [statements.build(e, config) for e in events.all_events(since=since, user_ids=user_ids)]
    by_id = {s["id"]: s for s in built}
    new = 0
    ids = list(by_id)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        known = {
            str(pk)
            for pk in OutboxStatement.objects.filter(pk__in=chunk).values_list("pk", flat=True)
        }
        rows = [
            OutboxStatement(id=i, kind=_kind(by_id[i]), statement=by_id[i])
            for i in chunk
            if i not in known
        ]
        OutboxStatement.objects.bulk_create(rows, ignore_conflicts=True)
        new += len(rows)
    return new


def _kind(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def outbox_send(*, batch: int = BATCH) -> int:
    """Sends every unsent statement in batches; returns how many went. A failure records
    its error on the batch and raises, so the worker runs the task again later; what was
    sent stays sent. A 409 (the LRS holds a differing statement with one of the ids) is
    resolved statement by statement: a conflicting one is marked sent, since statements are
    immutable in an LRS and sending it again would never succeed."""
    sent = 0
    while True:
        rows = list(
            OutboxStatement.objects.filter(sent_at__isnull=True).order_by("queued_at", "pk")[:batch]
        )
        if not rows:
            return sent
        try:
            status = lrs.post_statements([r.statement for r in rows])
            if status == 409:
                for row in rows:
                    lrs.post_statements([row.statement])
        except lrs.LRSError as error:
            OutboxStatement.objects.filter(pk__in=[r.pk for r in rows]).update(
                last_error=str(error)[:1000], attempts=F("attempts") + 1
            )
            raise
        OutboxStatement.objects.filter(pk__in=[r.pk for r in rows]).update(
            sent_at=timezone.now(), last_error=""
        )
        sent += len(rows)


def queue_and_send_after_commit(user_id: int) -> None:
    from .tasks import send_statements

    outbox_queue(user_ids=[user_id])
    transaction.on_commit(lambda: send_statements.enqueue())
