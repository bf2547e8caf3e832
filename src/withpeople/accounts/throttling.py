"""What sign-in throttling (django-axes) counts failed sign-ins against.

Sign-in finds the account by email address whatever its capitals (UserManager
.get_by_natural_key), so failures must be counted the same way: otherwise Victim@example.org
and victim@example.org would each get their own allowance of guesses at one password.
"""

from __future__ import annotations

from django.http import HttpRequest


def sign_in_email(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The email address typed into the sign-in form, without spaces and in lower case."""
    if credentials:
        email = credentials.get("username")
    else:
        email = getattr(request, "data", request.POST).get("username")
    if not isinstance(email, str):
        return None
    return email.strip().lower() or None
