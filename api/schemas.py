"""What the API answers, as OpenAPI documents it."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from supervision import status as st

from .selectors import CERTIFICATE_STATUSES

CertificateStatus = Literal[CERTIFICATE_STATUSES]  # type: ignore[valid-type]
ProgramStatus = Literal[st.STATUSES]  # type: ignore[valid-type]


class SiteOut(Schema):
    code: str
    name: str


class StaffOut(Schema):
    employee_number: str
    name: str
    position: str = Field(description="front_desk, specialist, supervisor or manager.")
    position_label: str
    site: SiteOut
    team: str | None = Field(description="The team's name within its site.")
    hire_date: date | None
    active: bool


class CompetencyOut(Schema):
    slug: str
    name: str


class LevelOut(Schema):
    competency: CompetencyOut
    level: int = Field(ge=0, le=4, description="0 not started … 4 can coach.")
    label: str


class HolderOut(Schema):
    employee_number: str
    name: str = Field(description="The name printed on the certificate.")


class ProgramOut(Schema):
    code: str
    name: str


class CertificateOut(Schema):
    serial: str
    version: int = Field(description="A corrected re-issue keeps the serial, version + 1.")
    holder: HolderOut
    program: ProgramOut
    issued_on: date
    expires_on: date | None = Field(description="Null: does not expire.")
    status: CertificateStatus
    verification_url: str


class StaffDetailOut(StaffOut):
    mobile: str = Field(description="11-digit mainland mobile number; empty if not given.")
    wecom_userid: str = Field(description="WeCom (企业微信) user id; empty if not given.")
    dingtalk_userid: str = Field(description="DingTalk (钉钉) user id; empty if not given.")
    competencies: list[LevelOut]
    certificates: list[CertificateOut]


class PersonLevelsOut(Schema):
    employee_number: str
    name: str
    competencies: list[LevelOut] = Field(
        description="Every competency, in the platform's order; 0 where nothing is recorded."
    )


class ProgramStatusOut(Schema):
    employee_number: str
    name: str
    site: SiteOut
    team: str | None
    status: ProgramStatus
    requirements_met: int
    requirements_total: int
    certificate_serial: str | None = Field(description="The latest certificate, if any.")
    certificate_expires: date | None
    due_on: date | None = Field(description="The earliest due date of an assignment.")
    overdue: bool


class StaffFilters(Schema):
    site: str | None = Field(None, description="Site code.")
    team: str | None = Field(None, description="Team name.")
    active: bool | None = Field(None, description="Only active (true) or inactive (false).")
    updated_since: datetime | None = Field(
        None,
        description="Only staff whose profile changed at or after this moment "
        "(ISO 8601; without an offset it is the platform's time zone).",
    )


class SiteTeamFilters(Schema):
    site: str | None = Field(None, description="Site code.")
    team: str | None = Field(None, description="Team name.")


class CertificateFilters(Schema):
    program: str | None = Field(None, description="Program code.")
    status: CertificateStatus | None = None
    site: str | None = Field(None, description="The holder's site code.")


class ProgramStatusFilters(SiteTeamFilters):
    status: ProgramStatus | None = None


class ErrorOut(Schema):
    detail: str
