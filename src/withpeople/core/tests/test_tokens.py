"""Stored token hashes: the same for API tokens, invitations and used feedback form tokens."""

from withpeople.core.tokens import hash_token


def test_a_token_is_stored_as_its_sha256_in_hex():
    # Hashes already in the database must still match the tokens people hold.
    assert hash_token("abc") == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
