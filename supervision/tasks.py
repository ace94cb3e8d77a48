"""Background work: the daily reminders (inline unless a worker backend is set).

`manage.py send_reminders` enqueues `daily_reminders` once a day (from cron or any
scheduler); see that command's help.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task


class RemindersIncomplete(Exception):
    """Some reminders could not be sent: the task fails, so the worker runs it again later
    (academy.worker), and that run sends only what did not go."""


@task()
def daily_reminders(day: str | None = None) -> dict:
    """Re-assign programs whose certificates expire soon, then remind learners and send
    supervisors their digests, each through their channel. `day` (YYYY-MM-DD, default
    today) is a string because task arguments travel as JSON. Safe to run twice a day:
    nothing is assigned or sent twice. Raises RemindersIncomplete, after trying everyone,
    when some sends failed that a retry would send."""
    from . import notifications, services

    today = date.fromisoformat(day) if day else timezone.localdate()
    report = notifications.SendReport()
    result = {
        "levels_followed": levels_after_expiry(today),
        "reassigned": services.assignments_reassign_expiring(today=today),
        "learners": notifications.learner_reminders_send(today=today, report=report),
        "digests": notifications.supervisor_digests_send(today=today, report=report),
        "by_channel": dict(sorted(report.by_channel.items())),
        "unreachable": report.unreachable,
        "failed": report.failed,
    }
    if report.to_retry:
        raise RemindersIncomplete(
            f"{report.to_retry} of the day's reminders could not be sent (see the log and "
            f"ReminderLog); the next attempt sends them. This attempt: {result}"
        )
    return result


def levels_after_expiry(today: date, *, days: int = 7) -> int:
    """Competency levels that rested on a certificate follow its expiry: recompute the
    holders of certificates that expired in the last `days` days (a missed run is caught
    up; recomputing writes nothing when nothing changed). Returns the records changed."""
    from datetime import timedelta

    from certification.models import Certificate
    from records.services import records_recompute_for

    changed = 0
    holders = (
        Certificate.objects.current()
        .filter(expires_on__lt=today, expires_on__gte=today - timedelta(days=days))
        .select_related("user")
    )
    for certificate in holders:
        changed += len(records_recompute_for(certificate.user))
    return changed
