"""Open Badges 3.0 on the site: each certificate version's credential (holder from 我的证书,
anyone with the verification code), the published keys and the revocation list whose bit
flips when a certificate is revoked or superseded; keys rotate, and their private part
never reaches a log or a response."""

import json
import logging
from datetime import date, timedelta
from io import StringIO

import jwt as pyjwt
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from certification import badge_keys, badges
from certification.models import Certificate, unused_status_index
from certification.services import certificate_issue, certificate_revoke
from tests.factories import StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    settings.KEFU_BADGE_KEYS = ""
    settings.KEFU_BADGE_KEY_FILE = tmp_path / "private" / "badge-keys.json"
    return settings.KEFU_BADGE_KEY_FILE


@pytest.fixture
def holder(db):
    supervisor = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]))
    supervisor.supervised_sites.add(supervisor.site)
    person = StaffFactory(
        site=supervisor.site, team=supervisor.team, name="林晓雯", mobile="13800000000"
    )
    person.boss = supervisor  # a plain attribute: who may revoke in these tests
    return person


@pytest.fixture
def certificate(holder, program):
    return certificate_issue(user=holder.user, program=program, today=date.today())


def published_keys(client):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    return pyjwt.PyJWKSet.from_dict(response.json())


def verified(client, token):
    kid = pyjwt.get_unverified_header(token)["kid"]
    return pyjwt.decode(token, published_keys(client)[kid].key, algorithms=["EdDSA"])


def status_bit(client, credential) -> int:
    status = credential["credentialStatus"]
    url = status["statusListCredential"]
    response = client.get(url.removeprefix(settings.PUBLIC_BASE_URL.rstrip("/")))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    status_list = verified(client, response.content.decode())
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bitstring = badges.decode_status_list(status_list["credentialSubject"]["encodedList"])
    assert len(bitstring) * 8 >= 131_072
    return badges.status_bit(bitstring, int(status["statusListIndex"]))


def download_by_code(client, certificate):
    response = client.get(reverse("badge_by_code", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return response.json()


def test_every_issued_certificate_gets_an_index_once(certificate, holder, program):
    assert certificate.status_index is not None
    index = certificate.status_index
    certificate.save()
    certificate.refresh_from_db()
    assert certificate.status_index == index
    assert 0 <= unused_status_index() < badges.STATUS_LIST_SIZE


def test_anyone_with_the_code_downloads_the_signed_credential(client, certificate, program):
    download = download_by_code(client, certificate)
    claims = verified(client, download["jwt"])
    assert claims == {
        **download["credential"],
        **{k: claims[k] for k in ("iss", "jti", "nbf", "exp")},
    }
    credential = download["credential"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"].endswith(reverse("badge_by_code", args=[certificate.code]))
    assert credential["name"] == program.name
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == program.name
    assert achievement["criteria"]["narrative"].startswith("- ")  # one line per requirement
    assert credential["issuer"]["name"]
    assert credential["validFrom"].startswith(certificate.starts_on.isoformat())
    assert credential["validUntil"].startswith(certificate.expires_on.isoformat())
    assert int(credential["credentialStatus"]["statusListIndex"]) == certificate.status_index


def test_the_credential_names_the_holder_as_the_verify_page_does_and_no_more(
    client, certificate, holder
):
    verify = client.get(
        reverse("verify_certificate", args=[certificate.code]), HTTP_ACCEPT="application/json"
    ).json()
    text = json.dumps(download_by_code(client, certificate), ensure_ascii=False)
    assert verify["holder"] in text
    for private in (holder.mobile, holder.employee_number, holder.user.username):
        assert private not in text
    if holder.user.email:
        assert holder.user.email not in text


def test_a_wrong_code_is_refused(client, db):
    response = client.get(reverse("badge_by_code", args=["NOSUCHCODE0000000000000000"]))
    assert response.status_code == 404
    assert response.json()["error"]


def test_the_holder_downloads_the_jwt_from_my_certificates(client, certificate, holder):
    client.force_login(holder.user)
    page = client.get(reverse("my_certificates")).content.decode()
    url = reverse("my_badge", args=[certificate.pk])
    assert url in page
    assert "Open Badges 3.0" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Content-Disposition"].startswith("attachment")
    claims = verified(client, response.content.decode())
    assert claims["id"].endswith(reverse("badge_by_code", args=[certificate.code]))


def test_nobody_else_gets_it_by_its_number(client, certificate, holder):
    client.force_login(holder.boss.user)
    assert client.get(reverse("my_badge", args=[certificate.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("my_badge", args=[certificate.pk]))
    assert response.status_code == 302  # to the login page


def test_the_verify_page_links_the_credential(client, certificate):
    page = client.get(reverse("verify_certificate", args=[certificate.code])).content.decode()
    assert reverse("badge_by_code", args=[certificate.code]) in page


def test_revoking_flips_the_bit(client, certificate, holder):
    credential = download_by_code(client, certificate)["credential"]
    assert status_bit(client, credential) == 0
    certificate_revoke(certificate=certificate, by=holder.boss.user, reason="违规")
    assert status_bit(client, credential) == 1


def test_a_superseded_version_is_flagged_and_its_successor_is_not(
    client, certificate, holder, program
):
    old = download_by_code(client, certificate)["credential"]
    renewal = certificate_issue(
        user=holder.user, program=program, today=certificate.expires_on + timedelta(days=1)
    )
    assert renewal.pk != certificate.pk
    new = download_by_code(client, renewal)["credential"]
    assert status_bit(client, old) == 1
    assert status_bit(client, new) == 0


def test_rotation_keeps_old_credentials_verifiable(client, certificate, key_file):
    before = download_by_code(client, certificate)["jwt"]
    out = StringIO()
    call_command("badge_key", rotate=True, stdout=out)
    after = download_by_code(client, certificate)["jwt"]
    old_kid = pyjwt.get_unverified_header(before)["kid"]
    new_kid = pyjwt.get_unverified_header(after)["kid"]
    assert old_kid != new_kid
    assert [k.key_id for k in published_keys(client).keys] == [new_kid, old_kid]
    assert verified(client, before)["id"] == verified(client, after)["id"]
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_keys_from_the_environment_come_first(client, certificate, settings):
    settings.KEFU_BADGE_KEYS = json.dumps([badges.new_private_jwk("from-env")])
    token = download_by_code(client, certificate)["jwt"]
    assert pyjwt.get_unverified_header(token)["kid"] == "from-env"
    with pytest.raises(badges.BadgeKeyError):
        badge_keys.rotate()


def test_the_private_key_never_reaches_a_log_or_a_response(
    client, certificate, holder, caplog, capsys, key_file
):
    caplog.set_level(logging.DEBUG)
    client.force_login(holder.user)
    out = StringIO()
    call_command("badge_key", stdout=out)
    call_command("badge_key", rotate=True, stdout=out)
    bodies = [
        client.get("/.well-known/jwks.json").content,
        client.get(reverse("badge_status_list")).content,
        client.get(reverse("badge_issuer")).content,
        client.get(reverse("badge_by_code", args=[certificate.code])).content,
        client.get(reverse("my_badge", args=[certificate.pk])).content,
        client.get(reverse("my_certificates")).content,
    ]
    certificate_revoke(certificate=certificate, by=holder.boss.user, reason="测试")
    secrets = [key["d"] for key in json.loads(key_file.read_text())["keys"]]
    assert len(secrets) == 2
    captured = capsys.readouterr()
    seen = "\n".join(
        [caplog.text, out.getvalue(), captured.out, captured.err]
        + [body.decode("utf-8", "replace") for body in bodies]
    )
    for secret in secrets:
        assert secret not in seen


def test_the_achievement_and_issuer_answer_at_their_ids(client, certificate, program):
    credential = download_by_code(client, certificate)["credential"]
    achievement = client.get(
        credential["credentialSubject"]["achievement"]["id"].removeprefix(
            settings.PUBLIC_BASE_URL.rstrip("/")
        )
    ).json()
    assert achievement["name"] == program.name
    issuer = client.get(
        credential["issuer"]["id"].removeprefix(settings.PUBLIC_BASE_URL.rstrip("/"))
    ).json()
    assert issuer["id"] == credential["issuer"]["id"]
    assert client.get(reverse("badge_achievement", args=["nope"])).status_code == 404


def test_certificates_from_before_badges_get_an_index(db, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status_index=None)
    from importlib import import_module

    from django.apps import apps

    migration = import_module("certification.migrations.0010_certificate_status_index")
    migration.allocate_status_indexes(apps, None)
    certificate.refresh_from_db()
    assert certificate.status_index is not None
