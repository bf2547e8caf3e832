from django.http import HttpRequest

from withpeople.core.current import current_organisation
from withpeople.core.navigation import navigation_items


def navigation(request: HttpRequest) -> dict:
    organisation = current_organisation(request)
    memberships = getattr(request, "_membership_count", None)
    if memberships is None and request.user.is_authenticated:
        memberships = request.user.memberships.count()
    return {
        "current_organisation": organisation,
        "show_switch_organisation": bool(memberships and memberships > 1),
        "navigation_items": navigation_items(request, organisation),
    }
