"""A token sees what its user may see on the dashboard, and never another site's data."""

import pytest

from supervision.models import ProgramProgress
from tests.api.conftest import Api, certificate, level, make_token
from tests.factories import StaffFactory, UserFactory


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [
        item["employee_number"] if "employee_number" in item else item["holder"]["employee_number"]
        for item in response.json()["items"]
    ]


@pytest.fixture
def everything(org, program, competencies):
    """A certificate, a competency level and program progress for every person."""
    for person in org.values():
        certificate(person, program)
        level(person, competencies[0], 2)
        ProgramProgress.objects.create(
            user=person.user,
            program=program,
            started=True,
            requirements_met=0,
            requirements_total=1,
        )
    return org


def test_a_supervisor_token_sees_only_their_sites(api, everything):
    mine = ["A0000", "A0001", "A0002"]
    assert numbers(api.get("staff")) == mine
    assert numbers(api.get("certificates")) == mine
    assert numbers(api.get("competencies")) == mine
    assert numbers(api.get("programs/front-desk/status")) == mine
    for path in ("staff", "certificates", "competencies", "programs/front-desk/status"):
        body = api.get(path).content.decode()
        assert "别的项目" not in body and "B0001" not in body


def test_another_sites_person_answers_404_like_an_unknown_one(api, everything):
    assert api.get("staff/A0001").status_code == 200
    hidden, unknown = api.get("staff/B0001"), api.get("staff/NOBODY")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()
    assert "别的项目" not in hidden.content.decode()


def test_asking_for_another_sites_code_gives_an_empty_page(api, everything):
    other_site = everything["stranger"].site.code
    for path in ("staff", "certificates", "competencies", "programs/front-desk/status"):
        response = api.get(path, site=other_site)
        assert response.status_code == 200
        assert response.json()["count"] == 0 and response.json()["items"] == []


def test_a_page_past_the_end_is_empty(api, everything):
    response = api.get("staff", page=99)
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["count"] == 3


def test_a_team_supervisor_sees_only_that_team(client, everything):
    lead = StaffFactory(
        user__roles=["learner", "supervisor"],
        position="supervisor",
        employee_number="A0009",
        site=everything["mine"].site,
        team=everything["mine"].team,
    )
    lead.supervised_teams.add(everything["mine"].team)
    api = Api(client, make_token(lead.user))
    assert numbers(api.get("staff")) == ["A0001", "A0009"]
    assert numbers(api.get("certificates")) == ["A0001"]
    assert api.get("staff/A0002").status_code == 404


def test_a_learner_token_sees_only_its_own_profile(client, everything):
    api = Api(client, make_token(everything["mine"].user))
    assert numbers(api.get("staff")) == ["A0001"]
    assert numbers(api.get("certificates")) == ["A0001"]
    assert api.get("staff/A0002").status_code == 404


def test_a_superuser_token_sees_everybody(client, everything):
    admin = UserFactory(is_superuser=True)
    api = Api(client, make_token(admin))
    assert numbers(api.get("staff")) == ["A0000", "A0001", "A0002", "B0001"]
    assert numbers(api.get("certificates")) == ["A0000", "A0001", "A0002", "B0001"]


def test_losing_the_supervisor_role_narrows_the_token_at_once(api, everything):
    assert len(numbers(api.get("staff"))) == 3
    everything["supervisor"].supervised_sites.clear()
    assert numbers(api.get("staff")) == ["A0000"]


@pytest.mark.parametrize(
    "path",
    [
        "staff?site=%00",
        "staff/A%000001",
        "certificates?program=x%00",
        "programs/front-desk/status?team=%00",
    ],
)
def test_a_nul_character_matches_nothing(api, program, path):
    assert api.get(path).status_code == 404
