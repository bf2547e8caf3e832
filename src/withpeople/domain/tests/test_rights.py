"""The rule of who may do what, as a table, with no database."""

from __future__ import annotations

import itertools

import pytest

from withpeople.domain.rights import (
    ADMIN,
    PARTNER,
    STAFF,
    OrganisationRight,
    Right,
    organisation_rights,
    rights_sentence,
    standing_group_access,
    work_access,
)

R = Right
MEMBER = {R.READ, R.RECORD, R.CHECK_IN}
LEAD_OUTSIDE = {R.READ, R.RECORD, R.PLAN, R.MANAGE_GROUP, R.RUN_CHECK_INS, R.PUBLISH}
LEAD_INSIDE = LEAD_OUTSIDE | {R.CHECK_IN}

# role in the organisation, in the group?, lead?, level -> rights, shown to admins as an admin?
TABLE = [
    # Members of the group: the same for partners and staff.
    (PARTNER, True, False, "strategic", MEMBER, False),
    (STAFF, True, False, "strategic", MEMBER, False),
    (PARTNER, True, False, "individual", MEMBER, False),
    (STAFF, True, False, "individual", MEMBER, False),
    # Leads: a partner can lead, and leads as a staff lead does.
    (PARTNER, True, True, "service_design", LEAD_INSIDE, False),
    (STAFF, True, True, "service_design", LEAD_INSIDE, False),
    (PARTNER, False, True, "strategic", LEAD_OUTSIDE, False),
    (STAFF, False, True, "individual", LEAD_OUTSIDE, False),
    # Other members of the organisation read, and change nothing; staff no more than partners.
    (PARTNER, False, False, "strategic", {R.READ}, False),
    (STAFF, False, False, "strategic", {R.READ}, False),
    (STAFF, False, False, "service_design", {R.READ}, False),
    # ... and do not see one person's own support at all.
    (PARTNER, False, False, "individual", set(), False),
    (STAFF, False, False, "individual", set(), False),
    # Admins do everything; outside their own groups the page says so.
    (ADMIN, False, False, "strategic", LEAD_OUTSIDE, True),
    (ADMIN, False, False, "individual", LEAD_OUTSIDE, True),
    (ADMIN, True, False, "strategic", LEAD_INSIDE, False),
    (ADMIN, False, True, "strategic", LEAD_OUTSIDE, False),
    # Not a member of the organisation: nothing, whatever else is said.
    (None, False, False, "strategic", set(), False),
    (None, True, True, "strategic", set(), False),
]


@pytest.mark.parametrize(("role", "in_group", "lead", "level", "rights", "as_admin"), TABLE)
def test_rights_table(role, in_group, lead, level, rights, as_admin):
    access = work_access(org_role=role, in_group=in_group, lead=lead, level=level)
    assert access.rights == frozenset(rights)
    assert access.as_admin is as_admin
    assert access.visible is (R.READ in rights)
    assert all(access.can(right) is (right in rights) for right in Right)


def test_every_combination_is_in_the_table_or_follows_from_it():
    """Rights never depend on partner or staff: the two roles always get the same."""
    for in_group, lead, level in itertools.product(
        (True, False), (True, False), ("strategic", "service_design", "individual")
    ):
        partner = work_access(org_role=PARTNER, in_group=in_group, lead=lead, level=level)
        staff = work_access(org_role=STAFF, in_group=in_group, lead=lead, level=level)
        assert partner == staff


def test_nobody_but_a_group_member_checks_in():
    for role, lead, level in itertools.product(
        (ADMIN, STAFF, PARTNER, None), (True, False), ("strategic", "individual")
    ):
        access = work_access(org_role=role, in_group=False, lead=lead, level=level)
        assert not access.can(R.CHECK_IN)


@pytest.mark.parametrize(
    ("role", "in_group", "lead", "level", "words"),
    [
        (PARTNER, True, False, "strategic", "because you are in this piece of work's group"),
        (PARTNER, False, True, "strategic", "because you lead this piece of work"),
        (STAFF, False, False, "strategic", "because you are not in its group"),
        (ADMIN, False, False, "strategic", "you change as an admin"),
        (ADMIN, True, False, "strategic", "you are also in this piece of work's group"),
        (STAFF, False, False, "individual", "only their group and the organisation's admins"),
    ],
)
def test_the_reason_is_plain_english(role, in_group, lead, level, words):
    access = work_access(org_role=role, in_group=in_group, lead=lead, level=level)
    assert words in str(access.reason)


def test_rights_sentence_lists_what_you_can_do_in_order():
    member = work_access(org_role=STAFF, in_group=True, lead=False, level="strategic")
    assert str(rights_sentence(member)) == (
        "read everything about this piece of work, record and correct activities, decisions "
        "and evidence and check in: say anonymously where you think each aspect is"
    )
    reader = work_access(org_role=STAFF, in_group=False, lead=False, level="strategic")
    assert str(rights_sentence(reader)) == "read everything about this piece of work"


@pytest.mark.parametrize(
    ("role", "rights"),
    [
        (PARTNER, {OrganisationRight.TAKE_PART}),
        (STAFF, {OrganisationRight.TAKE_PART, OrganisationRight.ORGANISE}),
        (ADMIN, set(OrganisationRight)),
        (None, set()),
        ("unknown", set()),
    ],
)
def test_organisation_rights_follow_the_role(role, rights):
    assert organisation_rights(role) == frozenset(rights)


@pytest.mark.parametrize(
    ("role", "in_group", "rights"),
    [
        (ADMIN, False, {R.READ, R.RECORD, R.MANAGE_GROUP, R.PUBLISH}),
        (STAFF, False, {R.READ, R.RECORD, R.MANAGE_GROUP, R.PUBLISH}),
        (PARTNER, True, {R.READ, R.RECORD}),
        (PARTNER, False, {R.READ}),
        (None, True, set()),
    ],
)
def test_a_standing_group_is_managed_by_those_who_organise(role, in_group, rights):
    access = standing_group_access(org_role=role, in_group=in_group)
    assert access.rights == frozenset(rights)
    assert not access.as_admin
