from datetime import date
from itertools import count

import pytest
from academy.models import Competency

from api.services import api_token_create
from certification.models import Certificate
from records.models import CompetencyRecord
from staff.roles import ensure_role_groups
from tests.factories import StaffFactory, TeamFactory

_serials = count(1)


@pytest.fixture
def competencies(db):
    ensure_role_groups()
    return [
        Competency.objects.create(slug=slug, name=name, sort_order=order)
        for order, (slug, name) in enumerate(
            [
                ("etiquette", "服务礼仪"),
                ("phrases", "规范用语"),
                ("complaints", "投诉处理"),
                ("emergency", "应急处置"),
            ]
        )
    ]


@pytest.fixture
def org(competencies):
    """A supervisor of one site with two of its staff; another site with its own person."""
    supervisor = StaffFactory(
        user__roles=["learner", "supervisor"],
        position="supervisor",
        name="王建国",
        employee_number="A0000",
    )
    supervisor.supervised_sites.add(supervisor.site)
    mine = StaffFactory(
        name="林晓雯",
        employee_number="A0001",
        site=supervisor.site,
        team=TeamFactory(site=supervisor.site, name="前台一组"),
    )
    colleague = StaffFactory(
        name="陈思琪", employee_number="A0002", site=supervisor.site, team=supervisor.team
    )
    stranger = StaffFactory(name="别的项目", employee_number="B0001")
    return {"supervisor": supervisor, "mine": mine, "colleague": colleague, "stranger": stranger}


def make_token(user, name="人力资源系统") -> str:
    return api_token_create(user=user, name=name)[1]


@pytest.fixture
def supervisor_token(org) -> str:
    return make_token(org["supervisor"].user)


def certificate(
    person, program, *, issued_on=date(2026, 1, 5), expires_on=date(2099, 1, 5), **fields
) -> Certificate:
    """A certificate row as issuing leaves it (issuing itself is tested in certification)."""
    n = next(_serials)
    fields.setdefault("serial", f"KF-2026-{n:06d}")
    return Certificate.objects.create(
        program=program,
        user=person.user,
        holder_name=person.name,
        code=f"CODE{n:010d}",
        issued_on=issued_on,
        expires_on=expires_on,
        **fields,
    )


def level(person, competency, value: int) -> CompetencyRecord:
    return CompetencyRecord.objects.create(
        user=person.user, competency=competency, level=value, derived_level=value
    )


class Api:
    """GETs against /api/v1/ with a bearer token."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def get(self, path: str, **params):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.client.get(f"/api/v1/{path.lstrip('/')}", params, headers=headers)


@pytest.fixture
def api(client, supervisor_token) -> Api:
    return Api(client, supervisor_token)
