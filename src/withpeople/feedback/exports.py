"""Every answer of a review cycle, one row per answer, to download.

This is the raw data behind the results, for the organisation's own analysis. Raw answers are
not suppressed: anyone holding them can count a group smaller than the threshold, which no page
shows (PRODUCT.md, "Anonymity is protected"). So only admins may download them, every download is
audited, and the file leaves out what would most easily pick someone out: the perspective a
person gave (the breakdown the results hide for small groups), their stories (their own words,
which can name someone) and the reference of an imported file. A response is numbered within
the cycle, not by its database id. The CSV streams the rows from
the database a chunk at a time (`withpeople.core.tables`), so a cycle of a million answers is
downloaded in flat memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from withpeople.accounts.models import User
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.core.tables import Cell, Table
from withpeople.feedback.models import Answer, ReviewCycle

ANSWERS_HEADERS = (
    "response",
    "submitted_on",
    "channel",
    "theme",
    "statement",
    "answer",
)
#: Rows fetched from the database at a time while streaming.
CHUNK_SIZE = 2000


def answer_count(cycle: ReviewCycle) -> int:
    """How many rows the answers table of the cycle has: one per answer, summed from the counts
    kept as answers arrive (a few hundred rows), not counted through every answer."""
    return cycle.answer_tallies.aggregate(total=Sum("n"))["total"] or 0


def answer_rows(cycle: ReviewCycle) -> Iterator[tuple[Cell, ...]]:
    """The cycle's answers, response by response, read lazily with a database cursor."""
    answers = (
        Answer.objects.filter(response__cycle=cycle)
        .order_by("response_id", "statement__position", "id")
        .values_list(
            "response_id",
            "response__submitted_on",
            "response__channel",
            "statement__theme__key",
            "statement__key",
            "answer",
        )
    )
    number = 0
    last_response = None
    for response_id, *rest in answers.iterator(chunk_size=CHUNK_SIZE):
        if response_id != last_response:
            number += 1
            last_response = response_id
        yield (number, *rest)


@transaction.atomic
def answers_table_export(*, cycle: ReviewCycle, actor: User | None, fmt: str) -> Table:
    """Every answer of the cycle as a table; the download is audited when it is asked for."""
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action=AuditEventKind.EXPORTED_ANSWERS,
        subject=cycle,
        detail=fmt,
    )
    return Table(
        title=_("Answers"),
        headers=ANSWERS_HEADERS,
        rows=answer_rows(cycle),
        filename=f"{cycle.slug}-answers",  # slugs are safe in a header
    )
