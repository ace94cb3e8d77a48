"""Open Badges 3.0 credentials as plain Python (`certification.badges`): the data model's
required fields, the status list's encoding, and signatures that a second, independent
JOSE library (PyJWT) verifies with only the published keys."""

from datetime import UTC, date, datetime

import jwt as pyjwt
import pytest

from certification import badges

ISSUER = badges.Issuer(id="https://academy.example/badges/issuer", name="客服学院")
STATUS_URL = "https://academy.example/badges/status/revocation"


def content(**changes) -> badges.BadgeContent:
    values = {
        "credential_id": "https://academy.example/verify/CODE/badge.json",
        "holder": "林晓雯",
        "program": "前台客服上岗认证",
        "program_description": "",
        "achievement_id": "https://academy.example/badges/achievements/front-desk",
        "requirements": ["测验通过：投诉处理", "主管现场观察通过"],
        "serial": "KF-2026-000001",
        "version": 1,
        "issued_on": date(2026, 3, 1),
        "valid_from": date(2026, 3, 1),
        "expires_on": date(2027, 2, 28),
        "status_index": 4242,
        "status_list_url": STATUS_URL,
    }
    values.update(changes)
    return badges.BadgeContent(**values)


def test_the_credential_has_every_required_field():
    credential = badges.open_badge_credential(content(), ISSUER)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"].startswith("https://academy.example/")
    assert credential["issuer"] == {
        "id": ISSUER.id,
        "type": ["Profile"],
        "name": "客服学院",
    }
    assert credential["validFrom"] == "2026-03-01T00:00:00Z"
    assert credential["validUntil"] == "2027-02-28T23:59:59Z"
    assert credential["name"] == "前台客服上岗认证"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["id"] == "https://academy.example/badges/achievements/front-desk"
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "前台客服上岗认证"
    assert achievement["description"]  # the program's name when it has no description
    assert achievement["criteria"]["narrative"] == "- 测验通过：投诉处理\n- 主管现场观察通过"
    assert credential["credentialStatus"] == {
        "id": f"{STATUS_URL}#4242",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "4242",
        "statusListCredential": STATUS_URL,
    }


def test_the_holder_is_named_as_on_the_verification_page_and_no_more():
    credential = badges.open_badge_credential(content(), ISSUER)
    subject = credential["credentialSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "林晓雯",
        }
    ]
    assert set(subject) == {"type", "identifier", "achievement"}


def test_a_certificate_without_expiry_has_no_valid_until():
    credential = badges.open_badge_credential(content(expires_on=None), ISSUER)
    assert "validUntil" not in credential


def test_the_status_list_sets_exactly_the_revoked_bits():
    encoded = badges.encode_status_list([0, 7, 4242, badges.STATUS_LIST_SIZE - 1])
    assert encoded.startswith("u")  # multibase base64url
    assert "=" not in encoded
    bitstring = badges.decode_status_list(encoded)
    assert len(bitstring) * 8 == badges.STATUS_LIST_SIZE >= 131_072
    set_bits = [i for i in range(len(bitstring) * 8) if badges.status_bit(bitstring, i)]
    assert set_bits == [0, 7, 4242, badges.STATUS_LIST_SIZE - 1]
    assert bitstring[0] == 0b1000_0001  # bit 0 is the first byte's highest bit
    with pytest.raises(ValueError):
        badges.encode_status_list([badges.STATUS_LIST_SIZE])


def test_the_status_list_credential():
    now = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    credential = badges.status_list_credential(url=STATUS_URL, issuer=ISSUER, revoked=[3], now=now)
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["id"] == STATUS_URL
    subject = credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert badges.status_bit(badges.decode_status_list(subject["encodedList"]), 3) == 1


def keyset(*kids):
    return badges.load_keys([badges.new_private_jwk(kid) for kid in kids])


def test_a_second_library_verifies_the_signature_with_the_published_keys():
    keys = keyset("key-1")
    credential = badges.open_badge_credential(content(expires_on=date(2099, 1, 1)), ISSUER)
    token = badges.sign(credential, keys)

    header = pyjwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": "key-1", "typ": "vc+jwt"}
    published = pyjwt.PyJWKSet.from_dict(badges.public_jwks(keys))
    claims = pyjwt.decode(
        token, published["key-1"].key, algorithms=["EdDSA"], options={"verify_aud": False}
    )
    assert claims["credentialSubject"] == credential["credentialSubject"]
    assert claims["iss"] == ISSUER.id
    assert claims["jti"] == credential["id"]
    # And our own library agrees.
    assert badges.verify(token, keys)["id"] == credential["id"]


def test_a_tampered_credential_fails():
    keys = keyset("key-1")
    token = badges.sign(badges.open_badge_credential(content(), ISSUER), keys)
    header, payload, signature = token.split(".")
    other = badges.sign(badges.open_badge_credential(content(holder="王某"), ISSUER), keys)
    forged = ".".join([header, other.split(".")[1], signature])
    published = pyjwt.PyJWKSet.from_dict(badges.public_jwks(keys))
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(forged, published["key-1"].key, algorithms=["EdDSA"])


def test_after_a_rotation_old_credentials_still_verify():
    old = keyset("old")
    token = badges.sign(badges.open_badge_credential(content(expires_on=None), ISSUER), old)
    rotated = badges.load_keys(
        [badges.new_private_jwk("new"), *[k.as_dict(private=True) for k in old.keys]]
    )
    published = pyjwt.PyJWKSet.from_dict(badges.public_jwks(rotated))
    assert [key.key_id for key in published.keys] == ["new", "old"]
    kid = pyjwt.get_unverified_header(token)["kid"]
    assert pyjwt.decode(token, published[kid].key, algorithms=["EdDSA"])["name"]
    new_token = badges.sign(badges.open_badge_credential(content(), ISSUER), rotated)
    assert pyjwt.get_unverified_header(new_token)["kid"] == "new"


def test_the_published_keys_hold_no_private_part():
    keys = keyset("key-1", "key-0")
    for key in badges.public_jwks(keys)["keys"]:
        assert "d" not in key
        assert key["kty"] == "OKP" and key["crv"] == "Ed25519"


def test_unusable_keys_are_refused_without_showing_them():
    private = badges.new_private_jwk("k")
    public = {k: v for k, v in private.items() if k != "d"}
    for bad in ([], [public], [{**private, "kid": ""}], [private, private]):
        with pytest.raises(badges.BadgeKeyError) as refused:
            badges.load_keys(bad)
        assert private["d"] not in str(refused.value)
