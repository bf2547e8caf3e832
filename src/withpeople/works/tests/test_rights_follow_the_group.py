"""Rights on a piece of work follow its group (PRODUCT.md, "Who may do what").

Every write URL of a piece of work and of its group is sent a valid form: by a member of the
organisation outside the group (staff, so the role is shown to give nothing), who is refused
and leaves every table as it was; by a partner in the group where only leads may act, likewise;
then by someone the rule allows (a partner in the group, or a partner who leads the work), for
whom the same form is saved, which shows that the refusal was the rule and not bad input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from withpeople.accounts.services import api_token_create
from withpeople.domain.ladder import Perspective
from withpeople.groups import services as group_services
from withpeople.organisations.models import Role
from withpeople.testing.factories import MembershipFactory
from withpeople.testing.people import (
    client_in_session,
    make_members,
    make_organisation,
    shared_rows,
    signed_in_session,
)
from withpeople.testing.snapshot import every_row
from withpeople.works import services
from withpeople.works.assessments import assessments_deferred
from withpeople.works.models import Work

pytestmark = pytest.mark.django_db


@dataclass
class Seats:
    """A piece of work and the people around it."""

    work: Work
    member: Any  # a partner in the group
    lead: Any  # a member of staff who leads it
    partner_lead: Any  # a partner who leads it
    nonmember: Any  # a member of staff outside the group
    admin: Any  # an admin outside the group
    jo: Any  # in the group, without an account
    extra: dict[str, Any] = field(default_factory=dict)


def seat_people(organisation, members, level="strategic") -> Seats:
    # The assessment of the piece of work is stored once, with everyone seated.
    with assessments_deferred():
        work = services.work_create(organisation=organisation, title="Day services", level=level)
        partner_lead = MembershipFactory(
            organisation=organisation, role=Role.PARTNER, perspective=Perspective.CARER
        )
        nonmember = MembershipFactory(
            organisation=organisation, role=Role.STAFF, perspective=Perspective.COMMISSIONER
        )
        for membership, perspective in (
            (members["partner"], "lived_experience"),
            (members["staff"], "frontline_staff"),
            (partner_lead, "carer"),
        ):
            services.work_member_add(
                work=work, name=membership.user.name, perspective=perspective, membership=membership
            )
        work.leads.add(members["staff"], partner_lead)
        jo = group_services.group_member_add(
            group=work.group,
            name="Jo Featherstonehaugh",
            perspective="lived_experience",
            role="member",
            joined_on=dt.date(2025, 1, 1),
        )
    return Seats(
        work=work,
        member=members["partner"],
        lead=members["staff"],
        partner_lead=partner_lead,
        nonmember=nonmember,
        admin=members["admin"],
        jo=jo,
    )


@pytest.fixture
def seats(organisation, members) -> Seats:
    return seat_people(organisation, members)


def _client(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _snapshot() -> dict[str, str]:
    """Every row of every table, to show that a request saved nothing."""
    return every_row()


def _w(s: Seats) -> dict:
    return {"org_slug": s.work.organisation.slug, "pk": s.work.pk}


def _g(s: Seats) -> dict:
    return {"org_slug": s.work.organisation.slug, "pk": s.work.group_id}


def _first_aspect(s: Seats):
    return s.work.aspects.order_by("position").first()


def _activity(s: Seats) -> dict:
    activity = services.activity_save(
        work=s.work, aspect=_first_aspect(s), date=dt.date(2026, 1, 5), kind="meeting", title="M"
    )
    return _w(s) | {"activity_pk": activity.pk}


def _decision(s: Seats) -> dict:
    decision = services.decision_save(
        work=s.work,
        aspect=_first_aspect(s),
        date=dt.date(2026, 1, 5),
        summary="A",
        decided_by="jointly",
    )
    return _w(s) | {"decision_pk": decision.pk}


def _aspect(s: Seats) -> dict:
    return _w(s) | {"aspect_pk": _first_aspect(s).pk}


def _published(s: Seats) -> dict:
    services.work_publish(work=s.work)
    return _w(s)


def _open_round(s: Seats) -> dict:
    checkin_round = services.checkin_round_open(work=s.work, name="Spring")
    return _w(s) | {"round_pk": checkin_round.pk}


def _round_for_checkin(s: Seats) -> dict:
    services.checkin_round_open(work=s.work, name="Spring")
    return _w(s)


def _jo(s: Seats) -> dict:
    return _g(s) | {"member_pk": s.jo.pk}


AGREEMENT = {
    "meaning": "We are equals.",
    "aims": "A better service.",
    "ways_of_working": "We meet monthly.",
    "decisions_shared": "Priorities.",
    "decisions_not_shared": "Contract awards, by law.",
    "resources_shared": "The budget.",
    "who_does_what": "Everyone.",
    "support": "Payment for time.",
}


def _agreement(s: Seats) -> dict:
    group_services.agreement_version_create(
        group=s.work.group, author=None, review_on=dt.date(2027, 1, 1), **AGREEMENT
    )
    return _g(s)


def _agreement_for_jo(s: Seats) -> dict:
    return _agreement(s) | {"number": 1, "member_pk": s.jo.pk}


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().strftime("%d/%m/%Y")


def _activity_form(s: Seats) -> dict:
    return {
        "title": "Workshop",
        "date": "12/2/2026",
        "aspect": _first_aspect(s).pk,
        "kind": "workshop",
        "change_reason": "The title was wrong",
    }


def _decision_form(s: Seats) -> dict:
    return {
        "summary": "Option B",
        "date": "10/3/2026",
        "aspect": _first_aspect(s).pk,
        "decided_by": "jointly",
        "change_reason": "The date was wrong",
    }


def _checkin_form(s: Seats) -> dict:
    return {f"aspect_{aspect.pk}": "co-design" for aspect in s.work.aspects.all()}


def _meeting_at(s: Seats, days: int) -> dict:
    from django.utils import timezone

    from withpeople.meetings.services import meeting_plan

    starts = timezone.now() + dt.timedelta(days=days)
    meeting = meeting_plan(
        group=s.work.group,
        invitees=list(s.work.group.members.all()),
        now=starts - dt.timedelta(days=7),
        title="Planning together",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Town Hall",
    )
    return {"org_slug": s.work.organisation.slug, "meeting_pk": meeting.pk}


def _meeting_form(s: Seats) -> dict:
    from django.utils import timezone

    return {
        "title": "Planning together",
        "date": (timezone.localdate() + dt.timedelta(days=10)).strftime("%d/%m/%Y"),
        "start_time": "2pm",
        "end_time": "4pm",
        "place": "Town Hall",
        "invitees": [s.jo.pk],
    }


@dataclass(frozen=True)
class Write:
    url_name: str
    kwargs: Callable[[Seats], dict]
    data: Callable[[Seats], dict]
    #: "lead" for what only leads (and admins) do; "group" for what every group member does.
    needs: str
    #: What someone refused gets: 403, or the page that explains why not (check-in).
    refused_status: int = 403


WRITES = [
    # The piece of work and its plan: leads.
    Write(
        "works:edit",
        _w,
        lambda s: {
            "title": "Day services, renamed",
            "level": "strategic",
            "status": "planning",
            "leads": [s.lead.pk, s.partner_lead.pk],
        },
        "lead",
    ),
    Write("works:publish", _w, lambda s: {}, "lead"),
    Write("works:unpublish", _published, lambda s: {}, "lead"),
    Write("works:aspect-add", _w, lambda s: {"name": "Evaluating"}, "lead"),
    Write(
        "works:aspect-edit",
        _aspect,
        lambda s: {
            "name": "Understanding",
            "intended_rung": "consultation",
            "reason_category": "legal_duty",
            "reason_explanation": "The law requires a formal consultation first.",
            "change_reason": "The law changed",
        },
        "lead",
    ),
    Write("works:aspect-remove", _aspect, lambda s: {}, "lead"),
    Write("works:aspect-move", _aspect, lambda s: {"direction": "down"}, "lead"),
    # Check-in rounds: leads.
    Write("works:round-open", _w, lambda s: {"name": "Spring"}, "lead"),
    Write("works:round-close", _open_round, lambda s: {}, "lead"),
    # Telling the group a decision's outcome records when partners were told: leads.
    Write("works:decision-tell", _decision, lambda s: {}, "lead"),
    # The group: leads manage it, through the work's pages and the group's.
    Write(
        "works:person-add",
        _w,
        lambda s: {"name": "Sam", "perspective": "carer", "role": "member"},
        "lead",
    ),
    Write("groups:change", _g, lambda s: {"name": "Day services group", "purpose": ""}, "lead"),
    Write(
        "groups:member-add",
        _g,
        lambda s: {
            "name": "Sam",
            "perspective": "carer",
            "role": "member",
            "joined_on": "1/1/2026",
        },
        "lead",
    ),
    Write(
        "groups:member-change",
        _jo,
        lambda s: {
            "name": "Jo B",
            "perspective": "carer",
            "role": "member",
            "joined_on": "1/1/2025",
        },
        "lead",
    ),
    Write("groups:member-end", _jo, lambda s: {"left_on": "1/2/2026"}, "lead"),
    Write("groups:member-access-needs", _jo, lambda s: {"needs": ["audio"]}, "lead"),
    Write("groups:agreement-publish", _agreement, lambda s: {}, "lead"),
    Write(
        "groups:agreement-agree-for",
        _agreement_for_jo,
        lambda s: {"agreed_on": _today(), "confirmed": "on"},
        "lead",
    ),
    # Evidence and the working agreement: everyone in the group.
    Write("works:activity-add", _w, _activity_form, "group"),
    Write("works:activity-edit", _activity, _activity_form, "group"),
    Write(
        "works:activity-withdraw",
        _activity,
        lambda s: {"reason": "Recorded twice by mistake"},
        "group",
    ),
    Write("works:decision-add", _w, _decision_form, "group"),
    Write("works:decision-edit", _decision, _decision_form, "group"),
    Write(
        "works:decision-withdraw",
        _decision,
        lambda s: {"reason": "Recorded twice by mistake"},
        "group",
    ),
    Write(
        "groups:agreement-edit",
        _g,
        lambda s: AGREEMENT | {"review_on": "1/1/2027"},
        "group",
    ),
    Write("works:checkin", _round_for_checkin, _checkin_form, "group", refused_status=200),
    # Meetings: everyone in the group plans one; its organisers (here, as nobody in particular
    # planned it, the leads and admins) change, cancel and record who attended.
    Write("meetings:create", _g, _meeting_form, "group"),
    Write("meetings:change", lambda s: _meeting_at(s, 5), _meeting_form, "lead"),
    Write("meetings:cancel", lambda s: _meeting_at(s, 5), lambda s: {"reason": "Flooded"}, "lead"),
    Write(
        "meetings:attendance",
        lambda s: _meeting_at(s, -1),
        lambda s: {"attended": [s.jo.pk]},
        "lead",
    ),
]


def _views_by_right() -> dict[str, str]:
    """Every URL of a piece of work or a group, with the right its view asks for."""
    from django.urls import URLResolver, get_resolver

    found = {}
    for entry in get_resolver().url_patterns:
        if not isinstance(entry, URLResolver):
            continue
        for pattern in entry.url_patterns:
            namespace = entry.namespace or pattern.callback.__module__.split(".")[1]
            right = getattr(pattern.callback, "work_right", None)
            if right is not None:
                found[f"{namespace}:{pattern.name}"] = right
    return found


def test_every_write_url_of_a_piece_of_work_and_its_group_is_tried():
    """A view that asks for more than reading is a write URL, and must be in WRITES."""
    from withpeople.domain.rights import Right

    rights = _views_by_right()
    assert rights["works:edit"] == Right.PLAN and rights["groups:member-add"] == Right.MANAGE_GROUP
    writes = {name for name, right in rights.items() if right != Right.READ}
    tried = {write.url_name for write in WRITES}
    assert writes - tried == set()
    # Pages any reader opens that also take a POST: the check-in (tried above) and agreeing to
    # the working agreement, which is the person's own consent (tested in the groups app).
    assert {name for name in tried if rights.get(name) == Right.READ} == {"works:checkin"}


def _seated_and_signed_in() -> tuple[Seats, dict[int, str]]:
    """The seats, and a signed-in session for each member of the organisation among them."""
    organisation = make_organisation()
    seats = seat_people(organisation, make_members(organisation))
    sessions = {
        membership.pk: signed_in_session(membership.user)
        for membership in (seats.member, seats.lead, seats.partner_lead, seats.nonmember)
    }
    return seats, sessions


@pytest.fixture(scope="class")
def _shared(django_db_setup, django_db_blocker):
    """Made once for the class that asks for it, and gone before the tests after it."""
    with shared_rows(django_db_blocker, _seated_and_signed_in) as shared:
        yield shared


class TestEveryWrite:
    """Each write, by people it refuses and then by one it allows, on one seating of the group
    made for all of them (each test's changes are rolled back; see `shared_rows`)."""

    @pytest.mark.parametrize("write", WRITES, ids=lambda write: write.url_name)
    def test_outside_the_group_nothing_changes_and_the_rule_lets_the_right_people(
        self, db, _shared, write
    ):
        seats, sessions = _shared()
        kwargs = write.kwargs(seats)
        url = reverse(write.url_name, kwargs=kwargs)
        data = write.data(seats)
        refused = [seats.nonmember] + ([seats.member] if write.needs == "lead" else [])
        allowed = seats.partner_lead if write.needs == "lead" else seats.member
        clients = {m.pk: client_in_session(sessions[m.pk]) for m in [*refused, allowed]}
        before = _snapshot()
        for membership in refused:
            response = clients[membership.pk].post(url, data)
            assert response.status_code == write.refused_status, membership.user.name
            changed = [label for label, rows in _snapshot().items() if rows != before[label]]
            assert not changed, f"{write.url_name}: refused, but {changed} changed"
        response = clients[allowed.pk].post(url, data)
        body = response.content.decode()
        assert response.status_code == 302, body[body.find("<main") :][:3000]
        assert _snapshot() != before, f"{write.url_name}: allowed, but nothing was saved"


def _api(membership) -> dict:
    _token, raw = api_token_create(user=membership.user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_by_the_api_nobody_outside_the_group_changes_a_piece_of_work(seats, client):
    """The API has no way to change a piece of work: every such method is refused, and nothing
    is written, for a member of the organisation outside the group and a lead alike."""
    slug = seats.work.organisation.slug
    urls = [
        f"/api/v1/organisations/{slug}/works/{seats.work.pk}",
        f"/api/v1/organisations/{slug}/works/{seats.work.pk}/assessment",
    ]
    headers = {m.pk: _api(m) for m in (seats.nonmember, seats.lead)}
    before = _snapshot()
    for membership in (seats.nonmember, seats.lead):
        for url in urls:
            for send in (client.post, client.put, client.patch, client.delete):
                response = send(
                    url,
                    {"title": "Changed"},
                    content_type="application/json",
                    **headers[membership.pk],
                )
                assert response.status_code == 405, (url, send)
    after = _snapshot()
    # A token remembers when it was last used; that is not a change to the work.
    changed = [label for label in before if before[label] != after[label]]
    assert changed in ([], ["accounts.apitoken"])
    # Reading is open to everyone in the organisation.
    for membership in (seats.nonmember, seats.lead):
        for url in urls:
            assert client.get(url, **headers[membership.pk]).status_code == 200


def test_one_persons_own_support_is_absent_for_everyone_outside_its_group(
    organisation, members, client
):
    seats = seat_people(organisation, members, level="individual")
    other = services.work_create(
        organisation=organisation, title="Carers' strategy", level="strategic"
    )
    slug = organisation.slug
    list_url = reverse("works:list", kwargs={"org_slug": slug})
    detail = reverse("works:detail", kwargs=_w(seats))
    api = f"/api/v1/organisations/{slug}/works/{seats.work.pk}"
    # Outside the group: not in the list, not counted on the overview, 404 on the page, the
    # group's page and the API, and absent from the API's list of groups.
    outside = _client(seats.nonmember)
    body = outside.get(list_url).content.decode()
    assert "Carers&#x27; strategy" in body and "Day services" not in body
    overview = outside.get(reverse("organisations:dashboard", kwargs={"org_slug": slug}))
    assert "Day services" not in overview.content.decode()
    assert outside.get(detail).status_code == 404
    assert outside.get(reverse("groups:detail", kwargs=_g(seats))).status_code == 404
    assert (
        "Day services"
        not in outside.get(reverse("groups:list", kwargs={"org_slug": slug})).content.decode()
    )
    relationships = outside.get(reverse("values:relationships", kwargs={"org_slug": slug}))
    assert "Featherstonehaugh" not in relationships.content.decode()
    assert client.get(api, **_api(seats.nonmember)).status_code == 404
    groups = client.get(f"/api/v1/organisations/{slug}/groups", **_api(seats.nonmember)).json()
    assert [g["name"] for g in groups] == [other.group.name]
    # In the group, and admins: there.
    for membership in (seats.member, seats.partner_lead, seats.admin):
        assert "Day services" in _client(membership).get(list_url).content.decode()
        relationships = _client(membership).get(
            reverse("values:relationships", kwargs={"org_slug": slug})
        )
        assert "Featherstonehaugh" in relationships.content.decode()
        assert _client(membership).get(detail).status_code == 200
        assert client.get(api, **_api(membership)).status_code == 200


def test_the_list_and_the_rule_agree_on_who_sees_what(organisation, members):
    """`visible_works` (a query) says what `work_access(...).visible` (the rule) says."""
    from withpeople.works.access import visible_works, work_access_for

    seats = seat_people(organisation, members, level="individual")
    services.work_create(organisation=organisation, title="Strategy", level="strategic")
    former = MembershipFactory(organisation=organisation, role=Role.PARTNER)
    place = services.work_member_add(
        work=seats.work, name="Former", perspective="carer", membership=former
    )
    group_services.group_member_end(member=place, left_on=dt.date.today())
    people = [seats.member, seats.lead, seats.partner_lead, seats.nonmember, seats.admin, former]
    for membership in people:
        listed = set(visible_works(membership))
        by_rule = {
            work
            for work in Work.objects.for_organisation(organisation)
            if work_access_for(membership, work).visible
        }
        assert listed == by_rule, membership.user.name
    assert seats.work not in set(visible_works(former))  # they left the group


def test_the_work_page_says_what_you_can_do_and_why(seats):
    url = reverse("works:detail", kwargs=_w(seats))
    member = _client(seats.member).get(url).content.decode()
    assert "What you can do here" in member
    assert "because you are in this piece of work&#x27;s group" in member
    assert "Change the piece of work" not in member
    partner_lead = _client(seats.partner_lead).get(url).content.decode()
    assert "because you lead this piece of work" in partner_lead
    assert "Change the piece of work" in partner_lead
    assert "Publish the openness statement" in partner_lead
    outside = _client(seats.nonmember).get(url).content.decode()
    assert "You can read everything about this piece of work." in outside
    assert "because you are not in its group" in outside
    assert "Record an activity" not in outside
    # No admin banner for people acting in their own group.
    for body in (member, partner_lead, outside):
        assert "You are acting as an admin" not in body


def test_an_admin_outside_the_group_is_told_on_every_page_of_the_work(seats):
    admin = _client(seats.admin)
    for name in (
        "works:detail",
        "works:aspects",
        "works:evidence",
        "works:people",
        "works:aspect-add",
    ):
        body = admin.get(reverse(name, kwargs=_w(seats))).content.decode()
        assert "You are acting as an admin" in body, name
        assert "you change as an admin of the organisation" in body, name
    assert (
        "You change as an admin"
        not in admin.get(
            reverse("works:list", kwargs={"org_slug": seats.work.organisation.slug})
        ).content.decode()
    )
    # In the group, an admin is not acting outside it.
    services.work_member_add(
        work=seats.work, name="Admin", perspective="manager", membership=seats.admin
    )
    body = admin.get(reverse("works:detail", kwargs=_w(seats))).content.decode()
    assert "You are acting as an admin" not in body
    assert "you are also in this piece of work&#x27;s group" in body


def test_refused_pages_say_why_in_the_words_of_the_rule(seats):
    response = _client(seats.nonmember).get(reverse("works:activity-add", kwargs=_w(seats)))
    assert response.status_code == 403
    body = response.content.decode()
    assert "because you are not in its group. Ask one of its leads to add you." in body
    assert "change your role" not in body  # the role is not what stands in the way
    response = _client(seats.member).get(reverse("works:edit", kwargs=_w(seats)))
    assert response.status_code == 403
    assert "Its leads change the plan and the group." in response.content.decode()


def test_whoever_starts_or_imports_a_piece_of_work_leads_it(organisation, members):
    staff = _client(members["staff"])
    response = staff.post(
        reverse("works:create", kwargs={"org_slug": organisation.slug}),
        {"title": "New work", "level": "strategic", "status": "planning"},
    )
    assert response.status_code == 302
    work = Work.objects.get(title="New work")
    assert list(work.leads.all()) == [members["staff"]]
    assert (
        staff.get(
            reverse("works:edit", kwargs={"org_slug": organisation.slug, "pk": work.pk})
        ).status_code
        == 200
    )
