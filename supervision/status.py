"""A person's status in a certification program, as the dashboard shows it. Pure Python.

The dashboard computes the same rule in SQL (`selectors.status_expression`) so that it can
count and filter ten thousand people in one query; a test holds the two to the same answers.
"""

from __future__ import annotations

from datetime import date, timedelta

CERTIFIED, EXPIRING, EXPIRED, REVOKED = "certified", "expiring", "expired", "revoked"
IN_PROGRESS, NOT_STARTED = "in_progress", "not_started"
STATUSES = (CERTIFIED, EXPIRING, IN_PROGRESS, NOT_STARTED, EXPIRED, REVOKED)
COMPLIANT = (CERTIFIED, EXPIRING)  # may work the front desk today

EXPIRING_DAYS = 30


def expiring_limit(today: date) -> date:
    return today + timedelta(days=EXPIRING_DAYS)


def program_status(
    *, has_certificate: bool, revoked: bool, expires_on: date | None, started: bool, today: date
) -> str:
    """From the person's latest certificate of the program (if any) and whether they have
    begun working toward it."""
    if has_certificate:
        if revoked:
            return REVOKED
        if expires_on is None or expires_on >= today:
            return (
                EXPIRING
                if expires_on is not None and expires_on <= expiring_limit(today)
                else CERTIFIED
            )
        return EXPIRED
    return IN_PROGRESS if started else NOT_STARTED


def is_past_due(due_on: date | None, today: date) -> bool:
    """The due date has passed (the due day itself still counts as in time)."""
    return due_on is not None and due_on < today


def is_overdue(*, status: str, due_on: date | None, today: date) -> bool:
    """A person is overdue in a program when its due date has passed and they are not
    compliant. The dashboard counts and filters it in SQL (`selectors.overdue_expression`);
    a test holds the two to the same answers."""
    return is_past_due(due_on, today) and status not in COMPLIANT


def compliance_rate(compliant: int, total: int) -> float | None:
    return round(100 * compliant / total, 1) if total else None
