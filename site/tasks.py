"""Background work of the core: following up a learner's new evidence."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from .signals import FollowUp, evidence_recorded, following_up

MAX_ROUNDS = 5  # a receiver that announced evidence on every round would loop forever


@task()
def follow_up_evidence(user_id: int, sender: str = "") -> int:
    """Send `evidence_recorded` for one learner: certificates newly earned are issued (their
    PDFs queued as tasks of their own), competency levels recomputed, program progress
    recounted. Idempotent: each receiver derives its rows from all the learner's evidence,
    so running it twice changes nothing, and issuing locks the learner's row so two runs at
    once issue one certificate. What the receivers announce meanwhile (a certificate just
    issued) is handled by another round here, not by another task. Returns the rounds."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    state = FollowUp(user_id=user_id)
    token = following_up.set(state)
    try:
        rounds = 0
        while rounds == 0 or (state.again and rounds < MAX_ROUNDS):
            state.again = False
            rounds += 1
            evidence_recorded.send(sender=sender, user=user)
        return rounds
    finally:
        following_up.reset(token)


def follow_up_pending(user_id: int) -> bool:
    """A follow-up of this learner's evidence waits for the worker or is running: what they
    have just earned is on its way. Never with the immediate backend, where it ran before the
    response."""
    from django_tasks import task_backends
    from django_tasks.base import TaskResultStatus
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=follow_up_evidence.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__kwargs__user_id=user_id,
    ).exists()
