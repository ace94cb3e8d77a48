"""The live server answers from a database connection of its own, on SQLite as on
PostgreSQL: what the test thread has not committed, the server cannot see, and no
transaction of one is part of the other's. (With the in-memory SQLite database the server
either shared the test thread's connection, and so its transaction, or failed with
"database table is locked"; which of the two depended on whether a database test had run
before the first browser test.)"""

import json
import urllib.error
import urllib.request

import pytest
from django.db import transaction
from django.utils import timezone

from certification import rules
from certification.models import Certificate
from tests.browser.conftest import DEADLINE_MS
from tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def look_up(live_server, code: str) -> tuple[int, dict]:
    """The public verification API, as a phone scanning the QR code would ask it."""
    url = f"{live_server.url}/verify/{code}/"  # http://localhost:<port>/, nothing else
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=DEADLINE_MS / 1000) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_server_sees_only_what_the_test_thread_committed(live_server, program):
    holder = StaffFactory(name="林小文").user
    with transaction.atomic():
        certificate = Certificate.objects.create(
            program=program,
            user=holder,
            holder_name="林小文",
            serial="KF-2025-000001",
            code=rules.new_verification_code(),
            issued_on=timezone.localdate(),
        )
        status, _body = look_up(live_server, certificate.code)
        assert status == 404  # not committed yet: not there for anybody else
    status, body = look_up(live_server, certificate.code)
    assert status == 200 and body["holder"] == "林小文"
