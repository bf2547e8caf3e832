"""Making an evidence pack: the pack, and the audit entry that says who made it and of what."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.organisations.models import Organisation
from withpeople.packs.pack import Pack, organisation_pack, work_pack
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
