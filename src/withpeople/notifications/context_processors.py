"""How many unread notifications the signed-in person has, for the header navigation.

Listed before the core navigation processor: one query counts both the unread notifications
and the person's memberships (which the navigation needs), so the count costs no query more.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from withpeople.notifications.models import Notification
from withpeople.organisations.models import Membership


def _count(queryset) -> Coalesce:
    counted = queryset.values("user").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unread_notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            unread=_count(Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)),
            memberships_count=_count(Membership.objects.filter(user=OuterRef("pk"))),
        )
        .values_list("unread", "memberships_count")
        .first()
    )
    unread, memberships = counts or (0, 0)
    if getattr(request, "_membership_count", None) is None:
        request._membership_count = memberships  # type: ignore[attr-defined]
    return {"unread_notifications": unread}
