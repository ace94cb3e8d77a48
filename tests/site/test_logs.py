"""Production logs: one JSON line per request with its id, user, path, status and duration;
errors with their traceback, stamped with the same request id."""

import json
import logging

import pytest
from academy.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines(caplog):
    caplog.set_level(logging.INFO, logger="academy.requests")
    caplog.handler.addFilter(RequestIdFilter())
    formatter = JsonFormatter()

    def lines(logger=None):
        return [
            json.loads(formatter.format(record))
            for record in caplog.records
            if logger is None or record.name == logger
        ]

    return lines


def test_one_json_line_per_request(learner_client, learner, json_lines):
    response = learner_client.get("/verify/", HTTP_X_REQUEST_ID="lb-1234")
    assert response["X-Request-ID"] == "lb-1234"
    [line] = json_lines("academy.requests")
    assert line["request_id"] == "lb-1234"
    assert line["user_id"] == learner.user.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/verify/", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"


def test_an_anonymous_request_gets_a_fresh_id(client, json_lines):
    response = client.get("/verify/", HTTP_X_REQUEST_ID="<script>")  # not echoed
    [line] = json_lines("academy.requests")
    assert line["user_id"] is None
    assert line["request_id"] == response["X-Request-ID"] != "<script>"


def test_an_error_is_logged_with_its_traceback_and_the_request_id(client, json_lines, monkeypatch):
    import certification.views

    def broken(code):
        raise RuntimeError("the certificate table is on fire")

    monkeypatch.setattr(certification.views, "certificate_by_code", broken)
    client.raise_request_exception = False
    response = client.get("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/")
    assert response.status_code == 500
    [error] = [line for line in json_lines("django.request") if line["level"] == "ERROR"]
    assert "RuntimeError: the certificate table is on fire" in error["traceback"]
    assert error["request_id"] == response["X-Request-ID"]
