"""Personal data rights: the download holds everything, and erasure leaves no name or email."""

from __future__ import annotations

import json

import pytest

from withpeople.accounts.models import User
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record
from withpeople.diversity.models import DiversityAnswer, DiversityConsent
from withpeople.diversity.tests.factories import answering_members, make_question
from withpeople.diversity.tests.helpers import make_work
from withpeople.groups.models import GroupMember
from withpeople.organisations.models import Invitation, Membership, Role
from withpeople.privacy.services import person_erase
from withpeople.testing.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NAME = "Zebedee Quartermaine"
EMAIL = "zebedee.q@example.org"


@pytest.fixture
def person(organisation, members):
    """A partner with a group, an activity, diversity answers and audit entries."""
    from withpeople.works.models import Activity, Aspect, Participation

    membership = MembershipFactory(
        organisation=organisation,
        role=Role.PARTNER,
        perspective="carer",
        user__name=NAME,
        user__email=EMAIL,
    )
    work = make_work(organisation)
    group_member = GroupMember.objects.create(
        group=work.group,
        membership=membership,
        name="Zeb Q",
        contact="07700 900123",
        perspective="carer",
    )
    aspect = Aspect.objects.create(work=work, key="designing", name="Designing options")
    activity = Activity.objects.create(
        work=work, aspect=aspect, date="2026-03-02", kind="workshop", title="Options workshop"
    )
    Participation.objects.create(activity=activity, member=group_member)
    category, (under, _over) = make_question(organisation)
    from withpeople.diversity.services import diversity_answers_save, diversity_consent_give

    diversity_consent_give(membership=membership)
    diversity_answers_save(membership=membership, answers={category.pk: under})
    audit_record(organisation=organisation, actor=membership.user, action="viewed_access_needs")
    Invitation.objects.create(
        organisation=organisation,
        email=EMAIL,
        role="partner",
        perspective="carer",
        token_hash="x" * 64,
        expires_at="2030-01-01T00:00:00Z",
    )
    return {
        "membership": membership,
        "group_member": group_member,
        "activity": activity,
        "category": category,
        "option": under,
        "work": work,
    }


def test_download_holds_everything_and_is_audited(client_for, person):
    membership = person["membership"]
    response = client_for(membership).get("/o/example/your-data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"] == {"name": NAME, "email": EMAIL}
    assert data["membership"]["role"] == "Partner"
    (group,) = data["group_memberships"]
    assert group["name"] == "Zeb Q" and group["contact"] == "07700 900123"
    assert group["group"] == person["work"].group.name
    (activity,) = data["activities"]
    assert activity["activity"] == "Options workshop"
    assert data["diversity"]["consent"]["wording"].startswith("I agree")
    assert data["diversity"]["answers"] == [
        {"question": person["category"].question, "answer": person["option"].label}
    ]
    assert [e["action"] for e in data["audit_events"]] == ["viewed_access_needs"]
    assert "access_needs" in data and "recognition" in data
    event = AuditEvent.objects.get(action="exported_personal_data")
    assert event.actor == membership.user and event.subject_id == str(membership.pk)


def test_readable_page_shows_the_same(client_for, person):
    response = client_for(person["membership"]).get("/o/example/your-data/everything/")
    body = response.content.decode()
    for text in [NAME, EMAIL, "Zeb Q", "07700 900123", "Options workshop", "Under 50"]:
        assert text in body
    assert "holds on WithPeople about you." in body and "about this person" not in body
    assert "Download it as a file" in body and "JSON format" in body
    assert AuditEvent.objects.filter(action="viewed_personal_data").count() == 1


def test_only_admins_see_someone_elses_data(client_for, members, person):
    url = f"/o/example/people-data/{person['membership'].pk}/"
    assert client_for(members["staff"]).get(url).status_code == 403
    response = client_for(members["admin"]).get(url)
    body = response.content.decode()
    assert NAME in body
    assert "holds on WithPeople about this person." in body and "about you." not in body
    assert "This page only says whether they are held." in body
    event = AuditEvent.objects.get(action="viewed_personal_data")
    assert event.actor == members["admin"].user


def test_someone_in_another_organisation_is_404(client_for, members):
    stranger = MembershipFactory(organisation=OrganisationFactory(slug="other"))
    admin = client_for(members["admin"])
    for suffix in ["", "download/", "erase/"]:
        url = f"/o/example/people-data/{stranger.pk}/{suffix}"
        assert admin.get(url).status_code == 404


def _pages_to_search(organisation, members, work):
    return [
        "/o/example/",
        "/o/example/members/",
        "/o/example/your-data/",
        "/o/example/diversity/",
        f"/o/example/diversity/work/{work.pk}/",
        "/o/example/people-data/",
        "/o/example/audit/",
        f"/o/example/people-data/{members['partner'].pk}/",
        f"/o/example/people-data/{members['partner'].pk}/download/",
        "/o/example/your-data/download/",
        "/api/v1/organisations/example/diversity",
    ]


def test_erasure_leaves_no_name_or_email(client_for, members, organisation, person):
    membership = person["membership"]
    user_pk = membership.user.pk
    admin = client_for(members["admin"])
    page = admin.get(f"/o/example/people-data/{membership.pk}/erase/")
    body = page.content.decode()
    assert "What will happen" in body and "account will be deleted" in body
    response = admin.post(f"/o/example/people-data/{membership.pk}/erase/")
    assert response.status_code == 302

    assert not User.objects.filter(pk=user_pk).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not DiversityAnswer.objects.exists() and not DiversityConsent.objects.exists()
    assert not Invitation.objects.filter(email=EMAIL).exists()
    group_member = GroupMember.objects.get(pk=person["group_member"].pk)
    assert group_member.name == f"Former member {group_member.pk}"
    assert group_member.contact == "" and group_member.membership is None
    # What happened stays: the activity still counts one participant.
    assert person["activity"].participations.count() == 1
    event = AuditEvent.objects.get(action="erased_person")
    assert event.actor == members["admin"].user
    assert NAME not in event.detail and EMAIL not in event.detail
    # Their own audit entries stay, without them.
    assert AuditEvent.objects.get(action="viewed_access_needs").actor is None

    for url in _pages_to_search(organisation, members, person["work"]):
        for viewer in ("admin", "staff", "partner"):
            response = client_for(members[viewer]).get(url)
            if response.status_code != 200:
                continue
            text = response.content.decode()
            for secret in (NAME, EMAIL, "Zeb Q", "07700 900123"):
                assert secret not in text, f"{secret} still on {url} for {viewer}"
    for model_text in (
        list(GroupMember.objects.values_list("name", "contact")),
        list(AuditEvent.objects.values_list("detail", flat=True)),
        list(User.objects.values_list("name", "email")),
        list(Invitation.objects.values_list("email", flat=True)),
    ):
        assert NAME not in str(model_text) and EMAIL not in str(model_text)


def test_account_in_another_organisation_is_kept(members, organisation, person):
    membership = person["membership"]
    elsewhere = MembershipFactory(
        organisation=OrganisationFactory(slug="other"), user=membership.user
    )
    person_erase(membership=membership, actor=members["admin"].user)
    assert User.objects.filter(pk=membership.user.pk).exists()
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_admin_cannot_erase_themselves(client_for, members):
    admin = members["admin"]
    response = client_for(admin).post(f"/o/example/people-data/{admin.pk}/erase/")
    assert response.status_code == 200
    assert "You cannot erase yourself" in response.content.decode()
    assert Membership.objects.filter(pk=admin.pk).exists()
    assert not AuditEvent.objects.filter(action="erased_person").exists()


def test_erasure_keeps_figures_of_others(members, organisation):
    category, (under, over) = make_question(organisation)
    people = answering_members(organisation, category, [under] * 6 + [over] * 5)
    person_erase(membership=people[0], actor=members["admin"].user)
    from withpeople.diversity.selectors import diversity_summary

    (entry,) = diversity_summary(organisation=organisation)
    # Everyone else is still counted (the hidden "Prefer not to say", 0, takes the 5 with it).
    assert entry["total"] == 10
    assert [o["count"] for o in entry["options"]] == [None, 5, None]
