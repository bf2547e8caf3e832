import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration: timedelta | None) -> int:
    """A length of time in minutes, rounded up so a wait is never said to be shorter than it is."""
    if not duration:
        return 0
    return max(1, math.ceil(duration.total_seconds() / 60))
