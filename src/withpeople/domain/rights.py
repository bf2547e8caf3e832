"""Who may do what: the rule of PRODUCT.md's "Who may do what", in one place.

Rights on a piece of work follow its group, the same for partners and staff (PRODUCT.md
principle 2, "Equal seats"): what matters is whether you are in the work's group, whether you
lead the work, and whether you are an admin of the organisation. Your role in the organisation
(partner or staff) gives you nothing more on a piece of work.

| who                                        | rights on a piece of work                        |
|--------------------------------------------|--------------------------------------------------|
| a member of the work's group               | read, record evidence, check in                  |
| a lead of the work (a partner can lead)    | also plan, manage the group, run check-ins,      |
|                                            | publish                                          |
| an organisation admin                      | everything (check in only if in the group)       |
| another member of the organisation         | read                                             |
| anyone else, for `individual`-level work   | nothing: it is not there for them (404)          |

Checking in is a group member's own anonymous answer, so it needs a seat in the group, whoever
you are: an admin or a lead outside the group has nobody to answer as.

Pages that are not about a piece of work (starting one, review cycles, finance, the members of
the organisation) keep rights that follow the role in the organisation: `organisation_rights`.

No Django here: `withpeople.organisations.access` and `withpeople.works.access` turn this into
decorators and predicates; this module is tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from withpeople.domain.ladder import Level
from withpeople.domain.text import N_, Message, and_list, name_in_sentence, say

#: Organisation roles, as stored on a membership.
ADMIN = "admin"
STAFF = "staff"
PARTNER = "partner"


class Right(StrEnum):
    """What someone may do on a piece of work."""

    READ = "read"
    #: Record and correct activities, decisions and evidence, or withdraw them with a reason.
    RECORD = "record"
    CHECK_IN = "check_in"
    #: Change the piece of work and its aspects, including stepping down with a reason.
    PLAN = "plan"
    MANAGE_GROUP = "manage_group"
    #: Open and close check-in rounds.
    RUN_CHECK_INS = "run_check_ins"
    PUBLISH = "publish"


RIGHT_LABELS: dict[Right, str] = {
    Right.READ: N_("Read everything about this piece of work"),
    Right.RECORD: N_("Record and correct activities, decisions and evidence"),
    Right.CHECK_IN: N_("Check in: say anonymously where you think each aspect is"),
    Right.PLAN: N_("Change the plan and its aspects, and step down with a reason"),
    Right.MANAGE_GROUP: N_("Manage the group"),
    Right.RUN_CHECK_INS: N_("Open and close check-in rounds"),
    Right.PUBLISH: N_("Publish the openness statement"),
}

MEMBER_RIGHTS: frozenset[Right] = frozenset({Right.READ, Right.RECORD, Right.CHECK_IN})
LEAD_RIGHTS: frozenset[Right] = MEMBER_RIGHTS | {
    Right.PLAN,
    Right.MANAGE_GROUP,
    Right.RUN_CHECK_INS,
    Right.PUBLISH,
}
READ_ONLY: frozenset[Right] = frozenset({Right.READ})
NONE: frozenset[Right] = frozenset()


@dataclass(frozen=True)
class WorkAccess:
    """What one person may do on one piece of work, and why, in words they can read."""

    rights: frozenset[Right]
    reason: Message
    #: An admin acting outside their own groups: the page tells them so.
    as_admin: bool = False

    @property
    def visible(self) -> bool:
        """False means the piece of work is not there for them: 404, and absent from lists."""
        return Right.READ in self.rights

    def can(self, right: Right | str) -> bool:
        return Right(right) in self.rights


def work_access(*, org_role: str | None, in_group: bool, lead: bool, level: str) -> WorkAccess:
    """The rights of someone on a piece of work.

    `org_role` is their role in the work's organisation (None if they are not a member of it),
    `in_group` whether they are a current member of the work's group, `lead` whether they are
    one of its leads, and `level` the work's level (strategic, service or individual).
    """
    if org_role is None:
        return WorkAccess(NONE, say("You are not a member of this organisation."))
    check_in = {Right.CHECK_IN} if in_group else set()
    if org_role == ADMIN:
        rights = (LEAD_RIGHTS - {Right.CHECK_IN}) | check_in
        if lead or in_group:
            return WorkAccess(
                frozenset(rights),
                say(
                    "You can do everything here because you are an admin of this organisation, "
                    "and you are also in this piece of work's group."
                ),
            )
        return WorkAccess(
            frozenset(rights),
            say(
                "You can do everything here because you are an admin of this organisation. "
                "You are not in this piece of work's group, so what you change, you change "
                "as an admin."
            ),
            as_admin=True,
        )
    if lead:
        return WorkAccess(
            frozenset((LEAD_RIGHTS - {Right.CHECK_IN}) | check_in),
            say(
                "You can change the plan, the group, check-in rounds and publishing because "
                "you lead this piece of work."
            ),
        )
    if in_group:
        return WorkAccess(
            MEMBER_RIGHTS,
            say(
                "You can record and correct evidence and check in because you are in this "
                "piece of work's group. Its leads change the plan and the group."
            ),
        )
    if level == Level.INDIVIDUAL:
        return WorkAccess(
            NONE,
            say(
                "This is one person's own support: only their group and the organisation's "
                "admins see it."
            ),
        )
    return WorkAccess(
        READ_ONLY,
        say(
            "You can read this piece of work but not change it because you are not in its "
            "group. Ask one of its leads to add you."
        ),
    )


def standing_group_access(*, org_role: str | None, in_group: bool) -> WorkAccess:
    """The rights on a standing group (a co-production board, say), which has no piece of work.

    A standing group belongs to the organisation as a whole, so it is managed by those who
    organise (staff and admins); everyone in the organisation reads it, and its members write
    its working agreement with them, since an equal seat includes writing the agreement.
    """
    if org_role is None:
        return WorkAccess(NONE, say("You are not a member of this organisation."))
    organises = OrganisationRight.ORGANISE in organisation_rights(org_role)
    if organises:
        return WorkAccess(
            frozenset({Right.READ, Right.RECORD, Right.MANAGE_GROUP, Right.PUBLISH}),
            say("You can manage this standing group because you organise for this organisation."),
        )
    if in_group:
        return WorkAccess(
            frozenset({Right.READ, Right.RECORD}),
            say(
                "You can write this group's working agreement because you are in the group. "
                "Staff and admins manage its members."
            ),
        )
    return WorkAccess(
        READ_ONLY,
        say("You can read about this standing group. Staff and admins manage its members."),
    )


def rights_sentence(access: WorkAccess) -> Message:
    """What someone can do here, as a list: "read …, record … and check in …"."""
    return and_list(
        [name_in_sentence(RIGHT_LABELS[right]) for right in Right if right in access.rights]
    )


# --- Pages that are not about one piece of work -------------------------------------------------


class OrganisationRight(StrEnum):
    """What someone may do in the organisation as a whole, by their role in it."""

    #: Open the organisation's pages, record their own time and claims, give their views.
    TAKE_PART = "take_part"
    #: Start and import pieces of work, create standing groups, run review cycles and actions,
    #: record time and payments for others: work that commits the organisation.
    ORGANISE = "organise"
    #: Invite and remove members, change roles, load frameworks, set the recognition policy.
    ADMINISTER = "administer"


_ORGANISATION_RIGHTS: dict[str, frozenset[OrganisationRight]] = {
    PARTNER: frozenset({OrganisationRight.TAKE_PART}),
    STAFF: frozenset({OrganisationRight.TAKE_PART, OrganisationRight.ORGANISE}),
    ADMIN: frozenset(OrganisationRight),
}


def organisation_rights(org_role: str | None) -> frozenset[OrganisationRight]:
    """The rights a role gives in the organisation as a whole; none for a non-member."""
    if org_role is None:
        return frozenset()
    return _ORGANISATION_RIGHTS.get(org_role, frozenset())
