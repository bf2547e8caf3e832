"""What evidence packs hold about a person: the organisation packs they asked for.

Registered with `withpeople.core.personal_data` in `PacksConfig.ready()`. A pack asked for
goes with the membership (CASCADE); the audit log keeps that a pack was made.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.packs.models import ExportJob, PackJob


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    return {
        "evidence_packs_asked_for": [
            {
                "from": job.starts_on.isoformat(),
                "to": job.ends_on.isoformat(),
                "asked_for_at": job.created_at.isoformat(),
                "status": job.status,
            }
            for job in PackJob.objects.filter(requested_by=membership).order_by("created_at", "pk")
        ],
        # The files themselves are the organisation's tables, not about the person: only that
        # they asked for them.
        "files_asked_for": [
            {
                "table": job.kind,
                "format": job.file_format,
                "asked_for_at": job.created_at.isoformat(),
                "status": job.status,
            }
            for job in ExportJob.objects.filter(requested_by=membership).order_by(
                "created_at", "pk"
            )
        ],
    }


ENTRIES = [
    personal_data.PersonalData(
        name="packs",
        models=("packs.PackJob", "packs.ExportJob"),
        order=45,
        export_membership=export_membership,
    ),
]
