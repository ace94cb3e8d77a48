"""The queries of a list do not grow with the number of people on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.models import ProgramProgress
from tests.api.conftest import certificate, level
from tests.factories import StaffFactory

LISTS = ["staff", "certificates", "competencies", "programs/front-desk/status"]


def add_people(org, program, competencies, n: int) -> None:
    site = org["supervisor"].site
    for _ in range(n):
        person = StaffFactory(site=site, team=org["mine"].team)
        certificate(person, program)
        for competency in competencies[:2]:
            level(person, competency, 2)
        ProgramProgress.objects.create(
            user=person.user, program=program, started=True, requirements_total=1
        )


def queries_for(api, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, page_size=100)
    assert response.status_code == 200
    return len(captured), len(response.json()["items"])


@pytest.mark.parametrize("path", LISTS)
def test_query_count_is_the_same_for_5_and_40_people(api, org, program, competencies, path):
    api.get("staff")  # the token's first use is noted once; not part of what is compared
    add_people(org, program, competencies, 5)
    few, shown_few = queries_for(api, path)
    add_people(org, program, competencies, 35)
    many, shown_many = queries_for(api, path)
    assert shown_many - shown_few == 35
    assert few == many, f"{path}: {few} queries for {shown_few} items, {many} for {shown_many}"
    print(f"{path}: {many} queries")  # shown with -s
