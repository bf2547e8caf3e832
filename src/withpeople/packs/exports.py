"""The tables that can be made in the background, when a spreadsheet of them would be large.

Each kind says who may ask for it, reads what it is of from the address (a period, a review
cycle) and makes the table through its own app's export, which audits it. CSV never comes here:
it streams, row by row, whatever the size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from withpeople.core.tables import Table
from withpeople.organisations.access import ADMINS, can_organise
from withpeople.organisations.models import Membership


@dataclass(frozen=True)
class ExportKind:
    title: Any  # a lazy translation: the table's name on the pages
    #: May this member ask for it?
    allowed: Callable[[Membership], bool]
    #: What the table is of, read from the address (404 for anything wrong or not theirs).
    params: Callable[[Membership, Mapping[str, str]], dict[str, Any]]
    #: The table, made through its app's export (which audits it).
    table: Callable[[Any, str], Table]
    #: Where "back" goes: a URL name and its arguments.
    back: Callable[[Any], tuple[str, dict[str, Any]]]


def _date(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise Http404 from None


def _finance_params(membership: Membership, query: Mapping[str, str]) -> dict[str, Any]:
    start, end = _date(query.get("start")), _date(query.get("end"))
    if end < start:
        raise Http404
    return {"start": start.isoformat(), "end": end.isoformat()}


def _finance_table(job, fmt: str) -> Table:
    from withpeople.recognition.exports import finance_export

    return finance_export(
        organisation=job.organisation,
        actor=job.requested_by.user,
        start=dt.date.fromisoformat(job.params["start"]),
        end=dt.date.fromisoformat(job.params["end"]),
        fmt=fmt,
    )


def _cycle(organisation, slug: str):
    from withpeople.feedback.models import ReviewCycle

    cycle = ReviewCycle.objects.filter(organisation=organisation, slug=slug).first()
    if cycle is None:
        raise Http404
    return cycle


def _answers_params(membership: Membership, query: Mapping[str, str]) -> dict[str, Any]:
    return {"cycle": _cycle(membership.organisation, query.get("cycle", "")).slug}


def _answers_table(job, fmt: str) -> Table:
    from withpeople.feedback.exports import answers_table_export

    cycle = _cycle(job.organisation, job.params["cycle"])
    return answers_table_export(cycle=cycle, actor=job.requested_by.user, fmt=fmt)


KINDS: dict[str, ExportKind] = {
    "finance": ExportKind(
        title=_("Finance export"),
        allowed=can_organise,
        params=_finance_params,
        table=_finance_table,
        back=lambda job: ("recognition:export", {}),
    ),
    "answers": ExportKind(
        title=_("Every answer of a review cycle"),
        allowed=lambda membership: membership.role in ADMINS,
        params=_answers_params,
        table=_answers_table,
        back=lambda job: ("feedback:cycle", {"cycle_slug": job.params["cycle"]}),
    ),
}
