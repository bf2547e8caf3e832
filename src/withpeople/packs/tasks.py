"""Making an organisation's evidence pack in the background."""

from __future__ import annotations

from django_tasks import task


@task()
def organisation_pack_run(job_id: int) -> str:
    """Make the PDF of a pack asked for. Safe to run twice: a finished job is left alone."""
    from withpeople.packs.services import pack_job_run

    return pack_job_run(job_id=job_id).status


@task()
def export_file_make(job_id: int) -> str:
    """Make a large spreadsheet asked for. Safe to run twice: a finished job is left alone."""
    from withpeople.packs.services import export_job_run

    job = export_job_run(job_id=job_id)
    return job.status if job is not None else "deleted"


@task()
def export_files_delete_expired(today: str = "") -> int:
    """Delete the spreadsheets made in the background whose time is past; run by the tick."""
    from withpeople.packs.services import export_jobs_delete_expired

    return export_jobs_delete_expired()
