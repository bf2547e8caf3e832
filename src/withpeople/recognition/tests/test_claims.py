"""Expense claims: amounts, limits and reasons, receipt uploads, approval rules, receipts served."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from withpeople.audit.models import AuditEvent
from withpeople.recognition import receipts, services
from withpeople.recognition.models import ExpenseClaim, MoneyStatus
from withpeople.recognition.tests.conftest import make_claim, png, stored_files

pytestmark = pytest.mark.django_db


def claim_url(organisation):
    return reverse("recognition:claim-add", kwargs={"org_slug": organisation.slug})


def post_claim(client, organisation, person, category, **overrides):
    data = {
        "member": person.pk,
        "category": category.pk,
        "date": "2/3/2026",
        "description": "Bus fare to the workshop",
        "amount": "£12.50",
        "over_limit_reason": "",
    }
    data.update(overrides)
    return client.post(claim_url(organisation), data)


def test_a_partner_claims_with_a_png_receipt(client_for, organisation, members, person, travel):
    response = post_claim(
        client_for(members["partner"]), organisation, person, travel, receipt=png("bus.PNG")
    )
    claim = ExpenseClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "recognition:claim", kwargs={"org_slug": organisation.slug, "pk": claim.pk}
    )
    assert claim.amount == Decimal("12.50")
    assert claim.status == MoneyStatus.DUE
    assert claim.receipt_content_type == "image/png"
    assert claim.receipt.name.endswith(".png")
    assert "bus" not in claim.receipt.name  # the person's file name is not kept
    assert claim.claimed_by == members["partner"].user


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("receipt.png", b"just some text, not an image", "must be a PDF, PNG or JPEG"),
        ("receipt.exe", b"MZ\x90\x00", "must be a PDF, PNG or JPEG"),
        # A real PDF named as a PNG: the name and the first bytes disagree.
        ("receipt.png", receipts.TINY_PDF, "must be a PDF, PNG or JPEG"),
        ("receipt.html", b"<html><script>alert(1)</script>", "must be a PDF, PNG or JPEG"),
        ("receipt.pdf", b"%PDF-" + b"0" * receipts.MAX_RECEIPT_BYTES, "smaller than 5 MB"),
    ],
)
def test_a_refused_receipt_stores_nothing(
    client_for, organisation, members, person, travel, media_root, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = post_claim(
        client_for(members["partner"]), organisation, person, travel, receipt=upload
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert not ExpenseClaim.objects.exists()
    assert stored_files(media_root) == []


def test_a_jpeg_and_a_pdf_are_accepted(organisation, person, travel):
    jpeg = SimpleUploadedFile("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    pdf = SimpleUploadedFile("receipt.pdf", receipts.TINY_PDF)
    assert make_claim(organisation, person, travel, receipt=jpeg).receipt_content_type == (
        "image/jpeg"
    )
    assert make_claim(organisation, person, travel, receipt=pdf).receipt_content_type == (
        "application/pdf"
    )


def test_a_claim_that_fails_after_its_file_was_written_leaves_no_file(
    organisation, person, travel, media_root, monkeypatch
):
    original = ExpenseClaim.save

    def save_then_fail(self, *args, **kwargs):
        original(self, *args, **kwargs)
        assert stored_files(media_root)  # the file was written...
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(ExpenseClaim, "save", save_then_fail)
    with pytest.raises(IntegrityError):
        make_claim(organisation, person, travel)
    assert stored_files(media_root) == []  # ...and removed
    assert not ExpenseClaim.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12.555", "no more than 2 numbers for the pence"),
        ("-5", "must be more than £0"),
        ("0", "must be more than £0"),
        ("twelve", "like 12.50"),
        ("", "Enter the amount in pounds and pence"),
    ],
)
def test_bad_amounts_are_refused(client_for, organisation, members, person, meals, amount, message):
    response = post_claim(
        client_for(members["partner"]), organisation, person, meals, amount=amount
    )
    assert message in response.content.decode()
    assert not ExpenseClaim.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"), [("£8.50", "8.50"), ("8.5", "8.50"), ("7", "7.00"), (" £ 0.99 ", "0.99")]
)
def test_amounts_as_people_type_them(
    client_for, organisation, members, person, meals, typed, stored
):
    post_claim(client_for(members["partner"]), organisation, person, meals, amount=typed)
    assert ExpenseClaim.objects.get().amount == Decimal(stored)


def test_over_the_limit_needs_a_reason(client_for, organisation, members, person, meals):
    client = client_for(members["partner"])
    response = post_claim(client, organisation, person, meals, amount="10.01")
    assert "Enter a reason for going over the limit" in response.content.decode()
    assert not ExpenseClaim.objects.exists()
    response = post_claim(
        client, organisation, person, meals, amount="10.01", over_limit_reason="Two meals"
    )
    assert response.status_code == 302
    assert ExpenseClaim.objects.get().over_limit


def test_exactly_the_limit_needs_no_reason(organisation, person, meals):
    assert not make_claim(organisation, person, meals, amount="10.00").over_limit


def test_a_receipt_is_needed_where_the_category_says(
    client_for, organisation, members, person, travel
):
    response = post_claim(client_for(members["partner"]), organisation, person, travel)
    assert "Upload a receipt" in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_a_partner_cannot_claim_for_someone_else(
    client_for, organisation, members, person, offline_person, meals
):
    response = post_claim(
        client_for(members["partner"]), organisation, offline_person, meals, amount="5"
    )
    assert response.status_code == 200
    # The partner is asked which of their own groups it is for; anyone else's place is refused.
    assert "Select one of the groups listed" in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_staff_claim_on_behalf_of_someone_without_an_account(
    client_for, organisation, members, offline_person, meals
):
    response = post_claim(
        client_for(members["staff"]), organisation, offline_person, meals, amount="5"
    )
    assert response.status_code == 302
    assert ExpenseClaim.objects.get().member == offline_person


# Approval


def test_nobody_approves_their_own_claim(organisation, members, group, meals):
    from withpeople.groups.models import GroupMember

    staff_in_group = GroupMember.objects.create(
        group=group, membership=members["staff"], name="Sam", perspective="carer"
    )
    claim = make_claim(organisation, staff_in_group, meals, amount="5")
    with pytest.raises(ValidationError, match="cannot approve"):
        services.expense_claim_approve(claim=claim, approver=members["staff"].user)
    services.expense_claim_approve(claim=claim, approver=members["admin"].user)
    claim.refresh_from_db()
    assert claim.status == MoneyStatus.APPROVED
    assert claim.decided_by == members["admin"].user


def test_whoever_entered_a_claim_does_not_approve_it(
    client_for, organisation, members, offline_person, meals
):
    claim = make_claim(
        organisation, offline_person, meals, amount="5", claimed_by=members["staff"].user
    )
    url = reverse(
        "recognition:claim-approve", kwargs={"org_slug": organisation.slug, "pk": claim.pk}
    )
    response = client_for(members["staff"]).post(url)
    assert response.status_code == 200
    assert "cannot approve a claim you made" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == MoneyStatus.DUE
    assert client_for(members["admin"]).post(url).status_code == 302
    claim.refresh_from_db()
    assert claim.status == MoneyStatus.APPROVED


def test_a_partner_cannot_approve(client_for, organisation, members, person, meals):
    claim = make_claim(organisation, person, meals, amount="5")
    url = reverse(
        "recognition:claim-approve", kwargs={"org_slug": organisation.slug, "pk": claim.pk}
    )
    assert client_for(members["partner"]).post(url).status_code == 403
    claim.refresh_from_db()
    assert claim.status == MoneyStatus.DUE


def test_claim_goes_due_approved_paid(client_for, organisation, members, person, meals):
    claim = make_claim(organisation, person, meals, amount="5")
    kwargs = {"org_slug": organisation.slug, "pk": claim.pk}
    staff = client_for(members["staff"])
    paid_url = reverse("recognition:claim-paid", kwargs=kwargs)
    response = staff.post(paid_url, {"paid_on": "3/3/2026"})
    assert "Only an approved claim can be marked as paid" in response.content.decode()
    staff.post(reverse("recognition:claim-approve", kwargs=kwargs))
    assert staff.post(paid_url, {"paid_on": "3/3/2026"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == MoneyStatus.PAID
    assert str(claim.paid_on) == "2026-03-03"


def test_rejecting_needs_a_reason(client_for, organisation, members, person, meals):
    claim = make_claim(organisation, person, meals, amount="5")
    url = reverse(
        "recognition:claim-reject", kwargs={"org_slug": organisation.slug, "pk": claim.pk}
    )
    staff = client_for(members["staff"])
    response = staff.post(url, {"reason": ""})
    assert "Enter the reason for rejecting the claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == MoneyStatus.DUE
    staff.post(url, {"reason": "Lunch was provided."})
    claim.refresh_from_db()
    assert claim.status == MoneyStatus.REJECTED
    assert claim.rejected_reason == "Lunch was provided."


# Receipts: served only through the view, to the person, staff and admins, and audited.


def test_receipt_is_served_to_the_person_staff_and_admins_and_audited(
    client, client_for, organisation, members, outsider, person, travel
):
    claim = make_claim(organisation, person, travel)
    url = reverse("recognition:receipt", kwargs={"org_slug": organisation.slug, "pk": claim.pk})
    for role in ("partner", "staff", "admin"):
        response = client_for(members[role]).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == receipts.TINY_PNG
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment")
    events = AuditEvent.objects.filter(action="viewed_receipt", subject_id=str(claim.pk))
    assert events.count() == 3
    assert client_for(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302
    assert events.count() == 3


def test_another_partner_gets_404_for_a_claim_and_its_receipt(
    client_for, organisation, person, travel
):
    from withpeople.organisations.models import Role
    from withpeople.testing.factories import MembershipFactory

    claim = make_claim(organisation, person, travel)
    other = MembershipFactory(organisation=organisation, role=Role.PARTNER)
    kwargs = {"org_slug": organisation.slug, "pk": claim.pk}
    client = client_for(other)
    assert client.get(reverse("recognition:claim", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("recognition:receipt", kwargs=kwargs)).status_code == 404


def test_a_claim_of_another_organisation_is_404_under_our_slug(
    client_for, organisation, members, outsider
):
    from withpeople.groups.models import Group, GroupMember

    elsewhere = outsider.organisation
    other_group = Group.objects.create(organisation=elsewhere, name="Their board")
    their_person = GroupMember.objects.create(group=other_group, name="Kim", perspective="carer")
    category = services.expense_category_save(
        organisation=elsewhere, name="Travel", limit_per_claim=None, receipt_required=True
    )
    claim = make_claim(elsewhere, their_person, category)
    for name in ("claim", "receipt", "claim-approve", "claim-reject", "claim-paid"):
        url = reverse(f"recognition:{name}", kwargs={"org_slug": organisation.slug, "pk": claim.pk})
        assert client_for(members["admin"]).get(url).status_code == 404, name


def test_claim_page_viewed_by_staff_is_audited(client_for, organisation, members, person, meals):
    claim = make_claim(organisation, person, meals, amount="5")
    url = reverse("recognition:claim", kwargs={"org_slug": organisation.slug, "pk": claim.pk})
    client_for(members["staff"]).get(url)
    assert AuditEvent.objects.filter(
        action="viewed_expense_claim", actor=members["staff"].user, subject_id=str(claim.pk)
    ).exists()


def test_deleting_a_claim_deletes_its_receipt(
    organisation, person, travel, media_root, django_capture_on_commit_callbacks
):
    claim = make_claim(organisation, person, travel)
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        person.delete()
    assert not ExpenseClaim.objects.filter(pk=claim.pk).exists()
    assert stored_files(media_root) == []


def test_staff_choose_from_a_list_when_there_are_many_people(
    client_for, organisation, members, group, meals
):
    from withpeople.groups.models import GroupMember

    for n in range(9):
        GroupMember.objects.create(group=group, name=f"Person {n}", perspective="carer")
    page = client_for(members["staff"]).get(claim_url(organisation)).content.decode()
    assert '<select name="member"' in page
    assert "Choose a person" in page
    response = post_claim(
        client_for(members["staff"]), organisation, group.members.first(), meals, amount="2"
    )
    assert response.status_code == 302


def test_a_person_in_two_groups_is_asked_which_group_the_expense_is_for(
    client_for, organisation, members, person, travel
):
    from bs4 import BeautifulSoup

    from withpeople.groups.models import Group, GroupMember

    board = Group.objects.create(organisation=organisation, name="Adult social care board")
    second = GroupMember.objects.create(
        group=board, membership=members["partner"], name=person.name, perspective="carer"
    )
    page = client_for(members["partner"]).get(claim_url(organisation))
    html = BeautifulSoup(page.content, "html.parser")
    legend = html.select_one("fieldset:has(input[name=member]) legend").get_text(strip=True)
    assert legend == "Which group is this expense for?"
    choices = [label.get_text(strip=True) for label in html.select("label[for^=id_member_]")]
    assert choices == ["Adult social care board", "Carers' board"]
    assert "Who is claiming?" not in page.content.decode()
    # No group chosen: the error says what to do in the same words.
    response = post_claim(
        client_for(members["partner"]), organisation, person, travel, member="", receipt=png()
    )
    assert "Select which group this expense is for" in response.content.decode()
    # The claim is for the group chosen.
    post_claim(client_for(members["partner"]), organisation, second, travel, receipt=png())
    assert ExpenseClaim.objects.get().member == second
    # Someone else's place in a group is still refused.
    robin = GroupMember.objects.create(group=board, name="Robin", perspective="carer")
    response = post_claim(
        client_for(members["partner"]), organisation, robin, travel, receipt=png()
    )
    assert response.status_code == 200
    assert "Select one of the groups listed" in response.content.decode()
    assert ExpenseClaim.objects.count() == 1


def test_staff_see_each_person_with_their_group(client_for, organisation, members, person, travel):
    from bs4 import BeautifulSoup

    from withpeople.groups.models import Group, GroupMember

    board = Group.objects.create(organisation=organisation, name="Adult social care board")
    GroupMember.objects.create(
        group=board, membership=members["partner"], name=person.name, perspective="carer"
    )
    html = BeautifulSoup(
        client_for(members["staff"]).get(claim_url(organisation)).content, "html.parser"
    )
    legend = html.select_one("fieldset:has(input[name=member]) legend").get_text(strip=True)
    assert legend == "Who is claiming?"
    choices = [label.get_text(strip=True) for label in html.select("label[for^=id_member_]")]
    assert f"{person.name} — Adult social care board" in choices
    assert f"{person.name} — Carers' board" in choices
