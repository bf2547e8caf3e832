from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from withpeople.accounts.models import ApiToken, User
from withpeople.core.tokens import hash_token


@transaction.atomic
def user_create(*, email: str, name: str, password: str | None) -> User:
    return User.objects.create_user(email=email, name=name, password=password)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`. The raw token is returned once and never stored."""
    raw = ApiToken.new_raw_token()
    token = ApiToken(user=user, name=name, token_hash=hash_token(raw), hint=raw[:7])
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


#: "Last used" is kept to this: a token used many times a minute is written once a minute, not
#: on every request (a write per request was most of a busy API's database time).
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_user(raw: str) -> User | None:
    """The active user a raw token belongs to, recording when it was last used (to the
    minute)."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
