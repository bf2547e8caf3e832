"""Site-wide tasks run by `withpeople tick`."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def retention_apply_daily(*, today: str) -> dict[str, int]:
    """`withpeople retention apply` for the day: safe to run twice, the second changes nothing."""
    from withpeople.privacy.retention import retention_apply, sign_in_records_apply

    day = dt.date.fromisoformat(today)
    results = retention_apply(today=day)
    return {
        "organisations": len(results),
        "sign_in_records_deleted": sign_in_records_apply(today=day),
    }


#: Finished task results, and the record of what tick enqueued, are kept this long.
KEEP_FINISHED = dt.timedelta(days=30)


@task()
def finished_tasks_prune(*, today: str) -> int:
    """Delete task results finished, and tick records made, more than KEEP_FINISHED ago."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from withpeople.background.models import DueRun

    before = timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(today), dt.time.min))
    before -= KEEP_FINISHED
    deleted, _kinds = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    DueRun.objects.filter(enqueued_at__lt=before).delete()
    return deleted
