"""Tokens: only a valid one opens the API; only its hash is stored; the commands work."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from api.models import ApiToken
from api.services import api_token_revoke
from tests.api.conftest import Api, make_token

ENDPOINTS = ["staff", "staff/A0001", "certificates", "competencies", "programs/front-desk/status"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_no_token_gets_401_json_on_every_endpoint(client, org, program, path):
    response = Api(client, None).get(path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "API" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "林晓雯" not in response.content.decode()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token-of-ours",
        "Bearer ",
        "Bearer " + "x" * 500,
        "Token {token}",  # wrong scheme
        "{token}",  # no scheme
    ],
)
def test_a_wrong_token_gets_401(client, org, supervisor_token, header):
    response = client.get(
        "/api/v1/staff", headers={"Authorization": header.format(token=supervisor_token)}
    )
    assert response.status_code == 401


def test_a_token_differing_in_its_last_character_gets_401(client, org, supervisor_token):
    tampered = supervisor_token[:-1] + ("A" if supervisor_token[-1] != "A" else "B")
    assert Api(client, tampered).get("staff").status_code == 401
    assert Api(client, supervisor_token).get("staff").status_code == 200


def test_a_revoked_token_gets_401(client, org, supervisor_token):
    assert Api(client, supervisor_token).get("staff").status_code == 200
    api_token_revoke(prefix=supervisor_token[:8])
    assert Api(client, supervisor_token).get("staff").status_code == 401


def test_a_token_of_a_deactivated_user_gets_401(client, org, supervisor_token):
    user = org["supervisor"].user
    user.is_active = False
    user.save()
    assert Api(client, supervisor_token).get("staff").status_code == 401


def test_only_the_hash_of_the_token_is_stored(client, org, supervisor_token):
    row = ApiToken.objects.get()
    assert row.token_hash == hashlib.sha256(supervisor_token.encode()).hexdigest()
    assert row.prefix == supervisor_token[:8]
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert supervisor_token not in stored
    assert row.last_used_at is None
    Api(client, supervisor_token).get("staff")
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_each_token_is_new(org):
    user = org["supervisor"].user
    assert make_token(user) != make_token(user)


def test_the_command_prints_a_working_token_once(client, org):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", org["supervisor"].user.username, "HR 系统", stdout=out, stderr=err
    )
    token = out.getvalue().strip()
    assert len(token) >= 40 and token[:8] in err.getvalue()
    row = ApiToken.objects.get()
    assert row.name == "HR 系统" and row.user == org["supervisor"].user
    response = Api(client, token).get("staff")
    assert response.status_code == 200 and response.json()["count"] == 3

    listing = io.StringIO()
    call_command("list_api_tokens", stdout=listing)
    assert row.prefix in listing.getvalue() and token not in listing.getvalue()

    call_command("revoke_api_token", row.prefix, stdout=io.StringIO())
    assert Api(client, token).get("staff").status_code == 401


def test_the_command_refuses_an_unknown_user_or_an_empty_name(org):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "HR", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", org["supervisor"].user.username, "  ", stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="最多 120 个字符"):
        call_command(
            "create_api_token", org["supervisor"].user.username, "系" * 121, stdout=io.StringIO()
        )
    with pytest.raises(CommandError):
        call_command("revoke_api_token", "zzzzzzzz", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_session_of_a_signed_in_user_is_not_a_token(client, org):
    client.force_login(org["supervisor"].user)
    assert client.get("/api/v1/staff").status_code == 401
