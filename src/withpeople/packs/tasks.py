"""Making an organisation's evidence pack in the background."""

from __future__ import annotations

from django_tasks import task


@task()
def organisation_pack_run(job_id: int) -> str:
    """Make the PDF of a pack asked for. Safe to run twice: a finished job is left alone."""
    from withpeople.packs.services import pack_job_run

    return pack_job_run(job_id=job_id).status
