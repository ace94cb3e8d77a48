"""Every page carries the Content-Security-Policy; only the Wagtail admin allows inline
scripts and styles (its widgets need them)."""

import pytest

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    parts = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in parts}


def test_learner_pages_and_the_api_docs_allow_no_inline_script_or_style(client):
    for path in ["/accounts/login/", "/verify/", "/api/v1/docs"]:
        rules = policy(client.get(path))
        assert rules["script-src"] == ["'self'"], path
        assert rules["style-src"] == ["'self'"], path
        assert rules["object-src"] == ["'none'"] and rules["frame-ancestors"] == ["'self'"]
    client.force_login(StaffFactory().user)
    assert policy(client.get("/"))["script-src"] == ["'self'"]
    assert policy(client.get("/"))["style-src"] == ["'self'"]


def test_the_admin_alone_allows_inline_scripts_and_styles(client):
    client.force_login(UserFactory(roles=["trainer"]))
    rules = policy(client.get("/admin/"))
    assert rules["script-src"] == rules["style-src"] == ["'self'", "'unsafe-inline'"]


def test_forms_may_lead_on_to_the_configured_platforms_login_pages_only(client, settings):
    assert policy(client.get("/accounts/login/"))["form-action"] == ["'self'"]
    settings.WECOM = {
        **settings.WECOM,
        "corp_id": "ww1",
        "agent_id": "1000002",
        "secret": "s",
    }
    wecom = ["https://login.work.weixin.qq.com", "https://open.weixin.qq.com"]
    assert policy(client.get("/accounts/login/"))["form-action"] == ["'self'", *wecom]
    client.force_login(UserFactory(roles=["trainer"]))
    admin = policy(client.get("/admin/"))  # the admin's own relaxation is kept beside it
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["form-action"] == ["'self'", *wecom]
