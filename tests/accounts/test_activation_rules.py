"""The rules of activation codes, as plain Python: their format, how typed codes are read,
their storage, expiry, single use and voiding (`accounts.activation`)."""

from datetime import UTC, datetime, timedelta

from accounts import activation
from accounts.activation import CODE_ALPHABET, CODE_LENGTH, State

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SECRET = "test-secret"


def test_a_code_is_eight_characters_without_look_alikes():
    codes = {activation.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == CODE_LENGTH == 8
        assert not set(code) & set("0O1I")
        assert set(code) <= set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 2**40  # see the module docstring


def test_a_typed_code_ignores_case_spaces_and_the_printed_dash():
    assert activation.display_code("ABCDEFGH") == "ABCD-EFGH"
    assert activation.normalised_code(" abcd-efgh ") == "ABCDEFGH"
    assert activation.normalised_code("abcd efgh") == "ABCDEFGH"


def test_a_typed_code_of_the_wrong_length_or_letters_is_no_code():
    assert activation.normalised_code("ABCDEFG") == ""
    assert activation.normalised_code("ABCDEFGHJ") == ""
    assert activation.normalised_code("ABCDEFG0") == ""  # 0 is never printed
    assert activation.normalised_code("A" * 10_000) == ""


def test_secrets_are_stored_as_keyed_digests_never_as_themselves():
    token = activation.new_token()
    assert len(token) >= 22  # 128 bits
    digest = activation.token_digest(token, secret=SECRET)
    assert token not in digest and len(digest) == 64
    assert activation.token_digest(token, secret="another key") != digest
    code = "ABCDEFGH"
    # The same code of two people is stored differently.
    assert activation.code_digest(code, user_id=1, secret=SECRET) != activation.code_digest(
        code, user_id=2, secret=SECRET
    )
    assert activation.digests_match(
        activation.code_digest(code, user_id=1, secret=SECRET),
        activation.code_digest(code, user_id=1, secret=SECRET),
    )
    assert not activation.digests_match(
        activation.code_digest(code, user_id=1, secret=SECRET),
        activation.code_digest("ABCDEFGJ", user_id=1, secret=SECRET),
    )


def test_a_code_expires_after_fourteen_days_by_default():
    expires_at = activation.expiry(NOW)
    assert expires_at == NOW + timedelta(days=14)
    assert activation.expiry(NOW, 3) == NOW + timedelta(days=3)

    def at(moment):
        return activation.state(expires_at=expires_at, used_at=None, voided_at=None, now=moment)

    assert at(expires_at - timedelta(seconds=1)) is State.USABLE
    assert at(expires_at) is State.EXPIRED


def test_a_used_code_stays_used_and_a_voided_one_voided():
    expires_at = activation.expiry(NOW)
    later = NOW + timedelta(days=30)
    assert activation.state(expires_at=expires_at, used_at=NOW, voided_at=None, now=NOW) is (
        State.USED
    )
    assert activation.state(expires_at=expires_at, used_at=NOW, voided_at=None, now=later) is (
        State.USED
    )
    assert activation.state(expires_at=expires_at, used_at=None, voided_at=NOW, now=NOW) is (
        State.VOIDED
    )
