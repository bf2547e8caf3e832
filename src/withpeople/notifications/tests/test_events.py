"""The events that tell people: each calls notify() in its own transaction, to the right people."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from withpeople.groups.models import AccessNeeds, GroupMember
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _told(kind) -> dict[str, str]:
    """email -> subject of each notification of this kind."""
    return dict(Notification.objects.filter(kind=kind).values_list("email", "subject"))


@pytest.fixture
def work(organisation, members):
    from withpeople.works.services import work_create, work_member_add

    work = work_create(
        organisation=organisation,
        title="Carers' strategy",
        level="strategic",
        leads=[members["staff"]],
    )
    work_member_add(work=work, name="Pat", perspective="carer", membership=members["partner"])
    GroupMember.objects.create(
        group=work.group, name="Robin", perspective="lived_experience", contact="robin@example.org"
    )
    return work


def test_a_check_in_round_opened_tells_the_group_in_the_wording_each_needs(work, members):
    from withpeople.works.services import checkin_round_open

    AccessNeeds.objects.create(
        organisation=work.organisation, membership=members["partner"], easy_read=True
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        checkin_round_open(work=work, name="Spring")
    told = _told(NotificationKind.CHECKIN_ROUND_OPENED)
    assert set(told) == {members["partner"].user.email, "robin@example.org"} | (
        {members["staff"].user.email}
        if work.group.members.filter(membership=members["staff"]).exists()
        else set()
    )
    easy = mail.outbox[[m.to[0] for m in mail.outbox].index(members["partner"].user.email)]
    assert "Nobody will know what you said." in easy.body
    assert f"/o/example/works/{work.pk}/check-in/" in easy.body


def test_telling_the_group_the_outcome_records_when_partners_were_told(work, client_for, members):
    from withpeople.works.services import decision_save

    decision = decision_save(
        work=work,
        aspect=work.aspects.first(),
        date=timezone.localdate() - dt.timedelta(days=3),
        summary="We fund a carers' café",
        decided_by="jointly",
    )
    url = f"/o/example/works/{work.pk}/decisions/{decision.pk}/tell-the-group/"
    assert client_for(members["partner"]).post(url).status_code == 403
    assert not Notification.objects.exists()
    lead = client_for(members["staff"])
    assert "Tell the group the outcome" in lead.get(url).text
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = lead.post(url)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.feedback_given_on == timezone.localdate()
    assert decision.history.first().history_change_reason == "Told the group the outcome"
    told = _told(NotificationKind.DECISION_OUTCOME)
    assert members["partner"].user.email in told and "robin@example.org" in told
    assert told["robin@example.org"].startswith("What was decided: We fund a carers")
    # Again: nobody is told twice, and the date stays.
    sent = len(mail.outbox)
    lead.post(url)
    assert len(mail.outbox) == sent


def test_a_new_agreement_version_asks_the_others_to_agree(work, members):
    from withpeople.groups.services import agreement_version_create

    sections = {
        "meaning": "m",
        "aims": "a",
        "ways_of_working": "w",
        "decisions_shared": "d",
        "support": "s",
        "review_on": timezone.localdate() + dt.timedelta(days=90),
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        agreement_version_create(group=work.group, author=members["staff"], **sections)
    told = _told(NotificationKind.AGREEMENT_VERSION_WAITING)
    assert members["partner"].user.email in told and "robin@example.org" in told
    assert members["staff"].user.email not in told  # who wrote it


def test_claims_decided_and_paid_tell_the_person(organisation, members):
    from withpeople.groups.models import Group
    from withpeople.recognition import services

    group = Group.objects.create(organisation=organisation, name="Board")
    person = GroupMember.objects.create(
        group=group, membership=members["partner"], name="Pat", perspective="carer"
    )
    meals = services.expense_category_save(
        organisation=organisation,
        name="Meals",
        limit_per_claim=Decimal("10"),
        receipt_required=False,
    )

    def claim():
        return services.expense_claim_create(
            organisation=organisation,
            member=person,
            category=meals,
            date=timezone.localdate(),
            description="Lunch",
            amount=Decimal("5.50"),
            claimed_by=None,
            receipt=None,
        )

    with TestCase.captureOnCommitCallbacks(execute=True):
        approved = services.expense_claim_approve(claim=claim(), approver=members["staff"].user)
        services.expense_claim_reject(
            claim=claim(), approver=members["staff"].user, reason="It was not on the day."
        )
        services.expense_claim_mark_paid(claim=approved, paid_on=timezone.localdate())
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "You have been paid £5.50",
        "Your expense claim was approved",
        "Your expense claim was not approved",
    ]
    refused = next(m for m in mail.outbox if "not approved" in m.subject)
    assert "The reason: It was not on the day." in refused.body
    assert "List-Unsubscribe-Post" not in refused.extra_headers  # always sent


def test_actions_given_and_overdue_tell_their_owners_once(organisation, members):
    from withpeople.feedback.tests.helpers import make_cycle
    from withpeople.improvement.services import action_create, actions_overdue_notify

    cycle = make_cycle(organisation)
    fields = {
        "title": "Answer the phone",
        "description": "",
        "statements": [],
        "stories": [],
        "owners": [members["staff"]],
        "due_on": timezone.localdate() - dt.timedelta(days=1),
        "status": "planned",
        "explanation": "",
        "published": False,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        action_create(cycle=cycle, **fields)
    assert _told(NotificationKind.ACTION_GIVEN) == {
        members["staff"].user.email: "An action for you: Answer the phone"
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert actions_overdue_notify(today=timezone.localdate()) == 1
        assert actions_overdue_notify(today=timezone.localdate()) == 0
    assert list(_told(NotificationKind.ACTION_OVERDUE)) == [members["staff"].user.email]


def test_review_cycles_opened_and_closing_tell_the_members(organisation, members, outsider):
    from withpeople.feedback.models import CycleStatus
    from withpeople.feedback.services import cycle_set_status, cycles_closing_notify
    from withpeople.feedback.tests.helpers import make_cycle

    cycle = make_cycle(
        organisation, status=CycleStatus.DRAFT, ends_on=timezone.localdate() + dt.timedelta(days=5)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        cycle_set_status(cycle=cycle, status=CycleStatus.OPEN)
        assert cycles_closing_notify(today=timezone.localdate()) == 3
        assert cycles_closing_notify(today=timezone.localdate()) == 0
    opened = _told(NotificationKind.REVIEW_CYCLE_OPENED)
    assert set(opened) == {m.user.email for m in members.values()}
    assert outsider.user.email not in opened
    assert len(_told(NotificationKind.REVIEW_CYCLE_CLOSING)) == 3


def test_an_admin_resetting_a_second_factor_tells_its_owner(members):
    from withpeople.accounts.second_factor import code_for, new_key, second_factor_set_up
    from withpeople.security.services import second_factor_reset

    user = members["staff"].user
    key = new_key()
    second_factor_set_up(user=user, key=key, code=code_for(key))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert second_factor_reset(membership=members["staff"], actor=members["admin"].user)
    (message,) = mail.outbox
    assert message.to == [user.email] and message.subject == "Your second factor was reset"
    assert members["admin"].user.name in message.body


def test_an_unreachable_mail_server_does_not_break_the_page_and_loses_nothing(
    organisation, members, client_for, settings
):
    from withpeople.groups.models import Group
    from withpeople.notifications.models import EmailStatus, OutgoingEmail
    from withpeople.recognition import services

    settings.EMAIL_BACKEND = "withpeople.notifications.tests.test_notify.Refusing"
    group = Group.objects.create(organisation=organisation, name="Board")
    person = GroupMember.objects.create(
        group=group, membership=members["partner"], name="Pat", perspective="carer"
    )
    meals = services.expense_category_save(
        organisation=organisation,
        name="Meals",
        limit_per_claim=Decimal("10"),
        receipt_required=False,
    )
    claim = services.expense_claim_create(
        organisation=organisation,
        member=person,
        category=meals,
        date=timezone.localdate(),
        description="Lunch",
        amount=Decimal("5.50"),
        claimed_by=None,
        receipt=None,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(members["staff"]).post(
            f"/o/example/time-and-payments/claims/{claim.pk}/approve/"
        )
    assert response.status_code == 302
    waiting = OutgoingEmail.objects.get()
    assert (waiting.status, waiting.to_email) == (EmailStatus.QUEUED, members["partner"].user.email)
    assert "SMTPServerDisconnected" in waiting.last_error
