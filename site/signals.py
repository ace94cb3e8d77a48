"""Signals between apps that must not import each other.

`evidence_recorded` is sent when a learner completes a lesson, finishes a quiz attempt with
a result, or finishes a role-play (and when a certificate is issued or revoked, or an
observation recorded); certification issues what the learner has newly earned, records
recomputes their competency levels, supervision recounts their program progress.

The sender does not send it itself: `announce_evidence` queues one task per learner once the
transaction commits (`academy.tasks.follow_up_evidence`), and that task sends the signal. With
the immediate task backend (development, tests) this happens before the response leaves;
with the database backend a worker does it, and the request only writes the task's row.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

evidence_recorded = Signal()  # kwargs: user


@dataclass
class FollowUp:
    """The learner whose evidence is being followed up in this context, and whether more
    evidence arrived meanwhile (an issued certificate is evidence too)."""

    user_id: int
    again: bool = False


following_up: ContextVar[FollowUp | None] = ContextVar("following_up", default=None)


def announce_evidence(sender, user) -> None:
    transaction.on_commit(lambda: _queue_follow_up(sender, user.pk))


def _queue_follow_up(sender, user_id: int) -> None:
    running = following_up.get()
    if running is not None and running.user_id == user_id:
        running.again = True  # the running follow-up goes round once more instead
        return
    from .tasks import follow_up_evidence

    follow_up_evidence.enqueue(user_id=user_id, sender=str(sender))
