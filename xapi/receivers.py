"""New evidence of a learner becomes statements in the outbox, sent by the worker."""

from academy.signals import evidence_recorded
from django.dispatch import receiver

from . import services


@receiver(evidence_recorded, dispatch_uid="xapi_queue_statements")
def queue_statements(sender, user, **kwargs):
    if services.enabled():
        services.queue_and_send_after_commit(user.pk)
