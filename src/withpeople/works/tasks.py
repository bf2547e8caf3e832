"""Background tasks of check-ins: closing rounds whose closing date has passed, and telling
people who have not answered that a round closes soon. Both are enqueued daily by
`withpeople tick` and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def checkin_rounds_close_overdue(*, today: str) -> int:
    """Close the open check-in rounds whose closing date was before `today`."""
    from withpeople.works.services import checkin_rounds_close_overdue as close

    return close(today=dt.date.fromisoformat(today))


@task()
def checkin_rounds_closing_notify(*, today: str) -> int:
    """Tell group members who have not answered that a check-in round closes within 2 days."""
    from withpeople.works.services import checkin_rounds_closing_notify as tell

    return tell(today=dt.date.fromisoformat(today))
