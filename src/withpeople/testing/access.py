"""The access-control table: who may open each URL, shared by every app.

Each app lists its URLs in `<app>/tests/access_cases.py` as `CASES = {url_name: Case(...)}`.
`tests/test_access.py` walks every URL pattern in the project and fails for any URL without a
case, so a new page cannot be added without saying who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Seven kinds of person try every URL. On a piece of work (and its group) rights follow the
#: group, not the role (docs/decisions/0005-access-rule.md), so the walk has, in the
#: organisation: a partner in the work's group (`member`), a member of staff who leads it
#: (`lead`, also in the group), a member of staff outside the group (`nonmember`), a partner who
#: leads it (`partner_lead`, also in the group) and an admin outside the group (`admin`); then
#: an admin of another organisation (`outsider`) and someone not signed in (`anonymous`).
ACTORS = ("anonymous", "outsider", "member", "lead", "nonmember", "partner_lead", "admin")
#: Each actor's role in the organisation. Pages that are not about a piece of work give rights
#: by role, so a case may say what each role gets ("partner", "staff", "admin") and it holds for
#: every actor with that role, unless the case names the actor too.
ROLE_OF = {
    "member": "partner",
    "lead": "staff",
    "nonmember": "staff",
    "partner_lead": "partner",
    "admin": "admin",
}
ROLES = ("partner", "staff", "admin")
SIGN_IN = "sign-in"  # a redirect to the sign-in page
API_UNAUTHORISED = 401


def expand(expect: dict[str, int | str]) -> dict[str, int | str]:
    """What every actor gets: an actor's own entry, else their role's."""
    result = {}
    for actor in ACTORS:
        if actor in expect:
            result[actor] = expect[actor]
        elif ROLE_OF.get(actor) in expect:
            result[actor] = expect[ROLE_OF[actor]]
    unknown = set(expect) - set(ACTORS) - set(ROLES)
    if unknown:
        raise ValueError(f"not an actor or a role: {sorted(unknown)}")
    return result


@dataclass
class Context:
    """What a case may use to build its URL: an organisation, its members and an outsider.

    `members` has every actor of the organisation by name, and by role the ones the cases
    used before rights followed the group: "partner" is `member`, "staff" is `lead`. A case
    that builds a piece of work puts `member`, `lead` and `partner_lead` in its group and makes
    `lead` and `partner_lead` its leads (`join_work_group`). `extra["level"]`, when set, is the
    level a case gives the piece of work it builds.
    """

    organisation: Any
    members: dict[str, Any]
    outsider: Any
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """What each actor gets from one URL.

    `method` is "get", or "post" for an endpoint that only takes a POST ("patch" or "delete"
    for an API endpoint that changes or withdraws something). The walk then sends
    an empty form, or `data(ctx)` if given: for an API endpoint, the emptiest body that gets
    past parsing (no answers, an empty file), so the answer shows who may use it. Whoever
    sends it, nothing may be saved. `content_type` is for a JSON body.
    """

    expect: dict[str, int | str]
    kwargs: Callable[[Context], dict[str, Any]] = lambda ctx: {}
    query: str = ""
    method: str = "get"
    data: Callable[[Context], Any] = lambda ctx: {}
    content_type: str | None = None
    #: The URL is about one piece of work, built at `ctx.extra["level"]`: the walk tries it
    #: again at the `individual` level, where only the group and admins may see it.
    about_work: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "expect", expand(self.expect))

    def at_individual_level(self) -> dict[str, int | str]:
        """What every actor gets when the piece of work is one person's own support: the
        same, except that members of the organisation outside the group find nothing."""
        return self.expect | {"nonmember": 404}


def make_context(organisation: Any, members: dict[str, Any], outsider: Any) -> Context:
    """The walk's context: `members` (one per role) as the actors, and two more people in the
    organisation, a member of staff and a partner, for `nonmember` and `partner_lead`."""
    from withpeople.domain.ladder import Perspective
    from withpeople.organisations.models import Role
    from withpeople.testing.factories import MembershipFactory

    actors = {
        "member": members["partner"],
        "lead": members["staff"],
        "nonmember": MembershipFactory(
            organisation=organisation, role=Role.STAFF, perspective=Perspective.MANAGER
        ),
        "partner_lead": MembershipFactory(
            organisation=organisation, role=Role.PARTNER, perspective=Perspective.CARER
        ),
        "admin": members["admin"],
    }
    return Context(organisation=organisation, members=members | actors, outsider=outsider)


def join_work_group(ctx: Context, work: Any) -> Any:
    """Seat the walk's actors on a piece of work, as `Context` describes. Its assessment is
    stored once, when all three are seated."""
    from withpeople.works.assessments import assessments_deferred
    from withpeople.works.services import work_member_add

    with assessments_deferred():
        for name, perspective, actor in (
            ("Member", "lived_experience", "member"),
            ("Lead", "frontline_staff", "lead"),
            ("Partner lead", "carer", "partner_lead"),
        ):
            work_member_add(
                work=work, name=name, perspective=perspective, membership=ctx.members[actor]
            )
        work.leads.add(ctx.members["lead"], ctx.members["partner_lead"])
    return work


def walk_work(ctx: Context, *, key: str, title: str) -> Any:
    """The piece of work a case builds, made once per test under `ctx.extra[key]`: at
    `ctx.extra["level"]` (strategic unless set), with the walk's actors seated
    (`join_work_group`), its assessment stored once when all are seated."""
    from withpeople.works.assessments import assessments_deferred
    from withpeople.works.services import work_create

    if key not in ctx.extra:
        with assessments_deferred():
            ctx.extra[key] = join_work_group(
                ctx,
                work_create(
                    organisation=ctx.organisation,
                    title=title,
                    level=ctx.extra.get("level", "strategic"),
                ),
            )
    return ctx.extra[key]


def org(ctx: Context) -> dict[str, Any]:
    return {"org_slug": ctx.organisation.slug}


PUBLIC = dict.fromkeys(ACTORS, 200)
#: Pages of one piece of work, by what they need: to read it, to be in its group (record
#: evidence), or to lead it (plan, manage the group, run check-ins, publish).
READ_WORK = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "member": 200,
    "lead": 200,
    "nonmember": 200,
    "partner_lead": 200,
    "admin": 200,
}
IN_GROUP = READ_WORK | {"nonmember": 403}
LEADS = IN_GROUP | {"member": 403}
API_READ_WORK = READ_WORK | {"anonymous": 401}
SIGNED_IN = {"anonymous": SIGN_IN, "outsider": 200, "partner": 200, "staff": 200, "admin": 200}
MEMBERS = {"anonymous": SIGN_IN, "outsider": 404, "partner": 200, "staff": 200, "admin": 200}
STAFF = {"anonymous": SIGN_IN, "outsider": 404, "partner": 403, "staff": 200, "admin": 200}
ADMINS = {"anonymous": SIGN_IN, "outsider": 404, "partner": 403, "staff": 403, "admin": 200}
API_SIGNED_IN = {"anonymous": 401, "outsider": 200, "partner": 200, "staff": 200, "admin": 200}
API_MEMBERS = {"anonymous": 401, "outsider": 404, "partner": 200, "staff": 200, "admin": 200}
#: A change to a piece of work's evidence through the API, with an empty reason: the group, its
#: leads and admins are told what is missing (422); others in the organisation may not (403).
API_IN_GROUP_WRITE = (
    IN_GROUP
    | {"anonymous": 401, "member": 422, "lead": 422}
    | {
        "partner_lead": 422,
        "admin": 422,
    }
)
#: An empty POST: those allowed are told what is missing (422); nobody else learns anything.
API_STAFF_POST = {"anonymous": 401, "outsider": 404, "partner": 403, "staff": 422, "admin": 422}
