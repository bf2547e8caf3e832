"""Passkeys (WebAuthn) as a second factor, with the `webauthn` library.

The browser makes or uses a passkey; the server gives it a one-time challenge (kept in the
session) and checks the answer: signed by the passkey's private key, for this site's address,
with the challenge it was given. Only the public key is stored.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from withpeople.accounts.models import Passkey, User

CHALLENGE = "passkey_challenge"


def _site(request: HttpRequest) -> tuple[str, str]:
    """The relying party ID (the host name) and the origin the browser must report."""
    host = request.get_host()
    return host.split(":")[0], f"{request.scheme}://{host}"


def registration_options(request: HttpRequest, user: User) -> str:
    rp_id, _origin = _site(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.OTP_TOTP_ISSUER,
        user_name=user.email,
        user_display_name=user.name or user.email,
        user_id=str(user.pk).encode(),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=_id_bytes(p.credential_id))
            for p in user.passkeys.all()
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _id_bytes(credential_id: str) -> bytes:
    return base64url_to_bytes(credential_id)


def _take_challenge(request: HttpRequest) -> bytes | None:
    challenge = request.session.pop(CHALLENGE, None)
    return base64url_to_bytes(challenge) if challenge else None


@transaction.atomic
def passkey_register(*, request: HttpRequest, user: User, body: str, name: str) -> Passkey | None:
    """Keep the passkey the browser made, if it answers this session's challenge; else None."""
    challenge = _take_challenge(request)
    rp_id, origin = _site(request)
    if challenge is None:
        return None
    try:
        verified = verify_registration_response(
            credential=json.loads(body),
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        return None
    credential_id = bytes_to_base64url(verified.credential_id)
    # The same passkey sent twice (a double click, a replay) is kept once: its credential id is
    # unique, so the second send finds the first.
    existing = Passkey.objects.filter(credential_id=credential_id).first()
    if existing is not None:
        return existing if existing.user_id == user.pk else None
    passkey = Passkey(
        user=user,
        name=name or f"Passkey {secrets.randbelow(9000) + 1000}",
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )
    passkey.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            passkey.save()
    except IntegrityError:
        return Passkey.objects.filter(credential_id=credential_id, user=user).first()
    return passkey


def authentication_options(request: HttpRequest, user: User) -> str:
    rp_id, _origin = _site(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=_id_bytes(p.credential_id))
            for p in user.passkeys.all()
        ],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


@transaction.atomic
def passkey_verify(*, request: HttpRequest, user: User, body: str) -> bool:
    """Whether the browser's answer is signed by one of `user`'s passkeys, for this session's
    challenge (used once), with a sign count that has not gone backwards."""
    challenge = _take_challenge(request)
    rp_id, origin = _site(request)
    if challenge is None:
        return False
    try:
        credential = json.loads(body)
        passkey = (
            Passkey.objects.select_for_update()
            .filter(user=user, credential_id=credential["id"])
            .first()
        )
        if passkey is None:
            return False
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        return False
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return True
