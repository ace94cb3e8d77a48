"""Reads for the API, always within what the token's user may see
(`staff.selectors.staff_visible_to`): a filter can only narrow that, never widen it.

Every list has a stable order on a unique key (employee number; certificate serial and
version), so that paging through it neither skips nor repeats anybody.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from certification import rules
from certification.models import Certificate, Program
from staff.models import StaffProfile
from staff.selectors import staff_visible_to
from supervision.selectors import program_rows

CERTIFICATE_STATUSES = rules.STATUSES


def staff_in_scope(
    user,
    *,
    site: str = "",
    team: str = "",
    active: bool | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[StaffProfile]:
    """The staff `user` may see, narrowed by site code, team name, active flag, and to those
    whose profile changed since a moment (from the profile's history)."""
    staff = staff_visible_to(user)
    if site:
        staff = staff.filter(site__code=site)
    if team:
        staff = staff.filter(team__name=team)
    if active is not None:
        staff = staff.filter(active=active)
    if updated_since is not None:
        if timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since)
        changed = StaffProfile.history.filter(history_date__gte=updated_since).values("id")
        staff = staff.filter(pk__in=changed)
    return staff.order_by("employee_number")


def person_in_scope(user, employee_number: str) -> StaffProfile | None:
    """One person, or None when unknown or outside the user's scope (the API cannot tell the
    two apart, so it reveals nothing)."""
    return staff_visible_to(user).filter(employee_number=employee_number).first()


def certificates_in_scope(
    user, *, today: date, program: str = "", status: str = "", site: str = ""
) -> QuerySet[Certificate]:
    """Every certificate version held by the staff `user` may see."""
    holders = staff_in_scope(user, site=site).order_by().values("user_id")
    certificates = Certificate.objects.filter(user_id__in=holders).select_related(
        "program", "user__staff_profile"
    )
    if program:
        certificates = certificates.filter(program__code=program)
    if status:
        certificates = certificates.with_status(today).filter(status_today=status)
    return certificates.order_by("serial", "version")


def certificates_of(person: StaffProfile) -> list[Certificate]:
    return list(
        Certificate.objects.filter(user_id=person.user_id)
        .select_related("program")
        .order_by("serial", "version")
    )


def program_by_code(code: str) -> Program | None:
    return Program.objects.filter(code=code).first()


def program_status_in_scope(
    user, program: Program, *, today: date, site: str = "", team: str = "", status: str = ""
) -> QuerySet[StaffProfile]:
    """The dashboard's rows for `program` (active staff the user may see, each annotated
    with status, requirements met, latest certificate and due date)."""
    rows = program_rows(user, program, today)
    if site:
        rows = rows.filter(site__code=site)
    if team:
        rows = rows.filter(team__name=team)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("employee_number")
