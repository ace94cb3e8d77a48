"""Certificates as Open Badges 3.0 credentials. Pure Python (no Django): the credential's
data model, the Bitstring Status List that says which credentials are revoked, and
signing both as VC-JWT (JOSE, EdDSA over Ed25519, with joserfc).

The rules:
- A certificate version is an `OpenBadgeCredential` (W3C Verifiable Credentials 2.0 as
  Open Badges 3.0 profiles it): the issuer's profile, the achievement (the program, its
  criteria written from the program's requirements), validity dates from the certificate.
- The holder is identified by no more than the public verification page shows: the name
  printed on the certificate (an `IdentityObject` of type `name`), never an e-mail
  address, phone number or employee number.
- Each version has its own index in the one status list (`STATUS_LIST_SIZE` bits, chosen
  at random when the version is issued, never reused); its bit is 1 once the version is
  revoked or superseded by a newer one, so a verifier learns that it no longer stands.
- The JWT's `kid` names the signing key; the published key set (`public_jwks`) lists the
  current key and every retired one, so a credential signed before a rotation verifies.
"""

from __future__ import annotations

import base64
import gzip
import json
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from joserfc import jwt
from joserfc.jwk import KeySet, OKPKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ALGORITHM = "EdDSA"
JWT_TYPE = "vc+jwt"
MEDIA_TYPE = "application/vc+jwt"
# The Bitstring Status List's minimum size (131,072 bits = 16 KB): large enough that one
# index tells nobody how many certificates were issued, or when.
STATUS_LIST_SIZE = 131_072
REVOCATION = "revocation"

# RFC 9864 names the algorithm "Ed25519" and joserfc warns that "EdDSA" is deprecated; but
# "EdDSA" is what Open Badges verifiers and other JOSE libraries (PyJWT) understand today.
warnings.filterwarnings("ignore", message="EdDSA is deprecated via RFC 9864")


class BadgeKeyError(Exception):
    """The configured badge keys cannot be used (malformed, not Ed25519, no private part)."""


@dataclass(frozen=True)
class Issuer:
    """The issuer's profile: `id` a URL of the site, `name` as certificates print it."""

    id: str
    name: str
    url: str = ""

    def as_profile(self) -> dict:
        profile = {"id": self.id, "type": ["Profile"], "name": self.name}
        if self.url:
            profile["url"] = self.url
        return profile


@dataclass(frozen=True)
class BadgeContent:
    """What a credential says about one certificate version (its holder as the verification
    page names them; nothing else about the person)."""

    credential_id: str  # a URL under the site
    holder: str
    program: str
    program_description: str
    achievement_id: str  # a URL under the site, one per program
    requirements: Sequence[str]  # each requirement as the program lists it
    serial: str
    version: int
    issued_on: date
    valid_from: date
    expires_on: date | None
    status_index: int
    status_list_url: str


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def criteria_narrative(requirements: Sequence[str]) -> str:
    """The achievement's criteria: the program's requirements as a Markdown list."""
    if not requirements:
        return "Awarded by the issuer."
    return "\n".join(f"- {requirement}" for requirement in requirements)


def achievement(*, id: str, name: str, description: str, requirements: Sequence[str]) -> dict:
    """A program as an `Achievement`: its criteria are its requirements."""
    return {
        "id": id,
        "type": ["Achievement"],
        "name": name,
        "description": description or name,
        "criteria": {"narrative": criteria_narrative(requirements)},
    }


def open_badge_credential(content: BadgeContent, issuer: Issuer) -> dict:
    """The `OpenBadgeCredential` of one certificate version, unsigned."""
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": content.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.as_profile(),
        "validFrom": _timestamp(content.valid_from),
        "name": content.program,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": content.holder,
                }
            ],
            "achievement": achievement(
                id=content.achievement_id,
                name=content.program,
                description=content.program_description,
                requirements=content.requirements,
            ),
        },
        "credentialStatus": {
            "id": f"{content.status_list_url}#{content.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": REVOCATION,
            "statusListIndex": str(content.status_index),
            "statusListCredential": content.status_list_url,
        },
    }
    if content.expires_on is not None:
        # The last valid day, to its end: validUntil is an instant.
        credential["validUntil"] = f"{content.expires_on.isoformat()}T23:59:59Z"
    return credential


# The status list.


def encode_status_list(revoked: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    """The bitstring with the bits of `revoked` set, GZIP-compressed and written as
    multibase base64url without padding ("u" prefix). Bit 0 is the first byte's highest
    bit, as the Bitstring Status List specification orders them."""
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_status_list(encoded: str) -> bytes:
    """The bitstring of an `encodedList` (with or without the multibase prefix)."""
    text = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def status_bit(bitstring: bytes, index: int) -> int:
    return (bitstring[index // 8] >> (7 - index % 8)) & 1


def status_list_credential(
    *, url: str, issuer: Issuer, revoked: Iterable[int], now: datetime
) -> dict:
    """The `BitstringStatusListCredential` published at `url`, unsigned."""
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.as_profile(),
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": REVOCATION,
            "encodedList": encode_status_list(revoked),
        },
    }


# Keys and signing.


def new_private_jwk(kid: str) -> dict:
    """A fresh Ed25519 key as a private JWK named `kid`."""
    key = OKPKey.generate_key("Ed25519", parameters={"kid": kid, "alg": ALGORITHM, "use": "sig"})
    return key.as_dict(private=True)


def load_keys(private_jwks: Sequence[dict]) -> KeySet:
    """The signing keys, the current one first; each an Ed25519 JWK with a `kid` and its
    private part. Refuses anything else, naming the key by its `kid` only."""
    if not private_jwks:
        raise BadgeKeyError("No badge signing key is configured.")
    keys, seen = [], set()
    for number, data in enumerate(private_jwks, 1):
        kid = data.get("kid") if isinstance(data, dict) else None
        if not kid or kid in seen:
            raise BadgeKeyError(f"Badge key {number} has no kid, or a kid used twice.")
        if data.get("kty") != "OKP" or data.get("crv") != "Ed25519" or "d" not in data:
            raise BadgeKeyError(f"Badge key {kid!r} is not a private Ed25519 JWK.")
        seen.add(kid)
        try:
            keys.append(OKPKey.import_key(data, parameters={"kid": kid}))
        except Exception:  # noqa: BLE001 - the message must not carry the key material
            raise BadgeKeyError(f"Badge key {kid!r} cannot be read.") from None
    return KeySet(keys)


def public_jwks(keys: KeySet) -> dict:
    """The key set to publish: every key's public part, with its `kid`."""
    published = []
    for key in keys.keys:
        public = key.as_dict(private=False)
        public.update(kid=key.kid, alg=ALGORITHM, use="sig")
        published.append(public)
    return {"keys": published}


def sign(credential: dict, keys: KeySet) -> str:
    """The credential as a VC-JWT signed with the current key (the first). The payload is
    the credential itself with the registered claims Open Badges 3.0 asks for (`iss`,
    `jti`, `nbf`, `exp` where it expires)."""
    key = keys.keys[0]
    claims = dict(credential)
    issuer = credential["issuer"]
    claims["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    claims["jti"] = credential["id"]
    claims["nbf"] = _epoch(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": JWT_TYPE}
    return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


def verify(token: str, keys: KeySet) -> dict:
    """The claims of a token signed by one of `keys` (chosen by `kid`); raises otherwise.
    Validity dates are the caller's to judge."""
    return jwt.decode(token, keys, algorithms=[ALGORITHM]).claims


def _epoch(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())


def credential_download(token: str, credential: dict) -> str:
    """The JSON file offered for download: the signed JWT and, readable, what it says."""
    return json.dumps({"jwt": token, "credential": credential}, ensure_ascii=False, indent=2)
