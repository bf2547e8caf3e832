"""Sending the outbox, and the weekly summaries, on the task queue."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def email_send(*, email_id: int) -> str:
    """Send one email of the outbox. Safe to run twice: only one run claims it."""
    from withpeople.notifications.services import email_send as send

    return send(email_id)


@task()
def weekly_summaries_send(*, today: str) -> int:
    """Each person's summary of the week's notifications they chose to hear of weekly."""
    from withpeople.notifications.services import weekly_summaries_send as send

    return send(today=dt.date.fromisoformat(today))
