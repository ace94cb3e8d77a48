"""Writes to staff and organisation records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from academy import login_throttle
from academy.errors import Kind, Refused
from academy.imports import import_record
from academy.models import ImportKind
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Site, StaffProfile, Team
from .roles import LEARNER
from .roster import (
    CHANNEL_IDS,
    RosterError,
    RosterRow,
    SiteDirectory,
    read_table,
    validate_rows,
)
from .selectors import may_unlock_login


class StaffError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


@dataclass(frozen=True)
class RosterImportResult:
    created: int
    updated: int


def site_directory() -> SiteDirectory:
    labels: dict[str, str] = {}
    teams: dict[str, set[str]] = {}
    for site in Site.objects.all():
        labels[site.code] = site.code
        labels[site.name] = site.code
        teams[site.code] = set()
    for team in Team.objects.select_related("site"):
        teams[team.site.code].add(team.name)
    return SiteDirectory(site_codes_by_label=labels, team_names_by_site=teams)


def staff_import_roster(*, path: Path, user=None) -> RosterImportResult:
    """Create or update staff from a roster file; all rows or none (raises RosterError).
    An import that went through is recorded for the trainers' admin home."""
    rows = validate_rows(read_table(path), site_directory())
    problems = channel_ids_taken(rows)
    if problems:
        raise RosterError(problems)
    with transaction.atomic():
        created = updated = 0
        for row in rows:
            was_created = staff_upsert(row=row)
            created += was_created
            updated += not was_created
        import_record(
            kind=ImportKind.STAFF_ROSTER,
            user=user,
            file_name=path.name,
            counts={"new": created, "updated": updated},
            result_url=reverse("wagtailsnippets_staff_staffprofile:list"),
        )
    return RosterImportResult(created=created, updated=updated)


def channel_ids_taken(rows: list[RosterRow]) -> list[str]:
    """Rows giving a WeCom / DingTalk id that another staff member already has: a login
    through either is matched by that id, so it must lead to one person only."""
    problems = []
    for column in CHANNEL_IDS:
        wanted = {getattr(row, column): row for row in rows if getattr(row, column)}
        owners = StaffProfile.objects.filter(**{f"{column}__in": list(wanted)}).values_list(
            column, "employee_number"
        )
        for userid, number in owners:
            row = wanted[userid]
            if number != row.employee_number:
                label = StaffProfile._meta.get_field(column).verbose_name
                message = _(
                    "Line %(line)s: %(label)s %(value)s already belongs to staff member %(number)s"
                ) % {"line": row.line, "label": label, "value": userid, "number": number}
                problems.append((row.line, message))
    return [message for _line, message in sorted(problems)]


def staff_upsert(*, row: RosterRow, username: str | None = None) -> bool:
    """Create or update one staff member (and their login); True if created."""
    site = Site.objects.get(code=row.site_code)
    team = Team.objects.get(site=site, name=row.team_name) if row.team_name else None
    profile = (
        StaffProfile.objects.select_related("user")
        .filter(employee_number=row.employee_number)
        .first()
    )
    created = profile is None
    if created:
        user = staff_user_for(username or row.employee_number, name=row.name, email=row.email)
        profile = StaffProfile(user=user, employee_number=row.employee_number)
    profile.name = row.name
    profile.position = row.position
    profile.site = site
    profile.team = team
    profile.hire_date = row.hire_date
    profile.active = row.active
    for column in ("mobile", *CHANNEL_IDS):
        if getattr(row, column) is not None:  # None: the roster has no such column
            setattr(profile, column, getattr(row, column))
    profile.save()
    user = profile.user
    if user.is_active != row.active or (row.email and user.email != row.email):
        user.is_active = row.active
        user.email = row.email or user.email
        user.save(update_fields=["is_active", "email"])
    return created


def staff_user_for(username: str, *, name: str, email: str = ""):
    """The login for a staff member; new accounts get no usable password until one is set."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": name, "email": email}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=LEARNER)[0])
    return user


def staff_login_unlock(*, by, person: StaffProfile) -> None:
    """Let a staff member locked out by wrong passwords sign in again at once."""
    if not may_unlock_login(by, person):
        raise StaffError(
            _("You can only unlock the accounts of staff you supervise."), Kind.NOT_FOUND
        )
    login_throttle.unlock_account(person.user.get_username(), by=by)
