"""A person's status in a certification program, as the dashboard shows it. Pure Python.

The dashboard computes the same rule in SQL (`selectors.status_expression`) so that it can
count and filter ten thousand people in one query; a test holds the two to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from certification.rules import RENEWAL_WINDOW_DAYS

CERTIFIED, EXPIRING, EXPIRED, REVOKED = "certified", "expiring", "expired", "revoked"
IN_PROGRESS, NOT_STARTED = "in_progress", "not_started"
STATUSES = (CERTIFIED, EXPIRING, IN_PROGRESS, NOT_STARTED, EXPIRED, REVOKED)
COMPLIANT = (CERTIFIED, EXPIRING)  # may work the front desk today

# "Expiring" is the certificate's renewal window: renewal opens, and the program is
# assigned again, the same number of days before expiry.
EXPIRING_DAYS = RENEWAL_WINDOW_DAYS


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


OVERDUE, DUE, DONE, NO_DUE_DATE = "overdue", "due", "done", "no_due_date"


@dataclass(frozen=True)
class Due:
    """How a person's due date in a program reads (`due_state`): `days` past the due date
    when overdue, left until it when due (0: today)."""

    state: str
    days: int = 0
    due_on: date | None = None


def due_state(*, status: str, due_on: date | None, today: date) -> Due:
    """A compliant person (certified or expiring) is done: their due date, past or not, is
    met and is not shown (so a past date never stands next to "expiring within 30 days").
    Otherwise a past due date is overdue by so many days (`is_overdue`; shown as the days,
    not the date), and a date to come is due in so many days."""
    if due_on is None:
        return Due(NO_DUE_DATE)
    if status in COMPLIANT:
        return Due(DONE, due_on=due_on)
    if is_overdue(status=status, due_on=due_on, today=today):
        return Due(OVERDUE, (today - due_on).days, due_on)
    return Due(DUE, (due_on - today).days, due_on)


def compliance_rate(compliant: int, total: int) -> float | None:
    return round(100 * compliant / total, 1) if total else None
