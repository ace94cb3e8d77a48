"""End to end: a certificate earned by passing the quiz shows up in the API as the dashboard
sees it (issuing and progress run after commit, hence a transactional test)."""

import pytest

from tests.api.conftest import Api, make_token
from tests.certification.test_issuing import pass_quiz

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_earned_certificate_is_listed_and_the_person_certified(client, org, program):
    pass_quiz(org["mine"].user, program.requirements.get().quiz)
    api = Api(client, make_token(org["supervisor"].user))
    [issued] = api.get("certificates").json()["items"]
    assert issued["holder"] == {"employee_number": "A0001", "name": "林晓雯"}
    assert issued["status"] == "valid" and issued["serial"].startswith("KF-")
    rows = {r["employee_number"]: r for r in api.get("programs/front-desk/status").json()["items"]}
    assert rows["A0001"]["status"] == "certified"
    assert rows["A0001"]["certificate_serial"] == issued["serial"]
    assert rows["A0002"]["status"] == "not_started"
    detail = api.get("staff/A0001").json()
    assert [c["serial"] for c in detail["certificates"]] == [issued["serial"]]
