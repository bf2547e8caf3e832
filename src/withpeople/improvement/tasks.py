"""Improvement's daily work, enqueued by `withpeople tick`."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def actions_overdue_notify(*, today: str) -> int:
    """Tell the owners of actions past their due date; safe to run twice."""
    from withpeople.improvement.services import actions_overdue_notify as tell

    return tell(today=dt.date.fromisoformat(today))
