"""How many unread notifications the signed-in person has, for the header navigation."""

from __future__ import annotations

from django.http import HttpRequest

from withpeople.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
