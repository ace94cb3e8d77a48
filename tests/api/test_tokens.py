"""The token rules, without a database."""

import hashlib

from api import tokens


def test_a_new_token_is_long_random_letters_and_digits():
    made = {tokens.new_token() for _ in range(50)}
    assert len(made) == 50
    assert all(len(t) == 43 and tokens.looks_like_token(t) for t in made)
    assert all(t.isalnum() and t.isascii() for t in made)  # no "-": never read as an option


def test_hash_prefix_and_comparison():
    token = tokens.new_token()
    assert tokens.token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert tokens.token_prefix(token) == token[:8]
    assert tokens.hashes_match(tokens.token_hash(token), token)
    assert not tokens.hashes_match(tokens.token_hash(token), token[:-1] + "!")


def test_what_cannot_be_a_token_is_refused_before_any_lookup():
    assert not tokens.looks_like_token("")
    assert not tokens.looks_like_token("short")
    assert not tokens.looks_like_token("x" * 129)
    assert not tokens.looks_like_token("令牌" * 10)
