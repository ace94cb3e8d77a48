"""The service worker (`/sw.js`) and the offline page over HTTP: headers, what the worker
is given, and when a new worker is made."""

import json
import re

import pytest

from courses.models import LessonPage
from tests.factories import build_course, build_emergency_module

pytestmark = pytest.mark.django_db


def test_the_offline_page_is_open_to_everybody(client):
    response = client.get("/offline/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "没有网络连接" in page and 'href="/emergency/"' in page
    assert 'data-kept-pages="/courses/"' in page


def worker_config(response) -> dict:
    script = response.content.decode()
    return json.loads(re.search(r"const CONFIG = (\{.*?\n\});", script, re.S).group(1))


def test_the_service_worker_is_served_from_the_root_never_from_a_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response
    config = worker_config(response)
    assert config["precache"][:2] == ["/emergency/", "/offline/"]
    assert "/static/academy/css/academy.css" in config["precache"]
    assert "/static/academy/js/offline.js" in config["precache"]
    assert "/admin/" in config["bypass"] and "/media/" in config["bypass"]
    assert client.post("/sw.js").status_code == 405


def test_a_new_emergency_publication_makes_a_new_worker(client):
    index = build_course(modules=1, lessons_per_module=1)
    before = worker_config(client.get("/sw.js"))["version"]
    assert worker_config(client.get("/sw.js"))["version"] == before
    build_emergency_module(index, lessons=1)
    after = worker_config(client.get("/sw.js"))["version"]
    assert after != before
    LessonPage.objects.get(slug="fire-1").save_revision().publish()
    assert worker_config(client.get("/sw.js"))["version"] != after


def test_the_worker_names_hashed_static_files_in_production(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "tests.courses.test_service_worker.HashedNames"},
    }
    config = worker_config(client.get("/sw.js"))
    assert "/static/academy/css/academy.hashed.css" in config["precache"]


class HashedNames:
    """Stands in for whitenoise's manifest storage: every name gets a hash."""

    base_url = "/static/"

    def url(self, name):
        stem, _dot, ext = name.rpartition(".")
        return f"/static/{stem}.hashed.{ext}"


def test_while_developing_a_changed_static_file_makes_a_new_worker(client, settings, monkeypatch):
    """Unhashed names (no manifest storage): the files' modification times stand in."""
    settings.DEBUG = True
    monkeypatch.setattr("courses.views.os.path.getmtime", lambda path: 1.0)
    before = worker_config(client.get("/sw.js"))["version"]
    monkeypatch.setattr(
        "courses.views.os.path.getmtime", lambda path: 2.0 if path.endswith(".css") else 1.0
    )
    assert worker_config(client.get("/sw.js"))["version"] != before
