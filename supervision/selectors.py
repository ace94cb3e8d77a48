"""Reads for supervisors and learners.

- `program_rows`: one row per person for a program with their status, counted, filtered,
  sorted and paged in SQL, always within the viewer's sites and teams. Query counts do not
  grow with the number of staff: the status is a CASE expression over joined columns (the
  person's progress row and latest certificate), the due date a column of that row (kept
  by `services.due_dates_update_for`), the counts one GROUP BY query (`summary`).
- `assignments_for`: the programs assigned to one person, with where they stand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from certification.models import Program
from staff.models import Site, StaffProfile, Team
from staff.selectors import staff_profile_for, staff_visible_to

from . import status as st
from .coverage import Person, assignments_covering, earliest_per_program, not_withdrawn
from .models import Assignment, ProgramProgress

# The dashboard's orders (the `?sort=` whitelist): each column ascending, and with "-"
# descending; people without a date stay last either way.
SORTS = {
    "name": ("name", "employee_number"),
    "-name": ("-name", "-employee_number"),
    "number": ("employee_number",),
    "-number": ("-employee_number",),
    "site": ("site__code", "team__name", "employee_number"),
    "-site": ("-site__code", "-team__name", "employee_number"),
    "status": ("status_order", "employee_number"),
    "-status": ("-status_order", "employee_number"),
    "expires": (F("certificate_expires").asc(nulls_last=True), "employee_number"),
    "-expires": (F("certificate_expires").desc(nulls_last=True), "employee_number"),
    "due": (F("due_on").asc(nulls_last=True), "employee_number"),
    "-due": (F("due_on").desc(nulls_last=True), "employee_number"),
}
STATUS_ORDER = {
    status: n
    for n, status in enumerate(
        (st.EXPIRED, st.REVOKED, st.EXPIRING, st.IN_PROGRESS, st.NOT_STARTED, st.CERTIFIED)
    )
}


@dataclass
class Filters:
    site: int | None = None
    team: int | None = None
    position: str = ""
    status: str = ""
    query: str = ""
    sort: str = "site"
    overdue: bool = False


def status_expression(today: date) -> Case:
    """`status.program_status`, in SQL (a test holds the two to the same answers)."""
    has = Q(progress__certificate__isnull=False)
    return Case(
        When(has & Q(progress__certificate__revoked_at__isnull=False), then=Value(st.REVOKED)),
        When(has & Q(progress__certificate__expires_on__isnull=True), then=Value(st.CERTIFIED)),
        When(has & Q(progress__certificate__expires_on__lt=today), then=Value(st.EXPIRED)),
        When(
            has & Q(progress__certificate__expires_on__lte=st.expiring_limit(today)),
            then=Value(st.EXPIRING),
        ),
        When(has, then=Value(st.CERTIFIED)),
        When(progress__started=True, then=Value(st.IN_PROGRESS)),
        default=Value(st.NOT_STARTED),
        output_field=CharField(),
    )


def overdue_expression(today: date) -> Case:
    """status.is_overdue, in SQL, over `program_rows`' status and due date (a test holds the
    two to the same answers)."""
    return Case(
        When(status__in=st.COMPLIANT, then=Value(False)),
        When(due_on__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def status_condition(status: str, today: date) -> Q:
    """The rows of `program_rows` whose status is `status`, as a condition on their columns
    that PostgreSQL can answer from indexes (the certificates expiring within a window, say)
    instead of working the status out for every person first, as a filter on the status
    did; a test holds it to `status_expression`."""
    in_force = Q(certificate_id__isnull=False, certificate_revoked_at__isnull=True)
    limit = st.expiring_limit(today)
    no_certificate = Q(certificate_id__isnull=True)
    return {
        st.REVOKED: Q(certificate_id__isnull=False, certificate_revoked_at__isnull=False),
        st.EXPIRED: in_force & Q(certificate_expires__lt=today),
        st.EXPIRING: in_force & Q(certificate_expires__range=(today, limit)),
        st.CERTIFIED: in_force
        & (Q(certificate_expires__isnull=True) | Q(certificate_expires__gt=limit)),
        st.IN_PROGRESS: no_certificate & Q(started=True),
        # No progress row at all (nothing to say yet) counts as not started.
        st.NOT_STARTED: no_certificate & (Q(started=False) | Q(started__isnull=True)),
    }[status]


def overdue_condition(today: date) -> Q:
    """The rows of `program_rows` that are overdue, as a condition PostgreSQL can answer
    from the index of due dates; a test holds it to `overdue_expression`: past due, and no
    certificate in force (none, revoked or expired)."""
    return Q(due_on__lt=today) & (
        Q(certificate_id__isnull=True)
        | Q(certificate_revoked_at__isnull=False)
        | Q(certificate_expires__lt=today)
    )


def program_rows(viewer, program: Program, today: date) -> QuerySet[StaffProfile]:
    """Every active person the viewer may see, with their status in `program`, their latest
    certificate's serial, code and dates, and their due date in `program` (NULL if none;
    stored on the progress row: `coverage.CoverageIndex.due_dates`)."""
    order = Case(
        *(When(status=s, then=Value(n)) for s, n in STATUS_ORDER.items()), default=Value(99)
    )
    return (
        staff_visible_to(viewer)
        .filter(active=True)
        .annotate(
            progress=FilteredRelation(
                "program_progress", condition=Q(program_progress__program=program)
            )
        )
        .alias(
            certificate_revoked_at=F("progress__certificate__revoked_at"),
            started=F("progress__started"),
        )
        .annotate(
            status=status_expression(today),
            requirements_met=Coalesce(F("progress__requirements_met"), 0),
            certificate_id=F("progress__certificate_id"),
            certificate_serial=F("progress__certificate__serial"),
            certificate_code=F("progress__certificate__code"),
            certificate_issued=F("progress__certificate__issued_on"),
            certificate_expires=F("progress__certificate__expires_on"),
            due_on=F("progress__due_on"),
        )
        .annotate(status_order=order)
    )


def apply_filters(rows: QuerySet, filters: Filters, today: date) -> QuerySet:
    if filters.site:
        rows = rows.filter(site_id=filters.site)
    if filters.team:
        rows = rows.filter(team_id=filters.team)
    if filters.position:
        rows = rows.filter(position=filters.position)
    if filters.query:
        rows = rows.filter(
            Q(name__icontains=filters.query) | Q(employee_number__icontains=filters.query)
        )
    if filters.status:
        rows = rows.filter(status_condition(filters.status, today))
    if filters.overdue:
        rows = rows.filter(overdue_condition(today))
    return rows


def sorted_rows(rows: QuerySet, sort: str) -> QuerySet:
    return rows.order_by(*SORTS.get(sort, SORTS["site"]))


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    overdue: int = 0
    by_site: list[dict] = field(default_factory=list)  # each with its "teams" (see below)
    # People per (status, overdue): how many rows a status or overdue filter leaves.
    by_status_and_overdue: dict[tuple[str, bool], int] = field(default_factory=dict)

    @property
    def compliance(self) -> float | None:
        return st.compliance_rate(sum(self.counts.get(s, 0) for s in st.COMPLIANT), self.total)

    def count_of(self, *, status: str = "", overdue: bool = False) -> int:
        """How many of the counted people the dashboard's status and overdue filters keep
        (the page's row count, without counting again)."""
        return sum(
            n
            for (row_status, row_overdue), n in self.by_status_and_overdue.items()
            if (not status or row_status == status) and (not overdue or row_overdue)
        )


# The compliance table lists each site's teams only up to this many sites (a supervisor of
# 200 sites picks a site to see its teams).
TEAM_ROWS_UP_TO_SITES = 20


def summary(rows: QuerySet, today: date) -> Summary:
    """Counts per status, overdue, and compliance per site and team: one GROUP BY query over
    ids, then the names of the sites and teams found. Grouping by the names too, and
    sorting in SQL, made PostgreSQL sort every person's row (on disk at 50,000 people)
    instead of hashing them; the groups, a few per team, are put in order here."""
    result = Summary(counts=dict.fromkeys(st.STATUSES, 0))
    groups = list(
        rows.order_by()
        .annotate(is_overdue=overdue_expression(today))
        .values("site_id", "team_id", "status", "is_overdue")
        .annotate(n=Count("pk"))
    )
    site_names = {
        pk: (code, name)
        for pk, code, name in Site.objects.filter(
            pk__in={row["site_id"] for row in groups}
        ).values_list("pk", "code", "name")
    }
    team_names = dict(
        Team.objects.filter(
            pk__in={row["team_id"] for row in groups if row["team_id"] is not None}
        ).values_list("pk", "name")
    )

    def site_and_team_order(row):  # site code, then team name, people without a team last
        team = team_names.get(row["team_id"])
        return (site_names[row["site_id"]][0], row["site_id"], team is None, team or "")

    sites: dict[int, dict] = {}
    teams: dict[tuple, dict] = {}
    for row in sorted(groups, key=site_and_team_order):
        n, status, overdue = row["n"], row["status"], bool(row["is_overdue"])
        compliant = n if status in st.COMPLIANT else 0
        result.counts[status] += n
        result.total += n
        result.overdue += n if overdue else 0
        key = (status, overdue)
        result.by_status_and_overdue[key] = result.by_status_and_overdue.get(key, 0) + n
        site = sites.setdefault(
            row["site_id"],
            {"name": site_names[row["site_id"]][1], "total": 0, "compliant": 0, "teams": []},
        )
        team = teams.get((row["site_id"], row["team_id"]))
        if team is None:
            team = teams[row["site_id"], row["team_id"]] = {
                "name": team_names.get(row["team_id"]),
                "total": 0,
                "compliant": 0,
            }
            site["teams"].append(team)
        for entry in (site, team):
            entry["total"] += n
            entry["compliant"] += compliant
    for entry in (*sites.values(), *teams.values()):
        entry["rate"] = st.compliance_rate(entry["compliant"], entry["total"])
    if len(sites) > TEAM_ROWS_UP_TO_SITES:
        for site in sites.values():
            site["teams"] = []
    result.by_site = list(sites.values())
    return result


def programs_for_dashboard() -> list[Program]:
    return list(Program.objects.filter(active=True).order_by("name"))


@dataclass
class Matrix:
    competencies: list
    rows: list  # (person, [level per competency, in order], practice figures of the week)
    weakest: list  # (competency, average level, people at level 0–1), weakest first
    people: int = 0


def competency_matrix(
    staff: QuerySet[StaffProfile],
    page_people: list[StaffProfile],
    *,
    people: int | None = None,
    today: date | None = None,
) -> Matrix:
    """Levels of the people on this page with how much each practised in the last week
    (`practice.selectors.practice_by_user`), and over everyone in `staff` the average level
    per competency (no record counts as 0): four queries whatever the number of staff.
    `people` is `staff.count()` when the caller has it already (the page's paginator counted
    them)."""
    from academy.models import Competency
    from django.db.models import Sum

    from practice.selectors import practice_by_user
    from records.models import CompetencyRecord
    from records.selectors import levels_by_user

    competencies = list(Competency.objects.all())
    user_ids = [person.user_id for person in page_people]
    levels = levels_by_user(user_ids)
    practice = practice_by_user(user_ids, today) if user_ids else {}
    rows = [
        (
            person,
            [levels.get(person.user_id, {}).get(c.pk, 0) for c in competencies],
            practice[person.user_id],
        )
        for person in page_people
    ]
    if people is None:
        people = staff.count()
    totals = {
        row["competency"]: row
        for row in CompetencyRecord.objects.filter(user__in=staff.values("user_id"))
        .values("competency")
        .annotate(total=Sum("level"), able=Count("pk", filter=Q(level__gte=2)))
    }
    weakest = []
    for competency in competencies:
        row = totals.get(competency.pk, {"total": 0, "able": 0})
        average = round(row["total"] / people, 1) if people else 0.0
        weakest.append((competency, average, people - row["able"]))
    weakest.sort(key=lambda item: item[1])
    return Matrix(competencies=competencies, rows=rows, weakest=weakest, people=people)


# --- a person's assigned programs ----------------------------------------------------------

REMINDER_DEFAULTS = {"enabled": True, "due_soon_days": 7, "supervisor_digest": True}


def reminder_settings() -> dict:
    """settings.REMINDERS over the defaults (a partial override keeps the other keys)."""
    return {**REMINDER_DEFAULTS, **getattr(settings, "REMINDERS", {})}


@dataclass(frozen=True)
class AssignedProgram:
    """One program assigned to one person: the earliest due date of the assignments that
    cover them, and where they stand."""

    program: Program
    due_on: date
    status: str
    automatic: bool  # that earliest assignment was made because a certificate expires
    days_left: int  # negative once the due date has passed
    overdue: bool  # past due and not compliant
    due_soon: bool  # due today or within `due_soon_days`, and not compliant
    due: st.Due = st.Due(st.NO_DUE_DATE)  # how the due date reads (`status.due_state`)
    expires_on: date | None = None  # the latest certificate's expiry (renew by then)

    @property
    def done(self) -> bool:
        return self.status in st.COMPLIANT

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def needs_reminder(self) -> bool:
        return self.overdue or self.due_soon


def progress_status(progress: ProgramProgress | None, today: date) -> str:
    """`status.program_status` of a person's progress row (None: no evidence yet, so no row;
    see `services.progress_update_for`)."""
    if progress is None:
        return st.NOT_STARTED
    certificate = progress.certificate
    return st.program_status(
        has_certificate=certificate is not None,
        revoked=certificate is not None and certificate.revoked_at is not None,
        expires_on=certificate.expires_on if certificate is not None else None,
        started=progress.started,
        today=today,
    )


def assigned_programs(
    covering: Iterable[Assignment],
    progress: dict[int, ProgramProgress],
    today: date,
    due_soon_days: int,
) -> list[AssignedProgram]:
    """From the assignments covering one person and their progress rows by program: one
    entry per program (its earliest due date wins), soonest first."""
    entries = []
    for assignment in earliest_per_program(covering).values():
        row = progress.get(assignment.program_id)
        status = progress_status(row, today)
        days_left = (assignment.due_on - today).days
        compliant = status in st.COMPLIANT
        entries.append(
            AssignedProgram(
                program=assignment.program,
                due_on=assignment.due_on,
                status=status,
                automatic=assignment.automatic,
                days_left=days_left,
                overdue=st.is_overdue(status=status, due_on=assignment.due_on, today=today),
                due_soon=not compliant and 0 <= days_left <= due_soon_days,
                due=st.due_state(status=status, due_on=assignment.due_on, today=today),
                expires_on=row.certificate.expires_on if row and row.certificate else None,
            )
        )
    return sorted(entries, key=lambda e: (e.due_on, e.program.name))


def assignments_in_force() -> QuerySet[Assignment]:
    """Assignments not withdrawn, of active programs (a program switched off assigns
    nothing)."""
    return Assignment.objects.filter(not_withdrawn(), program__active=True).select_related(
        "program"
    )


def assignments_for(user, today: date) -> list[AssignedProgram]:
    """The active programs assigned to `user` (`coverage`), soonest due first: three
    queries (profile, assignments, progress) whatever the number of assignments and
    programs."""
    if not user.is_authenticated:
        return []
    person = Person.of(user.pk, staff_profile_for(user))
    assignments = list(assignments_in_force().filter(assignments_covering(person)))
    if not assignments:
        return []
    progress = {
        p.program_id: p
        for p in ProgramProgress.objects.filter(
            user=user, program_id__in={a.program_id for a in assignments}
        ).select_related("certificate")
    }
    return assigned_programs(
        assignments, progress, today, int(reminder_settings()["due_soon_days"])
    )


def unreachable_staff(user, *, reachable: Q) -> QuerySet[StaffProfile]:
    """The active staff `user` may see (their own sites and teams) whom no reminder channel
    reaches (`reachable`: the enabled channels' filter over users), by site, team and
    employee number: they get no reminder and no reset code until an address is added."""
    return (
        staff_visible_to(user)
        .filter(active=True, user__is_active=True)
        .exclude(user__in=get_user_model().objects.filter(reachable).values("pk"))
        .order_by("site__code", "team__name", "employee_number")
    )
