"""Working offline, site-wide: pages register the service worker for signed-in staff, the
Content-Security-Policy lets our own worker run, and logging out wipes the kept pages."""

import pytest

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signed_in_pages_register_the_worker(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'src="/static/academy/js/offline.js"' in page
    assert "data-service-worker" not in page  # nobody signed in: nothing kept
    client.force_login(StaffFactory().user)
    page = client.get("/offline/").content.decode()
    assert 'data-service-worker="/sw.js"' in page
    # The marker the worker fills in when it serves its copy (courses/service_worker.js).
    assert '<meta name="kefu-offline-copy" content="">' in page


def policy(response) -> dict[str, list[str]]:
    parts = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in parts}


def test_the_policy_allows_our_own_worker_only(client):
    client.force_login(StaffFactory().user)
    for path in ["/", "/emergency/", "/offline/", "/sw.js"]:
        rules = policy(client.get(path))
        assert rules["worker-src"] == ["'self'"], path
        assert rules["manifest-src"] == ["'self'"], path
        assert rules["script-src"] == ["'self'"], path


def test_logging_out_clears_the_kept_pages(client):
    client.force_login(StaffFactory().user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_logging_out_of_the_admin_clears_them_too(client):
    client.force_login(UserFactory(roles=["trainer"]))
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
