"""Making an evidence pack: the pack, and the audit entry that says who made it and of what."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.core.tables import BACKGROUND_FORMATS, FORMATS, as_bytes
from withpeople.organisations.models import Membership, Organisation
from withpeople.packs.exports import KINDS
from withpeople.packs.models import ExportJob, PackJob, PackJobStatus
from withpeople.packs.pack import Pack, organisation_pack, work_pack
from withpeople.packs.render import pack_pdf
from withpeople.works.models import Work


def _audit(pack: Pack, *, actor, subject_type: str, subject_id, form: str) -> None:
    period = f"{pack.start} to {pack.end}" if pack.start else f"to {pack.end}"
    audit_record(
        organisation=pack.organisation,
        actor=actor,
        action=AuditEventKind.MADE_EVIDENCE_PACK,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=f"{form}, {period}, {len(pack.works)} pieces of work, SHA-256 {pack.checksum}",
    )


@transaction.atomic
def work_pack_make(*, work: Work, actor, form: str) -> Pack:
    """The evidence pack of a piece of work; making it is audited (`form`: page, PDF, API...)."""
    pack = work_pack(work)
    # The subject is the pack, not the piece of work: making a pack changes nothing in it, so
    # it must not count in the work's history.
    _audit(pack, actor=actor, subject_type="packs.work", subject_id=work.pk, form=form)
    return pack


@transaction.atomic
def organisation_pack_make(
    *,
    organisation: Organisation,
    works: QuerySet[Work],
    start: dt.date,
    end: dt.date,
    actor,
    form: str,
) -> Pack:
    """The evidence pack of an organisation over a period, of the pieces of work in `works`."""
    pack = organisation_pack(organisation, works, start, end)
    _audit(
        pack, actor=actor, subject_type="packs.organisation", subject_id=organisation.pk, form=form
    )
    return pack


# --- An organisation's pack, made in the background ------------------------------------------


def pack_job_start(*, membership: Membership, start: dt.date, end: dt.date) -> PackJob:
    """Ask for the organisation's pack over a period; a worker makes it once this commits."""
    with transaction.atomic():
        job = PackJob(
            organisation=membership.organisation,
            requested_by=membership,
            starts_on=start,
            ends_on=end,
        )
        job.full_clean()
        job.save()
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from withpeople.packs.tasks import organisation_pack_run

    organisation_pack_run.enqueue(job_id=job_id)


def pack_job_run(*, job_id: int) -> PackJob:
    """Make the pack of a job still waiting, with the pieces of work its asker may see now.

    The PDF is laid out outside any transaction (it takes seconds, and on SQLite a transaction
    that writes would hold every other writer back), then saved only if the job is still
    waiting, so a second run, or two at once, save one pack.
    """
    from withpeople.works.access import visible_works

    job = PackJob.objects.select_related("organisation", "requested_by__user").get(pk=job_id)
    if job.is_finished:
        return job
    try:
        pack = organisation_pack(
            job.organisation, visible_works(job.requested_by), job.starts_on, job.ends_on
        )
        pdf = pack_pdf(pack)
    except Exception:
        PackJob.objects.filter(pk=job.pk, status=PackJobStatus.WAITING).update(
            status=PackJobStatus.FAILED, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        job = PackJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job
        job.pdf = pdf
        job.checksum = pack.checksum
        job.work_count = len(pack.works)
        job.status = PackJobStatus.DONE
        job.finished_at = timezone.now()
        job.save()
        _audit(
            pack,
            actor=job.requested_by.user,
            subject_type="packs.organisation",
            subject_id=job.organisation_id,
            form="PDF",
        )
    return job


# --- Large spreadsheets, made in the background -----------------------------------------------

#: How long a finished file is offered for, before `withpeople tick` deletes it.
EXPORT_KEPT = dt.timedelta(hours=24)


def export_job_start(
    *, membership: Membership, kind: str, params: dict, file_format: str
) -> ExportJob:
    """Ask for a large spreadsheet; a worker makes it once this commits. `kind` is a key of
    `withpeople.packs.exports.KINDS`, and the caller has checked the member may ask for it."""
    if kind not in KINDS or file_format not in BACKGROUND_FORMATS:
        raise ValueError(f"No background export {kind!r} as {file_format!r}")
    with transaction.atomic():
        job = ExportJob.objects.create(
            organisation=membership.organisation,
            requested_by=membership,
            kind=kind,
            params=params,
            file_format=file_format,
            expires_at=timezone.now() + EXPORT_KEPT,
        )
        transaction.on_commit(partial(_enqueue_export, job.pk))
    return job


def _enqueue_export(job_id: int) -> None:
    from withpeople.packs.tasks import export_file_make

    export_file_make.enqueue(job_id=job_id)


def export_job_run(*, job_id: int) -> ExportJob:
    """Make the file of a job still waiting. As with a pack, the file is made outside any
    transaction and saved only if the job is still waiting, so a second run saves nothing."""
    job = (
        ExportJob.objects.select_related("organisation", "requested_by__user")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.is_finished:  # deleted, or made already
        return job
    try:
        table = KINDS[job.kind].table(job, job.file_format)
        content = as_bytes(table, job.file_format)
    except Exception:
        ExportJob.objects.filter(pk=job.pk, status=PackJobStatus.WAITING).update(
            status=PackJobStatus.FAILED, finished_at=timezone.now()
        )
        raise
    extension = FORMATS[job.file_format][1]
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk, status=PackJobStatus.WAITING).update(
        status=PackJobStatus.DONE,
        content=content,
        filename=f"{table.filename}.{extension}",
        finished_at=now,
        expires_at=now + EXPORT_KEPT,
    )
    job.refresh_from_db()
    return job


def export_jobs_delete_expired(*, now=None) -> int:
    """Delete the files past their time (and asks that never finished by then). How many."""
    deleted, _by_model = ExportJob.objects.expired(now or timezone.now()).delete()
    return deleted
