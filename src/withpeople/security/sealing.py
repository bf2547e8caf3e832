"""Sealing secrets kept in the database (an OpenID Connect client secret), so that a copy of the
database alone does not give them away.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) with a key derived by HKDF-SHA256
from Django's SECRET_KEY, for this use only. Keys derived from SECRET_KEY_FALLBACKS still open
what they sealed, so the secret key can be rotated as Django allows; a secret sealed with a key
that is no longer listed must be typed in again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"withpeople single sign-on client secret"


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    return MultiFernet(
        [_fernet(settings.SECRET_KEY)]
        + [_fernet(key) for key in getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    )


def seal(text: str) -> str:
    return _keys().encrypt(text.encode()).decode("ascii")


def unseal(sealed: str) -> str | None:
    """The sealed text, or None if no key in use can open it."""
    try:
        return _keys().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None
