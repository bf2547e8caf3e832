"""Kept counts of a cycle's answers and responses, so results never count every answer again.

Every write that saves or removes answers calls :func:`tallies_apply` in its own transaction,
with the answers it wrote counted by (statement id, perspective, answer). The rows are changed
with an atomic upsert that is correct when several people send feedback at once, on PostgreSQL
and SQLite alike: a missing row is inserted with nothing counted (``ON CONFLICT DO NOTHING``, so
two first answers cannot both insert it), then ``UPDATE ... SET n = n + k`` adds to it under the
row's lock. Rows are always changed in the same order, so two transactions cannot deadlock.

:func:`tallies_rebuild` counts a cycle's answers afresh in one SQL statement (for existing data,
for data loaded in bulk and for ``withpeople mir reconcile --fix``); :func:`tallies_differences`
compares the kept counts with a fresh count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F

from withpeople.feedback.models import Answer, AnswerTally, Response, ResponseTally, ReviewCycle

#: (statement id, perspective or "", answer)
TallyKey = tuple[int, str, str]


@transaction.atomic
def tallies_apply(
    *,
    cycle_id: int,
    answers: Counter[TallyKey] | dict[TallyKey, int],
    responses: Counter[str] | dict[str, int],
    sign: int = 1,
) -> None:
    """Add (sign 1) or take away (sign -1) counted answers and responses from the kept counts."""
    if sign not in (1, -1):
        raise ValueError("sign must be 1 or -1")
    answer_keys = sorted(key for key, n in answers.items() if n)
    response_keys = sorted(key for key, n in responses.items() if n)
    if answer_keys:
        AnswerTally.objects.bulk_create(
            [
                AnswerTally(cycle_id=cycle_id, statement_id=s, perspective=p, answer=a, n=0)
                for s, p, a in answer_keys
            ],
            ignore_conflicts=True,
        )
        for statement_id, perspective, answer in answer_keys:
            k = answers[(statement_id, perspective, answer)] * sign
            AnswerTally.objects.filter(
                cycle_id=cycle_id, statement_id=statement_id, perspective=perspective, answer=answer
            ).update(n=F("n") + k)
    if response_keys:
        ResponseTally.objects.bulk_create(
            [ResponseTally(cycle_id=cycle_id, perspective=p, n=0) for p in response_keys],
            ignore_conflicts=True,
        )
        for perspective in response_keys:
            ResponseTally.objects.filter(cycle_id=cycle_id, perspective=perspective).update(
                n=F("n") + responses[perspective] * sign
            )


def tallies_for_responses(cycle: ReviewCycle, response_ids: Iterable[int], *, sign: int) -> None:
    """Count the given responses of the cycle and their answers, and apply them to the tallies.

    For code that removes responses: call it with sign -1 before deleting them, in the same
    transaction.
    """
    ids = list(response_ids)
    answers: Counter[TallyKey] = Counter()
    responses: Counter[str] = Counter()
    for start in range(0, len(ids), 900):  # SQLite limits the parameters in a query
        batch = ids[start : start + 900]
        for row in (
            Answer.objects.filter(response__cycle=cycle, response_id__in=batch)
            .values("statement_id", "response__perspective", "answer")
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (row["statement_id"], row["response__perspective"], row["answer"])
            answers[key] += row["n"]
        for row in (
            Response.objects.filter(cycle=cycle, pk__in=batch)
            .values("perspective")
            .annotate(n=Count("id"))
            .order_by()
        ):
            responses[row["perspective"]] += row["n"]
    tallies_apply(cycle_id=cycle.pk, answers=answers, responses=responses, sign=sign)


# --- counting afresh -----------------------------------------------------------------------


def counted_answers(cycle_id: int) -> dict[TallyKey, int]:
    """The cycle's answers counted from the answers themselves."""
    rows = (
        Answer.objects.filter(response__cycle_id=cycle_id)
        .values("statement_id", "response__perspective", "answer")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["statement_id"], r["response__perspective"], r["answer"]): r["n"] for r in rows}


def counted_responses(cycle_id: int) -> dict[str, int]:
    rows = (
        Response.objects.filter(cycle_id=cycle_id)
        .values("perspective")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["perspective"]: r["n"] for r in rows}


def kept_answers(cycle_id: int) -> dict[TallyKey, int]:
    rows = AnswerTally.objects.filter(cycle_id=cycle_id, n__gt=0).values_list(
        "statement_id", "perspective", "answer", "n"
    )
    return {(s, p, a): n for s, p, a, n in rows}


def kept_responses(cycle_id: int) -> dict[str, int]:
    rows = ResponseTally.objects.filter(cycle_id=cycle_id, n__gt=0).values_list("perspective", "n")
    return dict(rows)


@dataclass(frozen=True)
class TallyDifference:
    """A kept count that does not match the answers: `kept` and `counted` (0 when missing)."""

    what: str
    key: tuple
    kept: int
    counted: int


def tallies_differences(cycle_id: int) -> list[TallyDifference]:
    """Every kept count of the cycle that differs from a fresh count of its answers."""
    differences: list[TallyDifference] = []
    for what, kept, counted in (
        ("answers", kept_answers(cycle_id), counted_answers(cycle_id)),
        ("responses", kept_responses(cycle_id), counted_responses(cycle_id)),
    ):
        for key in sorted(set(kept) | set(counted), key=repr):
            if kept.get(key, 0) != counted.get(key, 0):
                differences.append(
                    TallyDifference(
                        what=what, key=key, kept=kept.get(key, 0), counted=counted.get(key, 0)
                    )
                )
    return differences


def _rebuild_sql(where_cycles: str) -> tuple[str, str]:
    quote = connection.ops.quote_name
    answer = Answer._meta
    response = Response._meta
    tally = AnswerTally._meta
    response_tally = ResponseTally._meta

    def col(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    answers_sql = (
        f"INSERT INTO {quote(tally.db_table)} "  # noqa: S608 - names from the models
        f"({col(tally, 'cycle')}, {col(tally, 'statement')}, {col(tally, 'perspective')}, "
        f"{col(tally, 'answer')}, {col(tally, 'n')}) "
        f"SELECT r.{col(response, 'cycle')}, a.{col(answer, 'statement')}, "
        f"r.{col(response, 'perspective')}, a.{col(answer, 'answer')}, COUNT(*) "
        f"FROM {quote(answer.db_table)} a JOIN {quote(response.db_table)} r "
        f"ON r.{quote(response.pk.column)} = a.{col(answer, 'response')} "
        f"WHERE r.{col(response, 'cycle')} {where_cycles} "
        f"GROUP BY r.{col(response, 'cycle')}, a.{col(answer, 'statement')}, "
        f"r.{col(response, 'perspective')}, a.{col(answer, 'answer')}"
    )
    responses_sql = (
        f"INSERT INTO {quote(response_tally.db_table)} "  # noqa: S608 - names from the models
        f"({col(response_tally, 'cycle')}, {col(response_tally, 'perspective')}, "
        f"{col(response_tally, 'n')}) "
        f"SELECT r.{col(response, 'cycle')}, r.{col(response, 'perspective')}, COUNT(*) "
        f"FROM {quote(response.db_table)} r WHERE r.{col(response, 'cycle')} {where_cycles} "
        f"GROUP BY r.{col(response, 'cycle')}, r.{col(response, 'perspective')}"
    )
    return answers_sql, responses_sql


@transaction.atomic
def tallies_rebuild(*, cycle_ids: Iterable[int] | None = None) -> None:
    """Count the answers afresh and keep those counts: for the given cycles, or for all.

    Done in SQL (INSERT ... SELECT ... GROUP BY), so ten million answers never become objects.
    The cycles are locked first, so no import into them can run alongside.
    """
    cycles = ReviewCycle.objects.all()
    if cycle_ids is not None:
        ids = sorted(set(cycle_ids))
        if not ids:
            return
        cycles = cycles.filter(pk__in=ids)
    list(cycles.select_for_update().order_by("pk").values_list("pk", flat=True))
    if cycle_ids is None:
        AnswerTally.objects.all().delete()
        ResponseTally.objects.all().delete()
        where, params = "IS NOT NULL", []
    else:
        AnswerTally.objects.filter(cycle_id__in=ids).delete()
        ResponseTally.objects.filter(cycle_id__in=ids).delete()
        where = "IN (" + ", ".join(["%s"] * len(ids)) + ")"
        params = ids
    answers_sql, responses_sql = _rebuild_sql(where)
    with connection.cursor() as cursor:
        cursor.execute(answers_sql, params)
        cursor.execute(responses_sql, params)
