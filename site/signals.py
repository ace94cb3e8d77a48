"""Signals between apps that must not import each other.

`evidence_recorded` is sent (after the transaction commits) when a learner completes a
lesson, finishes a quiz attempt with a result, or finishes a role-play; certification
listens and issues what the learner has newly earned.
"""

from django.db import transaction
from django.dispatch import Signal

evidence_recorded = Signal()  # kwargs: user


def announce_evidence(sender, user) -> None:
    transaction.on_commit(lambda: evidence_recorded.send(sender=sender, user=user))
