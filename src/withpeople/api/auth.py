"""How the API knows who is calling: a personal token, or the browser's signed-in session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from withpeople.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer wp_…`, a token made on the account page."""

    openapi_description = "A personal API token, made and revoked on your account page."

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


# The signed-in browser session: ninja checks the CSRF token on unsafe methods.
API_AUTH = [TokenAuth(), SessionAuth()]
