"""Rate limits that hold when many requests arrive at once.

A count is taken with one conditional UPDATE (`count = count + 1 WHERE count < limit`), which
the database runs one at a time for the same row, so 50 requests fired together let through
exactly the limit and no more. (Counting in the cache, as django-ratelimit does, reads and
then writes; the database cache does not increment atomically, so requests arriving together
all read "below the limit".) Only a hash of the key is kept, with the number of its window.
"""

from __future__ import annotations

import re
import time

from django.db import IntegrityError, transaction
from django.db.models import F

from withpeople.core.models import RateCount
from withpeople.core.tokens import hash_token

_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/h" is (10, 3600): a limit and the length of its window in seconds."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"A rate is written like 10/h, not {rate!r}.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def _window(seconds: int, now: float | None) -> int:
    """The start of the current window, in seconds since 1970."""
    moment = int(time.time() if now is None else now)
    return moment - moment % seconds


def take(*, group: str, key: str, rate: str, now: float | None = None) -> bool:
    """Count one more for `key`, if it is below its limit. False when the limit is reached."""
    limit, seconds = parse_rate(rate)
    key_hash = hash_token(f"{group}|{key}")
    window = _window(seconds, now)
    with transaction.atomic():
        counted = RateCount.objects.filter(
            key_hash=key_hash, window=window, count__lt=limit
        ).update(count=F("count") + 1)
        if counted:
            return True
        if limit < 1:
            return False
        try:
            with transaction.atomic():
                RateCount.objects.create(key_hash=key_hash, window=window, count=1)
            return True
        except IntegrityError:
            # Made a moment ago by another request (or full): count against it.
            return bool(
                RateCount.objects.filter(key_hash=key_hash, window=window, count__lt=limit).update(
                    count=F("count") + 1
                )
            )


def reached(*, group: str, key: str, rate: str, now: float | None = None) -> bool:
    """True when `key` has used up its limit in this window (counts nothing)."""
    limit, seconds = parse_rate(rate)
    row = RateCount.objects.filter(
        key_hash=hash_token(f"{group}|{key}"), window=_window(seconds, now)
    ).first()
    return row is not None and row.count >= limit


def counts_purge(*, now: float | None = None, older_than_seconds: int = 2 * 86400) -> int:
    """Forget counts of windows that started more than two days ago. Returns how many."""
    moment = time.time() if now is None else now
    deleted, _by_model = RateCount.objects.filter(
        window__lt=int(moment) - older_than_seconds
    ).delete()
    return deleted
