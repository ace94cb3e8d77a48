"""Background work: the daily reminders (inline unless a worker backend is set).

`manage.py send_reminders` enqueues `daily_reminders` once a day (from cron or any
scheduler); see that command's help.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task


@task()
def daily_reminders(day: str | None = None) -> dict[str, int]:
    """Re-assign programs whose certificates expire soon, then e-mail learners and
    supervisors. `day` (YYYY-MM-DD, default today) is a string because task arguments
    travel as JSON. Safe to run twice a day: nothing is assigned or sent twice."""
    from . import reminders

    today = date.fromisoformat(day) if day else timezone.localdate()
    return {
        "reassigned": reminders.reassign_expiring(today),
        "learners": reminders.learner_reminders(today),
        "digests": reminders.supervisor_digests(today),
    }
