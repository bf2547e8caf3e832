"""Who may open each evidence pack: whoever may read what it shows.

A piece of work's pack needs the right to read the piece of work (so `individual`-level work
only for its group and admins); the organisation's pack needs membership, and holds only the
pieces of work the reader may see. Another organisation gets 404.
"""

from withpeople.testing.access import API_MEMBERS, API_READ_WORK, MEMBERS, READ_WORK, Case, org
from withpeople.works.tests.access_cases import _api_org, _api_work, _w

PERIOD = "?from-day=1&from-month=1&from-year=2026&to-day=31&to-month=1&to-year=2026"

CASES = {
    "packs:work": Case(READ_WORK, kwargs=_w, about_work=True),
    "packs:work-pdf": Case(READ_WORK, kwargs=_w, about_work=True),
    "packs:organisation": Case(MEMBERS, kwargs=org, query=PERIOD),
    # Without a period the PDF address shows the form that asks for one.
    "packs:organisation-pdf": Case(MEMBERS, kwargs=org),
    "api:work_evidence_pack": Case(API_READ_WORK, kwargs=_api_work, about_work=True),
    "api:organisation_evidence_pack": Case(
        API_MEMBERS, kwargs=_api_org, query="?from=2026-01-01&to=2026-01-31"
    ),
}
