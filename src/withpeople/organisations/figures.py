"""The version of each organisation's data that kept figures are drawn from.

Figures that count every row of an organisation (the values dashboard) are drawn once per
version and kept in each process (withpeople.core.fragments) under the organisation's token.
Every save or deletion of a row they count writes a new token in the same transaction (the
apps that own those rows connect their models here, see withpeople.values.apps), so the
commit that changes a figure also changes the key it is kept under: no process can serve the
figure the change made stale, and nothing needs clearing.

A reader must read the token *before* drawing the figures: then what it keeps under a token is
drawn from that version or a later one, never an earlier one. A write made outside
`transaction.atomic` is committed a moment before its token; services write in transactions.

An organisation without a token (made with bulk_create, as `withpeople scale-data` does) has
its figures drawn afresh on every request, which is slower but never stale.
"""

from __future__ import annotations

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
    """A new token for the organisation: `organisation_id` is its id, or a query giving it
    (one UPDATE, with the query as a subquery). Call inside the transaction of the change."""
    if organisation_id is None:
        return
    if isinstance(organisation_id, QuerySet):
        rows = FiguresVersion.objects.filter(organisation_id__in=organisation_id)
    else:
        rows = FiguresVersion.objects.filter(organisation_id=organisation_id)
    rows.update(token=new_figures_version())


def figures_version_create(organisation_id: int) -> None:
    """A first token for a new organisation, in the transaction that makes it."""
    FiguresVersion.objects.create(organisation_id=organisation_id)
