"""Verify a Kefu Academy digital badge (Open Badges 3.0, VC-JWT) with only public data.

    pip install "PyJWT[crypto]"
    python scripts/verify_badge.py badge.jwt   # or the .json from the verification page

Checks the signature with the issuer's published keys (JWKS), the validity dates, and the
credential's bit in the issuer's revocation list (itself signed). Needs no code of ours
beyond this file and no account: anyone can run it."""

import base64
import gzip
import json
import sys
import urllib.parse
import urllib.request

import jwt


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - https in production
        return response.read()


def verified_claims(token: str, jwks_url: str) -> dict:
    keys = jwt.PyJWKSet.from_dict(json.loads(fetch(jwks_url)))
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(token, keys[kid].key, algorithms=["EdDSA"])  # checks nbf / exp too


def main(path: str) -> int:
    text = open(path, encoding="utf-8").read().strip()
    token = json.loads(text)["jwt"] if text.startswith("{") else text
    issuer = jwt.decode(token, options={"verify_signature": False})["iss"]
    jwks_url = urllib.parse.urljoin(issuer, "/.well-known/jwks.json")
    try:
        credential = verified_claims(token, jwks_url)
    except jwt.ExpiredSignatureError:
        print("EXPIRED: the signature is genuine but the certificate is past its validity.")
        return 1
    except jwt.InvalidTokenError as error:
        print(f"NOT VALID: {error}")
        return 1
    status = credential["credentialStatus"]
    status_list = verified_claims(fetch(status["statusListCredential"]).decode(), jwks_url)
    encoded = status_list["credentialSubject"]["encodedList"].removeprefix("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(status["statusListIndex"])
    if (bits[index // 8] >> (7 - index % 8)) & 1:
        print("REVOKED: the issuer has revoked or replaced this certificate.")
        return 1
    identifier = credential["credentialSubject"]["identifier"][0]["identityHash"]
    print(
        f"VALID: {credential['name']}, held by {identifier}, issued by "
        f"{credential['issuer']['name']}, valid from {credential['validFrom'][:10]}"
        + (f" until {credential['validUntil'][:10]}" if "validUntil" in credential else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
