"""How the API knows who is calling: a personal token, or the browser's signed-in session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from withpeople.accounts.services import api_token_user
from withpeople.organisations.access import lacks_a_required_second_factor


class TokenAuth(HttpBearer):
    """`Authorization: Bearer wp_…`, a token made on the account page."""

    openapi_description = "A personal API token, made and revoked on your account page."

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is None or lacks_a_required_second_factor(user):
            return None
        request.user = user
        return user


class SignedInSession(SessionAuth):
    """The signed-in browser session: ninja checks the CSRF token on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is None or lacks_a_required_second_factor(user):
            return None
        return user


# Someone an organisation requires to sign in with a second factor, who has none, gets 401
# until they set one up: a token made before the rule must not get round it.
API_AUTH = [TokenAuth(), SignedInSession()]
