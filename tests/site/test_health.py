"""/health/ tells a load balancer whether this app server can serve, as JSON, with no
secrets in it."""

import json
import logging
import time
from unittest import mock

import pytest
from academy.worker import HEARTBEAT_KEY, beat
from django.core.cache import cache
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_health_is_ok_when_everything_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "worker"}
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_database_is_unreachable(client):
    secret = "password=hunter2 host=db.internal"
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError(f"connection failed: {secret}"),
    ):
        response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {
        "status": "error",
        "detail": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert "hunter2" not in response.content.decode()


def test_health_is_503_when_the_cache_is_unreachable(client):
    from django.core.cache import caches

    broken = ConnectionError("redis down")
    with mock.patch.object(type(caches["default"]), "set", side_effect=broken):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"


@override_settings(TASKS=DB_BACKEND)
def test_a_worker_without_heartbeat_is_a_warning_not_a_failure(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["status"] == "warning"
    cache.set(HEARTBEAT_KEY, time.time() - 600)
    worker = client.get("/health/").json()["checks"]["worker"]
    assert worker["status"] == "warning" and "600 s ago" in worker["detail"]


@override_settings(TASKS=DB_BACKEND)
def test_the_workers_heartbeat_is_what_the_worker_check_reads(client):
    beat()  # what a running worker does every 15 s
    assert time.time() - cache.get(HEARTBEAT_KEY) < 5
    assert json.loads(client.get("/health/").content)["checks"]["worker"]["status"] == "ok"


def test_a_failed_check_is_logged_once_as_an_error_with_its_traceback(client, caplog):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/health/")
    assert response.status_code == 503
    [error] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert error.getMessage() == "Health check failed: database (OperationalError)"
    assert "OperationalError: connection refused" in caplog.text  # the traceback
    assert caplog.text.count("Traceback (most recent call last)") == 1


def test_several_failed_checks_are_still_one_error_with_each_traceback(client, caplog):
    from django.core.cache import caches

    with (
        mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
            side_effect=OperationalError("connection refused"),
        ),
        mock.patch.object(
            type(caches["default"]), "set", side_effect=ConnectionError("redis down")
        ),
    ):
        assert client.get("/health/").status_code == 503
    [error] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert error.getMessage() == (
        "Health check failed: database (OperationalError), cache (ConnectionError)"
    )
    assert "OperationalError: connection refused" in caplog.text
    assert "ConnectionError: redis down" in caplog.text
