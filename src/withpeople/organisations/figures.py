"""The version of each organisation's data that kept figures are drawn from.

Figures that count every row of an organisation (the values dashboard) are drawn once per
version and kept in each process (withpeople.core.fragments) under the organisation's token.
Every save or deletion of a row they count asks for a new token (the apps that own those rows
connect their models here, see withpeople.values.apps). The new token is written just after
the change commits, once per organisation however many rows the transaction changed: so the
change's own transaction takes no lock on the token (two transactions changing rows of one
organisation never wait on it, or deadlock over it), and a rolled-back change writes none.

A reader must read the token *before* drawing the figures. Then what it keeps under a token is
drawn from that version or a later one, never an earlier one: a reader that sees the new token
read it after the change had committed, so it draws the changed rows. Between the commit and
the new token, a reader may keep figures that already include the change under the old token,
which is harmless: the old token is about to be replaced. If the process stopped in that
moment, the figures kept under the old token would miss the change until the next change, or
until they expire (`core.fragments.TIMEOUT`, an hour).

An organisation without a token (made with bulk_create, as `withpeople scale-data` does) has
its figures drawn afresh on every request, which is slower but never stale.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from withpeople.organisations.models import FiguresVersion, new_figures_version


def figures_version(organisation_id: int) -> str | None:
    """The organisation's current token, or None if it has none (then keep nothing)."""
    return (
        FiguresVersion.objects.filter(organisation_id=organisation_id)
        .values_list("token", flat=True)
        .first()
    )


def figures_changed(organisation_id: int | QuerySet | None) -> None:
    """Ask for a new token for the organisation once the current transaction commits (at once,
    outside one). `organisation_id` is its id, or a query of rows giving `organisation_id`,
    read now, while the rows that lead to it are still there (before a deletion)."""
    if organisation_id is None:
        return
    if isinstance(organisation_id, QuerySet):
        ids = set(organisation_id.values_list("organisation_id", flat=True))
    else:
        ids = {organisation_id}
    if ids:
        _after_commit(ids)


class _Pending:
    """The organisations whose token a transaction has asked to change, written once it
    commits."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def write(self) -> None:
        for organisation_id in sorted(self.ids):
            FiguresVersion.objects.filter(organisation_id=organisation_id).update(
                token=new_figures_version()
            )


def _after_commit(ids: set[int]) -> None:
    connection = transaction.get_connection()
    pending = getattr(connection, "_withpeople_figures_pending", None)
    # Still waiting for this transaction's commit? If it ran, or the transaction (or the
    # savepoint that asked) was rolled back, Django has dropped it: start again.
    queued = pending is not None and any(
        callback == pending.write for _savepoints, callback, _robust in connection.run_on_commit
    )
    if queued:
        pending.ids |= ids
        return
    pending = _Pending()
    pending.ids |= ids
    connection._withpeople_figures_pending = pending
    # robust: the change has committed; failing to write its token must not turn it into an
    # error page (the figures kept under the old token expire within the hour).
    transaction.on_commit(pending.write, robust=True)


def figures_version_create(organisation_id: int) -> None:
    """A first token for a new organisation, in the transaction that makes it."""
    FiguresVersion.objects.create(organisation_id=organisation_id)
