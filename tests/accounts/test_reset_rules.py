"""The rules of self-service reset, as plain Python: which way a person is reached, how what
they typed is read and counted, and when a reset code still works (`accounts.reset`, the
state shared with `accounts.activation`)."""

from datetime import UTC, datetime, timedelta

from accounts import activation, reset
from accounts.activation import State

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SECRET = "test-secret"


def test_people_with_an_address_get_a_link_and_everybody_else_a_code():
    assert reset.by_email("wang@example.com")
    assert not reset.by_email("")
    assert not reset.by_email("   ")


def test_full_width_input_and_spaces_are_read_as_typed_on_a_western_keyboard():
    assert reset.cleaned_identifier("  ｗａｎｇ＠example.com ") == "wang@example.com"
    assert reset.cleaned_identifier("Ｅ２００１") == "E2001"
    assert len(reset.cleaned_identifier("x" * 1000)) == reset.MAX_IDENTIFIER


def test_one_account_written_differently_is_counted_as_one():
    assert reset.identifier_key("Wang@Example.com") == reset.identifier_key(" wang@example.com")
    assert reset.identifier_key("+86 138-0013-8000") == reset.identifier_key("13800138000")
    assert reset.identifier_key("E2001") != reset.identifier_key("E2002")
    # Defined for anything typed, so an unknown name is counted like a known one.
    assert reset.identifier_key("no such person") == "no such person"


def test_a_reset_code_expires_after_its_minutes():
    assert reset.code_expiry(NOW, 30) == NOW + timedelta(minutes=30)
    assert reset.code_expiry(NOW) == NOW + timedelta(minutes=reset.DEFAULT_CODE_MINUTES)


def test_a_reset_code_never_matches_an_activation_code_with_the_same_characters():
    as_activation = activation.code_digest("ABCDEFGH", user_id=7, secret=SECRET)
    as_reset = activation.code_digest(
        "ABCDEFGH", user_id=7, secret=SECRET, purpose=reset.DIGEST_PURPOSE
    )
    assert not activation.digests_match(as_activation, as_reset)


def code_state(*, minutes=10, used=False, voided=False, wrong=0, limit=5) -> State:
    return activation.state(
        expires_at=NOW + timedelta(minutes=minutes),
        used_at=NOW if used else None,
        voided_at=NOW if voided else None,
        now=NOW,
        wrong_tries=wrong,
        max_wrong_tries=limit,
    )


def test_a_reset_code_works_until_it_is_used_voided_expired_or_guessed_at_too_often():
    assert code_state() is State.USABLE
    assert code_state(wrong=4) is State.USABLE
    assert code_state(wrong=5) is State.EXHAUSTED
    assert code_state(minutes=0) is State.EXPIRED
    assert code_state(voided=True) is State.VOIDED
    assert code_state(used=True, wrong=5, minutes=-5) is State.USED  # what happened first


def test_activation_codes_have_no_limit_of_wrong_tries():
    assert (
        activation.state(
            expires_at=NOW + timedelta(days=1),
            used_at=None,
            voided_at=None,
            now=NOW,
            wrong_tries=100,
        )
        is State.USABLE
    )
