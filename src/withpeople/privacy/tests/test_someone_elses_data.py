"""An admin answering someone's request for their data, or erasing them.

The admin sees everything the organisation holds except what nobody else may read: the
person's own diversity answers and their access needs, which are only said to be held. People
who take part in a group without an account can have their data and be erased too.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from withpeople.audit.models import AuditEvent
from withpeople.diversity.services import diversity_answers_save, diversity_consent_give
from withpeople.diversity.tests.factories import make_question
from withpeople.diversity.tests.helpers import make_work
from withpeople.groups.models import AccessNeeds, GroupMember
from withpeople.groups.services import access_needs_save
from withpeople.recognition import services as recognition
from withpeople.recognition.models import RecognitionPreference, TimeRecord
from withpeople.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ANSWER = "Fifty-five to sixty"
NEEDS_DETAIL = "A quiet room near the door"


@pytest.fixture
def partner_with_answers_and_needs(organisation, members):
    partner = members["partner"]
    category, (answer, _other) = make_question(organisation, labels=(ANSWER, "Other"))
    diversity_consent_give(membership=partner)
    diversity_answers_save(membership=partner, answers={category.pk: answer})
    access_needs_save(
        organisation=organisation, membership=partner, needs=["other"], other_detail=NEEDS_DETAIL
    )
    return partner


def test_admin_page_and_download_hold_no_answers_and_no_needs(
    client_for, members, partner_with_answers_and_needs
):
    partner = partner_with_answers_and_needs
    admin = client_for(members["admin"])
    page = admin.get(f"/o/example/people-data/{partner.pk}/").content.decode()
    assert partner.user.name in page
    assert ANSWER not in page and NEEDS_DETAIL not in page
    assert "Answers held" in page

    response = admin.get(f"/o/example/people-data/{partner.pk}/download/")
    assert ANSWER not in response.content.decode()
    assert NEEDS_DETAIL not in response.content.decode()
    data = json.loads(response.content)
    assert data["diversity"] == {"consent_given": True, "answers_held": 1}
    assert data["access_needs"] == {"recorded": True}
    assert data["account"]["email"] == partner.user.email


def test_the_persons_own_download_keeps_everything(client_for, partner_with_answers_and_needs):
    partner = partner_with_answers_and_needs
    data = client_for(partner).get("/o/example/your-data/download/").json()
    assert data["diversity"]["answers"][0]["answer"] == ANSWER
    assert data["access_needs"]["other_detail"] == NEEDS_DETAIL
    page = client_for(partner).get("/o/example/your-data/everything/").content.decode()
    assert ANSWER in page and NEEDS_DETAIL in page


@pytest.fixture
def without_account(organisation, members):
    """Sam takes part in a group without an account: time, a preference, needs, an activity."""
    from withpeople.works.models import Activity, Aspect, Participation

    work = make_work(organisation)
    sam = GroupMember.objects.create(
        group=work.group, name="Sam Pseudonym", contact="sam@example.net", perspective="carer"
    )
    aspect = Aspect.objects.create(work=work, key="designing", name="Designing options")
    activity = Activity.objects.create(
        work=work, aspect=aspect, date="2026-03-02", kind="workshop", title="Options workshop"
    )
    Participation.objects.create(activity=activity, member=sam)
    access_needs_save(
        organisation=organisation, group_member=sam, needs=["other"], other_detail=NEEDS_DETAIL
    )
    recognition.policy_update(
        organisation=organisation, updated_by=None, hourly_rate=Decimal("15.00")
    )
    recognition.time_record_create(
        organisation=organisation,
        member=sam,
        date=dt.date(2026, 3, 2),
        minutes=90,
        description="Reading the options paper",
    )
    recognition.preference_set(
        member=sam, choice="payment", payment_details="Sort code 00-00-00", benefits_note_seen=True
    )
    return {"member": sam, "activity": activity, "work": work}


def test_people_without_an_account_are_listed_and_their_data_given(
    client_for, members, without_account
):
    sam = without_account["member"]
    admin = client_for(members["admin"])
    listing = admin.get("/o/example/people-data/").content.decode()
    assert "Sam Pseudonym" in listing
    assert f"/o/example/people-data/without-account/{sam.pk}/" in listing

    page = admin.get(f"/o/example/people-data/without-account/{sam.pk}/").content.decode()
    for text in ["Sam Pseudonym", "sam@example.net", "Options workshop", "Sort code 00-00-00"]:
        assert text in page
    assert NEEDS_DETAIL not in page
    response = admin.get(f"/o/example/people-data/without-account/{sam.pk}/download/")
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.json()
    assert data["group_memberships"][0]["contact"] == "sam@example.net"
    assert data["activities"][0]["activity"] == "Options workshop"
    assert data["recognition"][0]["time_records"][0]["description"] == "Reading the options paper"
    assert data["access_needs"] == {"recorded": True}
    actions = list(
        AuditEvent.objects.filter(subject_type="groups.groupmember", subject_id=str(sam.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["viewed_personal_data", "exported_personal_data"]


def test_erasing_someone_without_an_account(client_for, members, without_account):
    sam = without_account["member"]
    admin = client_for(members["admin"])
    url = f"/o/example/people-data/without-account/{sam.pk}/erase/"
    page = admin.get(url).content.decode()
    assert "Erase Sam Pseudonym" in page and "This cannot be undone" in page
    assert GroupMember.objects.get(pk=sam.pk).name == "Sam Pseudonym"  # GET changes nothing

    assert admin.post(url).status_code == 302
    sam.refresh_from_db()
    assert sam.name == f"Former member {sam.pk}" and sam.contact == ""
    assert not AccessNeeds.objects.filter(group_member=sam).exists()
    assert RecognitionPreference.objects.get(member=sam).payment_details == ""
    record = TimeRecord.objects.get(member=sam)
    assert record.description == "" and record.minutes == 90  # the facts stay
    assert without_account["activity"].participations.count() == 1
    event = AuditEvent.objects.get(action="erased_person")
    assert event.actor == members["admin"].user
    assert (event.subject_type, event.subject_id) == ("groups.groupmember", str(sam.pk))
    assert "Sam" not in event.detail
    assert "Sam Pseudonym" not in admin.get("/o/example/people-data/").content.decode()

    # Erasing again is refused with a message, and writes nothing.
    again = admin.post(url)
    assert again.status_code == 200
    assert "already been erased" in again.content.decode()
    assert AuditEvent.objects.filter(action="erased_person").count() == 1


def test_only_people_without_an_account_of_this_organisation(client_for, members, organisation):
    work = make_work(organisation)
    with_account = GroupMember.objects.create(
        group=work.group, membership=members["partner"], name="Pat", perspective="carer"
    )
    elsewhere = GroupMember.objects.create(
        group=make_work(OrganisationFactory(slug="other")).group, name="Al", perspective="carer"
    )
    admin = client_for(members["admin"])
    for member in (with_account, elsewhere):
        for suffix in ["", "download/", "erase/"]:
            url = f"/o/example/people-data/without-account/{member.pk}/{suffix}"
            assert admin.get(url).status_code == 404
        assert (
            admin.post(f"/o/example/people-data/without-account/{member.pk}/erase/").status_code
            == 404
        )
    with_account.refresh_from_db()
    assert with_account.name == "Pat"
