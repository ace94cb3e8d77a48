"""The endpoints. Each one reads through `selectors` (scoped to the token's user) and turns
rows into plain dicts here, so that what is read per page is visible in one place.

No `from __future__ import annotations` here: django-ninja reads the parameter annotations
(`Query[...]`) at import time."""

from datetime import date

from academy.models import Competency
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from certification.models import Certificate
from certification.selectors import verification_url
from records.models import Level
from records.selectors import levels_by_user
from staff.models import StaffProfile
from supervision import status as st

from . import selectors
from .pagination import Listing, PageNumbers
from .schemas import (
    CertificateFilters,
    CertificateOut,
    ErrorOut,
    PersonLevelsOut,
    ProgramStatusFilters,
    ProgramStatusOut,
    SiteTeamFilters,
    StaffDetailOut,
    StaffFilters,
    StaffOut,
)

router = Router()
# Documented error answers (bodies: {"detail": "…"}).
NO_TOKEN = {401: ErrorOut}
MISSING = {404: ErrorOut}


def _viewer(request: HttpRequest):
    # PostgreSQL refuses NUL in text: a value holding one matches nothing (instead of a 500).
    if "\x00" in request.path or any("\x00" in v for v in request.GET.values()):
        raise Http404
    return request.auth.user


def staff_item(person: StaffProfile) -> dict:
    return {
        "employee_number": person.employee_number,
        "name": person.name,
        "position": person.position,
        "position_label": str(person.get_position_display()),
        "site": {"code": person.site.code, "name": person.site.name},
        "team": person.team.name if person.team_id else None,
        "hire_date": person.hire_date,
        "active": person.active,
    }


def certificate_item(certificate: Certificate, *, employee_number: str, today: date) -> dict:
    return {
        "serial": certificate.serial,
        "version": certificate.version,
        "holder": {"employee_number": employee_number, "name": certificate.holder_name},
        "program": {"code": certificate.program.code, "name": certificate.program.name},
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "status": certificate.status(today),
        "verification_url": verification_url(certificate.code),
    }


def level_items(levels: dict[int, int], competencies: list[Competency]) -> list[dict]:
    """Every competency with the person's level (no record: 0)."""
    items = []
    for competency in competencies:
        level = int(levels.get(competency.pk, Level.NOT_STARTED))
        items.append(
            {
                "competency": {"slug": competency.slug, "name": competency.name},
                "level": level,
                "label": str(Level(level).label),
            }
        )
    return items


@router.get("/staff", response={200: list[StaffOut], **NO_TOKEN}, tags=["staff"], summary="Staff")
@paginate(PageNumbers)
def list_staff(request: HttpRequest, filters: Query[StaffFilters]):
    """The staff the token may see, by employee number."""
    rows = selectors.staff_in_scope(
        _viewer(request),
        site=filters.site or "",
        team=filters.team or "",
        active=filters.active,
        updated_since=filters.updated_since,
    )
    return Listing(rows, lambda page: [staff_item(person) for person in page])


@router.get(
    "/staff/{employee_number}",
    response={200: StaffDetailOut, **NO_TOKEN, **MISSING},
    tags=["staff"],
    summary="One staff member",
)
def staff_detail(request: HttpRequest, employee_number: str):
    """One person with their level in every competency and all their certificates.
    Unknown and out-of-scope employee numbers both answer 404."""
    person = selectors.person_in_scope(_viewer(request), employee_number)
    if person is None:
        raise Http404
    today = timezone.localdate()
    competencies = list(Competency.objects.all())
    levels = levels_by_user([person.user_id]).get(person.user_id, {})
    return {
        **staff_item(person),
        "mobile": person.mobile,
        "wecom_userid": person.wecom_userid,
        "dingtalk_userid": person.dingtalk_userid,
        "competencies": level_items(levels, competencies),
        "certificates": [
            certificate_item(c, employee_number=person.employee_number, today=today)
            for c in selectors.certificates_of(person)
        ],
    }


@router.get(
    "/certificates",
    response={200: list[CertificateOut], **NO_TOKEN},
    tags=["certificates"],
    summary="Certificates",
)
@paginate(PageNumbers)
def list_certificates(request: HttpRequest, filters: Query[CertificateFilters]):
    """Every version of every certificate held by the staff the token may see, by serial
    and version. A re-issued certificate keeps its serial: the old version is `superseded`."""
    today = timezone.localdate()
    rows = selectors.certificates_in_scope(
        _viewer(request),
        today=today,
        program=filters.program or "",
        status=filters.status or "",
        site=filters.site or "",
    )
    return Listing(
        rows,
        lambda page: [
            certificate_item(c, employee_number=c.user.staff_profile.employee_number, today=today)
            for c in page
        ],
    )


@router.get(
    "/competencies",
    response={200: list[PersonLevelsOut], **NO_TOKEN},
    tags=["competencies"],
    summary="Competency levels",
)
@paginate(PageNumbers)
def list_competencies(request: HttpRequest, filters: Query[SiteTeamFilters]):
    """Per person (by employee number) the level in every competency."""
    rows = selectors.staff_in_scope(
        _viewer(request), site=filters.site or "", team=filters.team or ""
    )
    competencies = list(Competency.objects.all())

    def prepare(page: list[StaffProfile]) -> list[dict]:
        levels = levels_by_user([person.user_id for person in page])
        return [
            {
                "employee_number": person.employee_number,
                "name": person.name,
                "competencies": level_items(levels.get(person.user_id, {}), competencies),
            }
            for person in page
        ]

    return Listing(rows, prepare)


@router.get(
    "/programs/{code}/status",
    response={200: list[ProgramStatusOut], **NO_TOKEN, **MISSING},
    tags=["programs"],
    summary="Status in a certification program",
)
@paginate(PageNumbers)
def program_status(request: HttpRequest, code: str, filters: Query[ProgramStatusFilters]):
    """Per active person the token may see, their status in the program as the supervisor's
    dashboard shows it: certified, expiring (within 30 days), in_progress, not_started,
    expired or revoked."""
    program = selectors.program_by_code(code)
    if program is None:
        raise Http404
    today = timezone.localdate()
    total = program.requirements.count()
    rows = selectors.program_status_in_scope(
        _viewer(request),
        program,
        today=today,
        site=filters.site or "",
        team=filters.team or "",
        status=filters.status or "",
    )

    def prepare(page: list[StaffProfile]) -> list[dict]:
        return [
            {
                "employee_number": person.employee_number,
                "name": person.name,
                "site": {"code": person.site.code, "name": person.site.name},
                "team": person.team.name if person.team_id else None,
                "status": person.status,
                "requirements_met": person.requirements_met,
                "requirements_total": total,
                "certificate_serial": person.certificate_serial,
                "certificate_expires": person.certificate_expires,
                "due_on": person.due_on,
                "overdue": st.is_overdue(status=person.status, due_on=person.due_on, today=today),
            }
            for person in page
        ]

    return Listing(rows, prepare)
