"""A second factor at sign-in: codes from an authenticator app, and recovery codes.

The devices are django-otp's: a `TOTPDevice` holds the key shared with the person's app
(time-based one-time passwords, RFC 6238: a new 6-digit code every 30 seconds), a
`StaticDevice` holds their recovery codes, each deleted as it is used. django-otp checks the
codes, refuses a code already used (a TOTP device keeps the last time step it accepted), and
slows down guessing on each device. Sign-in throttling (django-axes) counts wrong codes too,
as it counts wrong passwords: see `withpeople.accounts.views.sign_in_code`.

See docs/decisions/0017-second-factor.md.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from withpeople.accounts.models import User

RECOVERY_CODE_COUNT = 10
#: Codes from one step either side of now are accepted, for a phone clock a little out.
TOLERANCE_STEPS = 1


def has_second_factor(user: User) -> bool:
    """Whether they sign in with a code from an authenticator app as well as a password."""
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_app(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_key() -> str:
    """A new random key (20 bytes, as hexadecimal, as django-otp stores it)."""
    return default_key()


def key_for_typing(key: str) -> str:
    """The key as an app asks for it (base 32), in groups of four to make it easier to type."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_link(key: str, user: User) -> str:
    """The otpauth:// link that a QR code gives an authenticator app (Key Uri Format)."""
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{user.email}")
    query = urlencode(
        {
            "secret": b32encode(unhexlify(key)).decode("ascii"),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def code_for(key: str, at: float | None = None) -> str:
    """The code an authenticator app holding `key` shows at the time `at` (default: now)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def _normalised(code: str) -> str:
    """A code as typed, without spaces or hyphens and in lower case (recovery codes are)."""
    return "".join(code.split()).replace("-", "").lower()


def _is_app_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def _matching_step(key: str, code: str) -> int | None:
    """The time step at which `key` gives `code`, within the tolerance, or None."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if totp.verify(int(code), tolerance=TOLERANCE_STEPS):
        return totp.t()
    return None


@transaction.atomic
def second_factor_set_up(*, user: User, key: str, code: str) -> list[str] | None:
    """Keep `key` as their authenticator app if `code` is its current code, with new recovery
    codes, replacing any earlier app and codes. Returns the recovery codes (shown once), or
    None if the code is not right (nothing is saved)."""
    code = _normalised(code)
    step = _matching_step(key, code) if _is_app_code(code) else None
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    # The code just used may not be used again to sign in.
    device = TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True, last_t=step)
    device.full_clean()
    device.save()
    return recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """New recovery codes for `user`; the earlier ones stop working. Returned once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice(user=user, name="Recovery codes", confirmed=True)
    device.full_clean()
    device.save()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_remove(*, user: User) -> None:
    """Remove their authenticator app and recovery codes: they sign in with a password alone."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.passkeys.all().delete()


def second_factor_verify(*, user: User, code: str) -> bool:
    """Whether `code` is their app's current code or one of their unused recovery codes.

    A recovery code is used up; an app code cannot be used twice. Each wrong code slows down the
    next try on that device (django-otp's throttling), whoever sends it.
    """
    code = _normalised(code)
    if not code or len(code) > 16:
        return False
    with transaction.atomic():
        if _is_app_code(code):
            devices = TOTPDevice.objects.devices_for_user(user).select_for_update()
        else:
            devices = StaticDevice.objects.devices_for_user(user).select_for_update()
        return any(device.verify_token(code) for device in devices)


def verify_paused(user: User) -> bool:
    """Whether django-otp is pausing checks of their codes after wrong ones."""
    devices = [*TOTPDevice.objects.devices_for_user(user)]
    devices += [*StaticDevice.objects.devices_for_user(user)]
    return any(not device.verify_is_allowed()[0] for device in devices)
