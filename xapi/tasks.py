"""Background sending of xAPI statements (the worker retries a failed send)."""

from django_tasks import task

from . import services


@task()
def send_statements() -> int:
    """Sends every queued statement to the LRS; idempotent (statement ids are fixed)."""
    if not services.enabled():
        return 0
    return services.outbox_send()
