"""Groups: members over time, working agreements, access needs and the values dashboards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from withpeople.audit.models import AuditEvent
from withpeople.groups import services
from withpeople.groups.models import AccessNeeds, AgreementConsent, AgreementVersion, GroupMember
from withpeople.groups.tests.access_cases import AGREEMENT
from withpeople.organisations.models import Role
from withpeople.testing.factories import MembershipFactory, OrganisationFactory
from withpeople.works.models import Activity, Aspect, Participation, Work

pytestmark = pytest.mark.django_db

D = dt.date


def make_work(organisation, title="Strategy"):
    from withpeople.groups.models import Group

    group = Group.objects.create(organisation=organisation, name=title)
    work = Work.objects.create(
        organisation=organisation, group=group, title=title, level="strategic"
    )
    aspect = Aspect.objects.create(work=work, key="designing", name="Designing")
    return work, aspect


def add(
    group,
    name,
    perspective="lived_experience",
    *,
    membership=None,
    role="member",
    joined=None,
    left=None,
    contact="",
):
    member = services.group_member_add(
        group=group,
        membership=membership,
        name=name,
        contact=contact,
        perspective=perspective,
        role=role,
        joined_on=joined or D(2025, 1, 1),
    )
    if left:
        services.group_member_end(member=member, left_on=left)
    return member


def activity(work, aspect, date, who, organisers=()):
    item = Activity.objects.create(work=work, aspect=aspect, date=date, kind="meeting")
    for member in who:
        Participation.objects.create(activity=item, member=member)
    item.organisers.set(organisers)
    return item


# --- Access needs ---------------------------------------------------------------------------------


@pytest.fixture
def needs_setup(organisation, members):
    """An activity organised by staff; the partner and Jo (no account) take part."""
    work, aspect = make_work(organisation)
    pat = add(work.group, "Pat", membership=members["partner"])
    jo = add(work.group, "Jo", contact="jo@example.net")
    admin_in_group = add(work.group, "Alex", "manager", membership=members["admin"])
    services.access_needs_save(
        organisation=organisation, membership=members["partner"], needs=["easy_read", "breaks"]
    )
    services.access_needs_save(
        organisation=organisation,
        group_member=jo,
        needs=["interpreter"],
        interpreter_language="Polish",
    )
    services.access_needs_save(
        organisation=organisation, membership=members["admin"], needs=["braille"]
    )
    work.leads.add(members["staff"])  # the organiser leads the work, so manages its group
    item = activity(work, aspect, D(2025, 5, 1), [pat, jo, admin_in_group], [members["staff"]])
    url = reverse(
        "works:activity-access-needs",
        kwargs={"org_slug": organisation.slug, "activity_id": item.pk},
    )
    return item, url


def test_the_organiser_sees_everyones_needs_and_each_view_is_audited(
    needs_setup, members, client_for
):
    _activity, url = needs_setup
    response = client_for(members["staff"]).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Easy read" in body and "An interpreter (Polish)" in body and "Braille" in body
    events = AuditEvent.objects.filter(action="viewed_access_needs", actor=members["staff"].user)
    assert events.count() == 3


def test_a_person_taking_part_sees_only_their_own_needs(needs_setup, members, client_for):
    _activity, url = needs_setup
    response = client_for(members["partner"]).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Easy read" in body
    assert "Polish" not in body and "Braille" not in body
    # Looking at your own needs is not someone else's personal data.
    assert not AuditEvent.objects.filter(action="viewed_access_needs").exists()


def test_an_admin_who_does_not_organise_sees_only_their_own(needs_setup, members, client_for):
    _activity, url = needs_setup
    body = client_for(members["admin"]).get(url).content.decode()
    assert "Braille" in body
    assert "Easy read" not in body and "Polish" not in body


def test_an_admin_not_taking_part_and_not_organising_is_refused(organisation, members, client_for):
    work, aspect = make_work(organisation)
    pat = add(work.group, "Pat", membership=members["partner"])
    services.access_needs_save(
        organisation=organisation, membership=members["partner"], needs=["easy_read"]
    )
    item = activity(work, aspect, D(2025, 5, 1), [pat], [members["staff"]])
    url = reverse(
        "works:activity-access-needs",
        kwargs={"org_slug": organisation.slug, "activity_id": item.pk},
    )
    assert client_for(members["admin"]).get(url).status_code == 403
    # Organising makes the difference, whatever the role.
    item.organisers.add(members["admin"])
    assert "Easy read" in client_for(members["admin"]).get(url).content.decode()


def test_another_member_outsider_and_anonymous_see_nothing(
    needs_setup, organisation, outsider, client, client_for
):
    _activity, url = needs_setup
    other = MembershipFactory(organisation=organisation, role=Role.STAFF)
    assert client_for(other).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert not AuditEvent.objects.filter(action="viewed_access_needs").exists()


def test_needs_never_appear_on_public_or_group_pages(
    needs_setup, organisation, members, client_for
):
    item, _url = needs_setup
    group = item.work.group
    services.agreement_version_create(group=group, author=None, **AGREEMENT)
    services.agreement_publish(agreement=group.agreement, published=True)
    for url in (
        reverse("groups:agreement-public", kwargs={"org_slug": organisation.slug, "pk": group.pk}),
        reverse("groups:detail", kwargs={"org_slug": organisation.slug, "pk": group.pk}),
        reverse("values:relationships", kwargs={"org_slug": organisation.slug}),
    ):
        body = client_for(members["admin"]).get(url).content.decode()
        assert "Polish" not in body and "Easy read" not in body


def test_your_access_needs_are_kept_per_organisation(organisation, members, client_for):
    partner = members["partner"]
    elsewhere = MembershipFactory(
        organisation=OrganisationFactory(slug="other"), user=partner.user, role=Role.PARTNER
    )
    client = client_for(partner)
    url = reverse("groups:my-access-needs", kwargs={"org_slug": organisation.slug})
    response = client.post(url, {"needs": ["large_print", "other"], "other_detail": "A quiet room"})
    assert response.status_code == 302
    needs = AccessNeeds.objects.get(membership=partner)
    assert needs.large_print and needs.other_detail == "A quiet room" and not needs.easy_read
    assert not AccessNeeds.objects.filter(membership=elsewhere).exists()
    assert "A quiet room" in client.get(url).content.decode()
    other_url = reverse("groups:my-access-needs", kwargs={"org_slug": "other"})
    assert "A quiet room" not in client.get(other_url).content.decode()


def test_bad_access_needs_show_errors_and_save_nothing(organisation, members, client_for):
    url = reverse("groups:my-access-needs", kwargs={"org_slug": organisation.slug})
    response = client_for(members["staff"]).post(url, {"needs": ["interpreter"]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter the language for the interpreter" in body
    assert not AccessNeeds.objects.exists()


def test_staff_record_needs_for_someone_without_an_account_and_it_is_audited(
    organisation, members, client_for
):
    from withpeople.groups.models import Group

    group = Group.objects.create(organisation=organisation, name="Board", kind="standing")
    jo = add(group, "Jo")
    url = reverse(
        "groups:member-access-needs",
        kwargs={"org_slug": organisation.slug, "pk": group.pk, "member_pk": jo.pk},
    )
    client = client_for(members["staff"])
    assert client.post(url, {"needs": ["audio"]}).status_code == 302
    assert AccessNeeds.objects.get(group_member=jo).audio
    assert not AuditEvent.objects.exists()
    # Staff who do not organise an activity Jo attends record, but do not read back.
    body = client.get(url).content.decode()
    assert "already recorded" in body and 'value="audio" checked' not in body
    assert "I understand this replaces the needs already recorded" in body
    assert not AuditEvent.objects.exists()
    # Someone with an account records their own.
    pat = add(group, "Pat", membership=members["partner"])
    url = reverse(
        "groups:member-access-needs",
        kwargs={"org_slug": organisation.slug, "pk": group.pk, "member_pk": pat.pk},
    )
    assert client.get(url).status_code == 404


def test_only_organisers_of_an_activity_they_attend_read_back_their_needs(
    needs_setup, organisation, members, client_for
):
    item, _url = needs_setup
    jo = GroupMember.objects.get(name="Jo")
    url = reverse(
        "groups:member-access-needs",
        kwargs={"org_slug": organisation.slug, "pk": jo.group_id, "member_pk": jo.pk},
    )
    organiser = client_for(members["staff"]).get(url).content.decode()
    assert 'value="Polish"' in organiser and 'value="interpreter" checked' in organiser
    assert AuditEvent.objects.filter(action="viewed_access_needs").count() == 1

    # Another member of staff, and an admin, who organise nothing Jo attends.
    other_staff = MembershipFactory(organisation=organisation, role=Role.STAFF)
    item.work.leads.add(other_staff)  # who may manage the group, as a lead of the work
    for viewer in (other_staff, members["admin"]):
        response = client_for(viewer).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'value="Polish"' not in body and 'value="interpreter" checked' not in body
        assert "already recorded" in body
    assert AuditEvent.objects.filter(action="viewed_access_needs").count() == 1

    # They can still record what Jo tells them, once they confirm it replaces what was there.
    response = client_for(other_staff).post(url, {"needs": ["large_print"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Confirm that you understand this replaces the needs already recorded" in body
    needs = AccessNeeds.objects.get(group_member=jo)
    assert needs.interpreter and needs.interpreter_language == "Polish" and not needs.large_print
    confirmed = {"needs": ["large_print"], "replaces_hidden": "on"}
    response = client_for(other_staff).post(url, confirmed)
    assert response.status_code == 302
    needs = AccessNeeds.objects.get(group_member=jo)
    assert needs.large_print and not needs.interpreter and needs.interpreter_language == ""
    # Bad input saves nothing and shows nothing recorded.
    response = client_for(other_staff).post(url, {"needs": ["other"], "replaces_hidden": "on"})
    assert response.status_code == 200
    assert "Enter what else is needed" in response.content.decode()
    assert not AccessNeeds.objects.get(group_member=jo).other
    # Once they organise an activity Jo attends, they read them back.
    item.organisers.add(other_staff)
    assert 'value="large_print" checked' in client_for(other_staff).get(url).content.decode()


def test_staff_who_record_an_activity_organise_it_unless_someone_else_does(
    organisation, members, client_for
):
    work, aspect = make_work(organisation)
    jo = add(work.group, "Jo", contact="jo@example.net")
    # Recording evidence takes a seat in the group, or leading the work.
    work.leads.add(members["staff"])
    add(work.group, "Pat", membership=members["partner"])
    services.access_needs_save(
        organisation=organisation, group_member=jo, needs=["other"], other_detail="A ramp"
    )
    add_url = reverse("works:activity-add", kwargs={"org_slug": organisation.slug, "pk": work.pk})
    data = {
        "title": "Options workshop",
        "date": "12/2/2026",
        "aspect": aspect.pk,
        "kind": "workshop",
        "participants": [jo.pk],
    }
    assert client_for(members["staff"]).post(add_url, data).status_code == 302
    recorded = Activity.objects.get()
    assert list(recorded.organisers.all()) == [members["staff"]]
    needs_url = reverse(
        "works:activity-access-needs",
        kwargs={"org_slug": organisation.slug, "activity_id": recorded.pk},
    )
    assert "A ramp" in client_for(members["staff"]).get(needs_url).content.decode()
    # Someone else changing it later does not become an organiser too.
    edit_url = reverse(
        "works:activity-edit",
        kwargs={"org_slug": organisation.slug, "pk": work.pk, "activity_pk": recorded.pk},
    )
    client_for(members["admin"]).post(
        edit_url, data | {"title": "Options workshop 2", "change_reason": "Renamed"}
    )
    assert list(recorded.organisers.all()) == [members["staff"]]
    # A partner who records an activity does not see everyone's needs by doing so.
    client_for(members["partner"]).post(add_url, data | {"title": "Drop-in"})
    assert not Activity.objects.get(title="Drop-in").organisers.exists()


# --- Groups and members ------------------------------------------------------------------------


def test_creating_a_standing_group_and_adding_members(organisation, members, client_for):
    client = client_for(members["staff"])
    response = client.post(
        reverse("groups:create", kwargs={"org_slug": organisation.slug}),
        {"name": "Co-production board", "purpose": ""},
    )
    from withpeople.groups.models import Group

    group = Group.objects.get(name="Co-production board")
    assert group.kind == "standing"
    add_url = reverse("groups:member-add", kwargs={"org_slug": organisation.slug, "pk": group.pk})
    response = client.post(
        add_url,
        {
            "membership": members["partner"].pk,
            "name": "",
            "perspective": "lived_experience",
            "role": "chair",
            "joined_on": "1/3/2025",
        },
    )
    assert response.status_code == 302
    member = group.members.get()
    assert member.name == members["partner"].user.name
    assert member.role == "chair" and member.joined_on == D(2025, 3, 1)
    # Without an account, a name is needed: nothing is saved without one.
    response = client.post(
        add_url, {"perspective": "carer", "role": "member", "joined_on": "1/3/2025"}
    )
    assert response.status_code == 200
    assert "Enter the name or pseudonym" in response.content.decode()
    assert group.members.count() == 1


def test_ending_a_membership_keeps_the_person(organisation, members, client_for):
    from withpeople.groups.models import Group

    group = Group.objects.create(organisation=organisation, name="Board", kind="standing")
    jo = add(group, "Jo", joined=D(2025, 1, 10))
    url = reverse(
        "groups:member-end",
        kwargs={"org_slug": organisation.slug, "pk": group.pk, "member_pk": jo.pk},
    )
    client = client_for(members["staff"])
    assert client.get(url).status_code == 200
    jo.refresh_from_db()
    assert jo.left_on is None
    response = client.post(url, {"left_on": "1/1/2025"})
    assert "on or after the date they joined, 10 January 2025." in response.content.decode()
    assert client.post(url, {"left_on": "31/12/2025"}).status_code == 302
    jo.refresh_from_db()
    assert jo.left_on == D(2025, 12, 31)
    assert GroupMember.objects.filter(pk=jo.pk).exists()


def test_another_organisations_objects_are_not_found_under_our_address(
    organisation, members, client_for
):
    other = OrganisationFactory(slug="other")
    work, aspect = make_work(other)
    member = add(work.group, "Jo")
    item = activity(work, aspect, D(2025, 5, 1), [member], [])
    client = client_for(members["admin"])
    slug = organisation.slug
    urls = [
        reverse("groups:detail", kwargs={"org_slug": slug, "pk": work.group.pk}),
        reverse("groups:agreement", kwargs={"org_slug": slug, "pk": work.group.pk}),
        reverse("groups:agreement-public", kwargs={"org_slug": slug, "pk": work.group.pk}),
        reverse(
            "groups:member-change",
            kwargs={"org_slug": slug, "pk": work.group.pk, "member_pk": member.pk},
        ),
        reverse("works:activity-access-needs", kwargs={"org_slug": slug, "activity_id": item.pk}),
        reverse("values:work-values", kwargs={"org_slug": slug, "work_id": work.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


# --- Working agreements ------------------------------------------------------------------------


@pytest.fixture
def board(organisation, members):
    from withpeople.groups.models import Group

    group = Group.objects.create(organisation=organisation, name="Board", kind="standing")
    add(group, "Pat", membership=members["partner"])
    return group


def agreement_form(**changes):
    data = {key: value for key, value in AGREEMENT.items() if key != "review_on"}
    return data | {"review_on": "1/1/2026"} | changes


def test_a_change_makes_a_new_version_and_asks_again(board, organisation, members, client_for):
    slug = organisation.slug
    edit = reverse("groups:agreement-edit", kwargs={"org_slug": slug, "pk": board.pk})
    partner = client_for(members["partner"])
    # A partner in the group writes the agreement: an equal seat.
    assert partner.post(edit, agreement_form()).status_code == 302
    v1 = AgreementVersion.objects.get(agreement__group=board)
    agree_v1 = reverse(
        "groups:agreement-agree", kwargs={"org_slug": slug, "pk": board.pk, "number": 1}
    )
    assert partner.post(agree_v1).status_code == 302
    pat = board.members.get()
    assert AgreementConsent.objects.filter(version=v1, member=pat).exists()

    # Staff change one section: version 2; version 1 is unchanged, and Pat is asked again.
    staff = client_for(members["staff"])
    assert (
        staff.post(edit, agreement_form(aims="Shorter waits.\nKinder letters.")).status_code == 302
    )
    v1.refresh_from_db()
    assert v1.aims == AGREEMENT["aims"]
    v2 = AgreementVersion.objects.get(agreement__group=board, number=2)
    assert v2.aims == "Shorter waits.\nKinder letters."
    page = partner.get(reverse("groups:agreement", kwargs={"org_slug": slug, "pk": board.pk}))
    assert "I agree" in page.content.decode()
    # Agreeing to the replaced version is refused; to the new one, recorded.
    partner.post(agree_v1)
    assert AgreementConsent.objects.filter(member=pat).count() == 1
    partner.post(
        reverse("groups:agreement-agree", kwargs={"org_slug": slug, "pk": board.pk, "number": 2})
    )
    assert AgreementConsent.objects.filter(version=v2, member=pat).exists()
    page = partner.get(reverse("groups:agreement", kwargs={"org_slug": slug, "pk": board.pk}))
    assert "You have agreed to this version" in page.content.decode()


def test_saving_the_same_words_makes_no_new_version(board, organisation, members, client_for):
    edit = reverse("groups:agreement-edit", kwargs={"org_slug": organisation.slug, "pk": board.pk})
    client = client_for(members["staff"])
    client.post(edit, agreement_form())
    response = client.post(edit, agreement_form())
    assert "Nothing has changed from version 1" in response.content.decode()
    assert AgreementVersion.objects.count() == 1


def test_a_partner_outside_the_group_cannot_change_it(board, organisation, members, client_for):
    board.members.update(left_on=D(2025, 6, 1))
    edit = reverse("groups:agreement-edit", kwargs={"org_slug": organisation.slug, "pk": board.pk})
    assert client_for(members["partner"]).post(edit, agreement_form()).status_code == 403
    assert not AgreementVersion.objects.exists()


def test_what_changed_is_shown_section_by_section(board, organisation, members, client_for):
    services.agreement_version_create(
        group=board, author=None, **(AGREEMENT | {"aims": "First aim.\nSecond aim."})
    )
    services.agreement_version_create(
        group=board, author=None, **(AGREEMENT | {"aims": "First aim.\nThird aim."})
    )
    url = reverse(
        "groups:agreement-changes",
        kwargs={"org_slug": organisation.slug, "pk": board.pk, "number": 2},
    )
    body = client_for(members["partner"]).get(url).content.decode()
    assert '<del><span class="govuk-visually-hidden">removed: </span>Second aim.</del>' in body
    assert '<ins><span class="govuk-visually-hidden">added: </span>Third aim.</ins>' in body
    assert '<p class="govuk-body">First aim.</p>' in body
    assert body.count("No change") == 8  # the seven other sections and the review date
    first = reverse(
        "groups:agreement-changes",
        kwargs={"org_slug": organisation.slug, "pk": board.pk, "number": 1},
    )
    assert client_for(members["partner"]).get(first).status_code == 404


def test_staff_record_agreement_for_someone_without_an_account(
    board, organisation, members, client_for
):
    slug = organisation.slug
    jo = add(board, "Jo", contact="jo@example.net")
    version = services.agreement_version_create(group=board, author=None, **AGREEMENT)
    written_on = dt.date.today()
    page = reverse("groups:agreement", kwargs={"org_slug": slug, "pk": board.pk})
    record = reverse(
        "groups:agreement-agree-for",
        kwargs={"org_slug": slug, "pk": board.pk, "number": 1, "member_pk": jo.pk},
    )
    staff = client_for(members["staff"])
    body = staff.get(page).content.decode()
    assert "Jo (takes part without an account)" in body and record in body
    # Partners see who is waiting, but not the link to record for someone else.
    assert record not in client_for(members["partner"]).get(page).content.decode()

    bad = [
        ({}, "Enter the date they said they agree"),
        ({"agreed_on": "31/2/2026", "confirmed": "on"}, "Enter a real date"),
        ({"agreed_on": written_on.strftime("%d/%m/%Y")}, "Confirm that they told you they agree"),
        (
            {
                "agreed_on": (written_on + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
                "confirmed": "on",
            },
            "must be today or in the past",
        ),
        (
            {
                "agreed_on": (written_on - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
                "confirmed": "on",
            },
            f"must be on or after {date_format(written_on, 'j F Y')}, when version 1 was",
        ),
    ]
    for data, message in bad:
        response = staff.post(record, data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert not AgreementConsent.objects.exists()
    assert not AuditEvent.objects.exists()

    response = staff.post(record, {"agreed_on": written_on.strftime("%d/%m/%Y"), "confirmed": "on"})
    assert response.status_code == 302
    consent = AgreementConsent.objects.get(version=version, member=jo)
    assert consent.on_their_behalf and consent.recorded_by == members["staff"]
    assert consent.agreed_at.date() == written_on
    event = AuditEvent.objects.get(action="recorded_agreement_for_member")
    assert event.actor == members["staff"].user and event.subject_id == str(consent.pk)
    assert "Jo" not in event.detail
    body = staff.get(page).content.decode()
    assert "(recorded by staff for them)" in body and record not in body
    # Recording it twice is refused.
    again = staff.post(record, {"agreed_on": written_on.strftime("%d/%m/%Y"), "confirmed": "on"})
    assert "Jo has already agreed to this version" in again.content.decode()
    assert AgreementConsent.objects.count() == 1


def test_agreement_is_recorded_for_current_people_without_an_account_only(
    board, organisation, members, client_for
):
    services.agreement_version_create(group=board, author=None, **AGREEMENT)
    pat = board.members.get(name="Pat")  # has an account: agrees for themselves
    gone = add(board, "Ken", left=D(2025, 6, 1))
    staff = client_for(members["staff"])
    for member in (pat, gone):
        url = reverse(
            "groups:agreement-agree-for",
            kwargs={
                "org_slug": organisation.slug,
                "pk": board.pk,
                "number": 1,
                "member_pk": member.pk,
            },
        )
        assert staff.get(url).status_code == 404
        assert staff.post(url, {"agreed_on": "1/1/2026", "confirmed": "on"}).status_code == 404
    assert not AgreementConsent.objects.exists()


def test_the_public_agreement_is_not_found_until_published(board, organisation, client):
    url = reverse("groups:agreement-public", kwargs={"org_slug": organisation.slug, "pk": board.pk})
    assert client.get(url).status_code == 404
    services.agreement_version_create(group=board, author=None, **AGREEMENT)
    assert client.get(url).status_code == 404
    services.agreement_publish(agreement=board.agreement, published=True)
    response = client.get(url)
    assert response.status_code == 200
    assert "We are equals." in response.content.decode()
    assert "Pat" not in response.content.decode()  # who is in the group is not public
    services.agreement_publish(agreement=board.agreement, published=False)
    assert client.get(url).status_code == 404


def test_publishing_asks_first(board, organisation, members, client_for):
    services.agreement_version_create(group=board, author=None, **AGREEMENT)
    url = reverse(
        "groups:agreement-publish", kwargs={"org_slug": organisation.slug, "pk": board.pk}
    )
    client = client_for(members["staff"])
    assert client.get(url).status_code == 200
    board.agreement.refresh_from_db()
    assert board.agreement.published_at is None
    client.post(url)
    board.agreement.refresh_from_db()
    assert board.agreement.published_at is not None


def test_the_openness_statement_links_to_the_published_agreement(organisation, client):
    from withpeople.works.services import work_publish

    work, _aspect = make_work(organisation)
    work_publish(work=work)
    openness = reverse("works:openness", kwargs={"org_slug": organisation.slug, "pk": work.pk})
    public = reverse(
        "groups:agreement-public", kwargs={"org_slug": organisation.slug, "pk": work.group_id}
    )
    services.agreement_version_create(group=work.group, author=None, **AGREEMENT)
    assert public not in client.get(openness).content.decode()  # written, not published
    services.agreement_publish(agreement=work.group.agreement, published=True)
    assert public in client.get(openness).content.decode()
    assert client.get(public).status_code == 200


def test_the_api_lists_groups_and_values(organisation, members, client_for):
    from withpeople.groups.models import Group

    board = Group.objects.create(organisation=organisation, name="Board", kind="standing")
    add(board, "Ann", "carer", role="chair")
    add(board, "Ken", left=D(2025, 6, 1))
    services.agreement_version_create(group=board, author=None, **AGREEMENT)
    services.agreement_version_create(group=board, author=None, **(AGREEMENT | {"aims": "More."}))
    client = client_for(members["partner"])
    groups = client.get(f"/api/v1/organisations/{organisation.slug}/groups").json()
    assert groups == [
        {
            "id": board.pk,
            "name": "Board",
            "kind": "standing",
            "current_members": 1,
            "past_members": 1,
            "agreement_version": 2,
            "agreement_published": False,
        }
    ]
    values = client.get(f"/api/v1/organisations/{organisation.slug}/values").json()
    assert values["groups_with_partner_chair"] == 1
    assert values["partner_share_percent"] is None


def test_the_demo_step_can_run_twice(organisation, members):
    from withpeople.groups.demo import BOARD, create_demo_groups
    from withpeople.groups.models import Group

    people = {key: membership.user for key, membership in members.items()}
    create_demo_groups(organisation, people)
    create_demo_groups(organisation, people)
    board = Group.objects.get(organisation=organisation, name=BOARD)
    assert board.agreement.versions.count() == 2
    assert board.agreement.published_at is not None
    assert board.members.filter(left_on__isnull=False).count() == 2
    assert (
        board.members.filter(
            role__in=["chair", "co_chair"], perspective__in=["carer", "lived_experience"]
        ).count()
        == 2
    )
    assert AccessNeeds.objects.filter(membership=members["partner"]).get().easy_read
