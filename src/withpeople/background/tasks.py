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
