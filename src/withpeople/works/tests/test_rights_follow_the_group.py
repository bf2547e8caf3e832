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
from django.apps import apps
from django.test import Client
from django.urls import reverse

from withpeople.accounts.services import api_token_create
from withpeople.domain.ladder import Perspective
from withpeople.groups import services as group_services
from withpeople.organisations.models import Role
from withpeople.testing.factories import MembershipFactory
from withpeople.works import services
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
        name="Jo",
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


def _snapshot() -> dict[str, list[tuple]]:
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.label_lower != "sessions.session"
    }


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
    }


def _decision_form(s: Seats) -> dict:
    return {
        "summary": "Option B",
        "date": "10/3/2026",
        "aspect": _first_aspect(s).pk,
        "decided_by": "jointly",
    }


def _checkin_form(s: Seats) -> dict:
    return {f"aspect_{aspect.pk}": "co-design" for aspect in s.work.aspects.all()}


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
        },
        "lead",
    ),
    Write("works:aspect-remove", _aspect, lambda s: {}, "lead"),
    Write("works:aspect-move", _aspect, lambda s: {"direction": "down"}, "lead"),
    # Check-in rounds: leads.
    Write("works:round-open", _w, lambda s: {"name": "Spring"}, "lead"),
    Write("works:round-close", _open_round, lambda s: {}, "lead"),
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
    Write("works:activity-delete", _activity, lambda s: {}, "group"),
    Write("works:decision-add", _w, _decision_form, "group"),
    Write("works:decision-edit", _decision, _decision_form, "group"),
    Write("works:decision-delete", _decision, lambda s: {}, "group"),
    Write(
        "groups:agreement-edit",
        _g,
        lambda s: AGREEMENT | {"review_on": "1/1/2027"},
        "group",
    ),
    Write("works:checkin", _round_for_checkin, _checkin_form, "group", refused_status=200),
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


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.url_name)
def test_outside_the_group_nothing_changes_and_the_rule_lets_the_right_people(seats, write):
    kwargs = write.kwargs(seats)
    url = reverse(write.url_name, kwargs=kwargs)
    data = write.data(seats)
    refused = [seats.nonmember] + ([seats.member] if write.needs == "lead" else [])
    allowed = seats.partner_lead if write.needs == "lead" else seats.member
    clients = {m.pk: _client(m) for m in [*refused, allowed]}
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
