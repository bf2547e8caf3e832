"""What each app holds about a person, and how to export and erase it. Apps register in ready().

A person is held in three kinds of record: their account (`accounts.User`), their membership of
an organisation (`organisations.Membership`), and their place in a group, with or without an
account (`groups.GroupMember`). Each app that keeps anything pointing to one of these registers
one `PersonalData` entry saying which of its models it covers and how to export and erase what
they hold. The privacy app's download and erasure only ever go through this registry: they never
read or write another app's tables, so a new table that holds a person is found by the test that
walks every model (`withpeople.privacy.tests.test_registry`) rather than silently missed.

Every function gets the records of one person in one organisation and must stay within that
organisation. Entries run in `order`, lowest first, for export and erasure alike: the app that
holds the person record itself (groups for a group member, organisations for a membership)
registers last, so the others still find the person when their turn comes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: (membership, about_someone_else) -> {key: JSON-ready value}, merged into the download.
#: With `about_someone_else` (an admin answering a request), leave out what only the person
#: may read, and say only whether it is held.
MembershipExporter = Callable[[Any, bool], dict[str, Any]]
#: (group member without an account) -> {key: JSON-ready value}.
GroupMemberExporter = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class PersonalData:
    name: str
    #: Labels ("app_label.ModelName") of the models this entry exports or erases.
    models: tuple[str, ...]
    order: int
    export_membership: MembershipExporter | None = None
    export_group_member: GroupMemberExporter | None = None
    #: (membership) -> {what: how many}, before the membership goes.
    erase_membership: Callable[[Any], dict[str, int]] | None = None
    #: (group member) -> None: their personal details go; the facts about what they did stay.
    erase_group_member: Callable[[Any], None] | None = None
    #: (organisation, user) -> None: nothing of this organisation may point to the account.
    unlink_account: Callable[[Any, Any], None] | None = None
    #: (user) -> None, once the membership has gone: the account itself, if nothing needs it.
    erase_account: Callable[[Any], None] | None = None


_ENTRIES: dict[str, PersonalData] = {}


def register(*new_entries: PersonalData) -> None:
    """Add an app's entries; registering the same name again replaces it."""
    for entry in new_entries:
        _ENTRIES[entry.name] = entry


def entries() -> list[PersonalData]:
    return sorted(_ENTRIES.values(), key=lambda entry: (entry.order, entry.name))


def covered_models() -> set[str]:
    """Labels of every model some entry exports or erases."""
    return {label for entry in _ENTRIES.values() for label in entry.models}


def export_membership(membership, *, about_someone_else: bool) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for entry in entries():
        if entry.export_membership is not None:
            data.update(entry.export_membership(membership, about_someone_else))
    return data


def export_group_member(member) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for entry in entries():
        if entry.export_group_member is not None:
            data.update(entry.export_group_member(member))
    return data


def erase_membership(membership) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries():
        if entry.erase_membership is not None:
            counts.update(entry.erase_membership(membership))
    return counts


def erase_group_member(member) -> None:
    for entry in entries():
        if entry.erase_group_member is not None:
            entry.erase_group_member(member)


def unlink_account(organisation, user) -> None:
    for entry in entries():
        if entry.unlink_account is not None:
            entry.unlink_account(organisation, user)


def erase_account(user) -> None:
    for entry in entries():
        if entry.erase_account is not None:
            entry.erase_account(user)
