"""Who may open each evidence pack: whoever may read what it shows.

A piece of work's pack needs the right to read the piece of work (so `individual`-level work
only for its group and admins); the organisation's pack needs membership, and holds only the
pieces of work the reader may see. Another organisation gets 404.
"""

from withpeople.testing.access import (
    API_MEMBERS,
    API_READ_WORK,
    MEMBERS,
    READ_WORK,
    SIGN_IN,
    STAFF,
    Case,
    org,
)
from withpeople.works.tests.access_cases import _api_org, _api_work, _w

PERIOD = "?from-day=1&from-month=1&from-year=2026&to-day=31&to-month=1&to-year=2026"

MEMBERS_EMPTY_POST = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "partner": 400,
    "staff": 400,
    "admin": 400,
}
#: A pack asked for is its asker's alone (here the partner in the group): others find nothing.
ASKER_ONLY = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "member": 200,
    "lead": 404,
    "nonmember": 404,
    "partner_lead": 404,
    "admin": 404,
}


def _job(ctx):
    """A pack the partner in the group asked for, made already."""
    import datetime as dt

    from withpeople.packs.services import pack_job_run, pack_job_start

    job = pack_job_start(
        membership=ctx.members["member"], start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)
    )
    pack_job_run(job_id=job.pk)
    return org(ctx) | {"job_pk": job.pk}


#: A file asked for is its asker's alone (here a lead, who is staff): others find nothing.
EXPORT_ASKER_ONLY = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "member": 404,
    "lead": 200,
    "nonmember": 404,
    "partner_lead": 404,
    "admin": 404,
}


def _export_job(ctx):
    """A finance spreadsheet a lead (staff) asked for, made already."""
    from withpeople.packs.services import export_job_run, export_job_start

    job = export_job_start(
        membership=ctx.members["lead"],
        kind="finance",
        params={"start": "2026-01-01", "end": "2026-01-31"},
        file_format="xlsx",
    )
    export_job_run(job_id=job.pk)
    return org(ctx) | {"job_pk": job.pk}


CASES = {
    "packs:work": Case(READ_WORK, kwargs=_w, about_work=True),
    "packs:work-pdf": Case(READ_WORK, kwargs=_w, about_work=True),
    "packs:organisation": Case(MEMBERS, kwargs=org, query=PERIOD),
    # An empty POST has no period: the form says what is missing, and nothing is asked for.
    "packs:organisation-pdf": Case(MEMBERS_EMPTY_POST, kwargs=org, method="post"),
    "packs:job": Case(ASKER_ONLY, kwargs=_job),
    "packs:job-pdf": Case(ASKER_ONLY, kwargs=_job),
    # A large finance spreadsheet: the page that asks for it is for staff and admins, as the
    # finance export is.
    "packs:export-file": Case(
        STAFF,
        kwargs=lambda ctx: org(ctx) | {"kind": "finance"},
        query="?start=2026-01-01&end=2026-01-31&file_format=xlsx",
    ),
    "packs:export-job": Case(EXPORT_ASKER_ONLY, kwargs=_export_job),
    "packs:export-job-file": Case(EXPORT_ASKER_ONLY, kwargs=_export_job),
    "api:work_evidence_pack": Case(API_READ_WORK, kwargs=_api_work, about_work=True),
    "api:organisation_evidence_pack": Case(
        API_MEMBERS, kwargs=_api_org, query="?from=2026-01-01&to=2026-01-31"
    ),
}
