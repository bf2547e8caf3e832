"""Secret tokens are stored only as a hash, so a copy of the database cannot be used to sign in,
accept an invitation or send a feedback form."""

from __future__ import annotations

import hashlib


def hash_token(raw: str) -> str:
    """The SHA-256 of the token, in hex: what is stored and looked up in its place."""
    return hashlib.sha256(raw.encode()).hexdigest()
