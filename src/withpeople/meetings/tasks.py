"""Meetings' background work, run by the worker; `withpeople tick` enqueues it every tick."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def reminders_send(*, now: str) -> int:
    """Send the reminders that have fallen due by `now`: safe to run twice, as each reminder
    is kept as sent (and given to `notify` with its own key) and never sent again."""
    from withpeople.meetings.services import reminders_send_due

    return reminders_send_due(dt.datetime.fromisoformat(now))
