"""Writes for recognition. Each is one transaction and calls full_clean() before saving.

Receipt files: a claim's receipt is checked (type by its first bytes, size) before anything is
stored; if saving the claim fails after the file was written, the file is deleted, so a refused
claim never leaves an orphan file behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.domain import money
from withpeople.groups.models import GroupMember
from withpeople.groups.notify import recipients_of_members
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import notify, site_url
from withpeople.organisations.models import Organisation
from withpeople.recognition import receipts
from withpeople.recognition.models import (
    ExpenseCategory,
    ExpenseClaim,
    MoneyStatus,
    Payment,
    PaymentMethod,
    Preference,
    RecognitionPolicy,
    RecognitionPreference,
    TimeRecord,
    TimeStatus,
)
from withpeople.works.models import Activity

POLICY_FIELDS = (
    "hourly_rate",
    "half_day_rate",
    "day_rate",
    "voucher_provider",
    "voucher_value_per_hour",
    "voucher_value_per_session",
    "benefits_advice_text",
    "benefits_advice_url",
)

RECEIPT_MESSAGES = {
    receipts.TOO_BIG: gettext_lazy("The receipt must be smaller than 5 MB"),
    receipts.EMPTY: gettext_lazy("The receipt file is empty. Choose the file again"),
    receipts.WRONG_TYPE: gettext_lazy("The receipt must be a PDF, PNG or JPEG file"),
}


def policy_for(organisation: Organisation) -> RecognitionPolicy:
    """The organisation's policy, unsaved and empty if it has none yet."""
    return RecognitionPolicy.objects.filter(organisation=organisation).first() or (
        RecognitionPolicy(organisation=organisation, version=0)
    )


@transaction.atomic
def policy_update(*, organisation: Organisation, updated_by, **fields) -> RecognitionPolicy:
    policy = RecognitionPolicy.objects.select_for_update().filter(
        organisation=organisation
    ).first() or RecognitionPolicy(organisation=organisation, version=0)
    for name in POLICY_FIELDS:
        if name in fields:
            setattr(policy, name, fields[name])
    policy.version += 1
    policy.updated_by = updated_by
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def expense_category_save(
    *,
    organisation: Organisation,
    name: str,
    limit_per_claim: Decimal | None,
    receipt_required: bool,
    category: ExpenseCategory | None = None,
) -> ExpenseCategory:
    category = category or ExpenseCategory(organisation=organisation)
    if category.organisation_id != organisation.pk:
        raise ValidationError(_("Choose one of your organisation's categories."))
    duplicate = (
        ExpenseCategory.objects.for_organisation(organisation)
        .filter(name__iexact=name.strip())
        .exclude(pk=category.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError({"name": _("There is already a category with this name.")})
    category.name = name.strip()
    category.limit_per_claim = limit_per_claim
    category.receipt_required = receipt_required
    if category.pk is None:
        category.position = ExpenseCategory.objects.for_organisation(organisation).count()
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def time_record_create(
    *,
    organisation: Organisation,
    member: GroupMember,
    date: datetime.date,
    minutes: int,
    description: str = "",
    activity: Activity | None = None,
    recorded_by=None,
    status: str = TimeStatus.CONFIRMED,
) -> TimeRecord:
    """Record time given. Time proposed for someone (`TimeStatus.PROPOSED`, from a meeting's
    attendance) waits for them to confirm or change it."""
    record = TimeRecord(
        status=status,
        organisation=organisation,
        member=member,
        activity=activity,
        date=date,
        minutes=minutes,
        description=description,
        recorded_by=recorded_by,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def time_record_confirm(*, time_record: TimeRecord, minutes: int) -> TimeRecord:
    """The person confirms time proposed for them, as it was or with the minutes changed."""
    time_record.minutes = minutes
    time_record.status = TimeStatus.CONFIRMED
    time_record.full_clean()
    time_record.save(update_fields=["minutes", "status"])
    return time_record


@transaction.atomic
def time_record_thank(
    *, time_record: TimeRecord, thanked_on: datetime.date | None = None
) -> TimeRecord:
    time_record.thanked_on = thanked_on or timezone.localdate()
    time_record.full_clean()
    time_record.save(update_fields=["thanked_on"])
    return time_record


@transaction.atomic
def preference_set(
    *,
    member: GroupMember,
    choice: str,
    payment_details: str = "",
    notes: str = "",
    benefits_note_seen: bool = False,
    recorded_by=None,
) -> RecognitionPreference:
    if choice in (Preference.PAYMENT, Preference.VOUCHERS) and not benefits_note_seen:
        raise ValidationError(
            {
                "benefits_note_seen": _(
                    "Confirm that you have read the note about payments and benefits"
                )
            }
        )
    preference = RecognitionPreference.objects.filter(member=member).first() or (
        RecognitionPreference(member=member)
    )
    preference.choice = choice
    preference.payment_details = payment_details
    preference.notes = notes
    preference.benefits_note_seen = benefits_note_seen
    preference.recorded_by = recorded_by
    preference.full_clean()
    preference.save()
    return preference


def amount_for_time(
    *, policy: RecognitionPolicy, time_records: Sequence[TimeRecord], method: str
) -> Decimal:
    """What the policy pays for these time records: each record by the rule, summed exactly."""
    if method == PaymentMethod.VOUCHER:
        if policy.voucher_value_per_hour is None and policy.voucher_value_per_session is None:
            raise ValidationError(
                {
                    "amount": _(
                        "The recognition policy has no voucher value. Enter the amount, or "
                        "ask an admin to set the voucher value in the policy."
                    )
                }
            )
        return money.total(
            money.voucher_value_for_minutes(
                record.minutes,
                per_hour=policy.voucher_value_per_hour,
                per_session=policy.voucher_value_per_session,
            )
            for record in time_records
        )
    if policy.hourly_rate is None:
        raise ValidationError(
            {
                "amount": _(
                    "The recognition policy has no hourly rate. Enter the amount, or ask an "
                    "admin to set the rates in the policy."
                )
            }
        )
    return money.total(
        money.payment_for_minutes(
            record.minutes,
            hourly=policy.hourly_rate,
            half_day=policy.half_day_rate,
            day=policy.day_rate,
        )
        for record in time_records
    )


def _policy_amount(
    *, policy: RecognitionPolicy, time_records: Sequence[TimeRecord], method: str
) -> Decimal | None:
    """What the policy gives for this time, or None when it gives nothing to go by."""
    if not time_records:
        return None
    try:
        return amount_for_time(policy=policy, time_records=time_records, method=method)
    except ValidationError:
        return None  # the policy has no rate for this method


@transaction.atomic
def payment_create(
    *,
    organisation: Organisation,
    member: GroupMember,
    time_records: Sequence[TimeRecord],
    method: str,
    amount: Decimal | None = None,
    over_policy_reason: str = "",
    date: datetime.date | None = None,
    notes: str = "",
    created_by=None,
) -> Payment:
    """A payment (status due) for some of a person's time records not yet paid.

    Without an amount, the policy's rates give it. An amount typed in stays within the policy's
    limits: more than the policy gives for the time chosen (or any amount with no time chosen,
    or when the policy has no rate to go by) needs a reason, which the approver sees.
    """
    ids = [record.pk for record in time_records]
    records = list(
        TimeRecord.objects.for_organisation(organisation)
        .select_for_update()
        .filter(pk__in=ids, member=member, payment__isnull=True)
    )
    if len(records) != len(set(ids)):
        raise ValidationError(
            {"time_records": _("Choose only this person's time that has not been paid yet.")}
        )
    if not records and amount is None:
        raise ValidationError(
            {"time_records": _("Choose the time this payment is for, or enter an amount.")}
        )
    if member.group.organisation_id != organisation.pk:
        raise ValidationError(_("Choose someone in one of your groups."))
    policy = policy_for(organisation)
    over_policy_reason = over_policy_reason.strip()
    if amount is None:
        amount = amount_for_time(policy=policy, time_records=records, method=method)
        over_policy_reason = ""
    else:
        amount = money.as_money(amount)
        if amount <= money.ZERO:
            raise ValidationError({"amount": _("The amount must be more than £0")})
        allowed = _policy_amount(policy=policy, time_records=records, method=method)
        if allowed is not None and amount <= allowed:
            over_policy_reason = ""
        elif not over_policy_reason:
            raise ValidationError(
                {
                    "over_policy_reason": (
                        _(
                            "The policy gives %(allowed)s for the time chosen. Enter a reason "
                            "for paying more, or enter a smaller amount."
                        )
                        % {"allowed": f"£{allowed:,.2f}"}
                        if allowed is not None
                        else _(
                            "There is no time chosen, or no rate in the policy, to check the "
                            "amount against. Enter the reason for this amount."
                        )
                    )
                }
            )
    payment = Payment(
        organisation=organisation,
        member=member,
        amount=amount,
        method=method,
        date=date or timezone.localdate(),
        notes=notes,
        over_policy_reason=over_policy_reason,
        created_by=created_by,
        policy_version=policy.version or None,
    )
    payment.full_clean()
    payment.save()
    TimeRecord.objects.filter(pk__in=[r.pk for r in records]).update(payment=payment)
    return payment


def _is_own(member: GroupMember, user) -> bool:
    return member.membership_id is not None and member.membership.user_id == user.pk


@transaction.atomic
def payment_approve(*, payment: Payment, approver) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if _is_own(payment.member, approver) or payment.created_by_id == approver.pk:
        raise ValidationError(
            _("You cannot approve a payment you recorded or that is for you. Ask a colleague.")
        )
    if payment.status != MoneyStatus.DUE:
        raise ValidationError(_("Only a payment that is due can be approved."))
    payment.status = MoneyStatus.APPROVED
    payment.approved_by = approver
    payment.approved_at = timezone.now()
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def payment_mark_paid(*, payment: Payment, paid_on: datetime.date) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != MoneyStatus.APPROVED:
        raise ValidationError(_("Only an approved payment can be marked as paid."))
    payment.status = MoneyStatus.PAID
    payment.paid_on = paid_on
    payment.full_clean()
    payment.save()
    _tell_paid(
        member=payment.member,
        key=f"payment-{payment.pk}-paid",
        amount=payment.amount,
        paid_on=payment.paid_on,
        description=_("your time"),
    )
    return payment


def _money_url(member: GroupMember, name: str = "recognition:home", **kwargs) -> str:
    organisation = member.group.organisation
    return site_url(reverse(name, kwargs={"org_slug": organisation.slug, **kwargs}))


def _tell_paid(*, member: GroupMember, key: str, amount, paid_on, description: str) -> None:
    notify(
        kind=NotificationKind.PAYMENT_PAID,
        organisation=member.group.organisation,
        recipients=recipients_of_members([member]),
        template="recognition/notifications/paid",
        context={"amount": f"£{amount:,.2f}", "paid_on": paid_on, "description": description},
        url=_money_url(member),
        key=key,
    )


def _tell_claim_decided(claim: ExpenseClaim) -> None:
    approved = claim.status == MoneyStatus.APPROVED
    notify(
        kind=NotificationKind.CLAIM_DECIDED,
        organisation=claim.member.group.organisation,
        recipients=recipients_of_members([claim.member]),
        template="recognition/notifications/claim_decided",
        context={
            "approved": approved,
            "amount": f"£{claim.amount:,.2f}",
            "description": claim.description,
            "reason": claim.rejected_reason,
        },
        url=_money_url(claim.member, "recognition:claim", pk=claim.pk),
        key=f"claim-{claim.pk}-{claim.status}",
    )


def _receipt_error(code: str) -> ValidationError:
    return ValidationError({"receipt": RECEIPT_MESSAGES[code]})


def expense_claim_create(
    *,
    organisation: Organisation,
    member: GroupMember,
    category: ExpenseCategory,
    date: datetime.date,
    description: str,
    amount: Decimal,
    over_limit_reason: str = "",
    receipt=None,
    claimed_by=None,
) -> ExpenseClaim:
    """Claim an expense. The receipt is checked before anything is stored; a claim that fails
    after its file was written has the file deleted."""
    claim = ExpenseClaim(
        organisation=organisation,
        member=member,
        category=category,
        date=date,
        description=description,
        amount=money.as_money(amount),
        over_limit_reason=over_limit_reason,
        claimed_by=claimed_by,
    )
    if receipt is not None:
        try:
            kind = receipts.sniff_upload(receipt)
        except receipts.ReceiptError as error:
            raise _receipt_error(error.code) from None
        # The stored name takes the extension of what the file really is.
        receipt.name = f"receipt.{kind.extension}"
        claim.receipt = receipt
        claim.receipt_content_type = kind.content_type
    # Validate everything before the file is written: full_clean does not store files.
    claim.full_clean()
    try:
        with transaction.atomic():
            claim.save()
    except BaseException:
        _delete_receipt_file(claim)
        raise
    return claim


def _delete_receipt_file(claim: ExpenseClaim) -> None:
    if claim.receipt and claim.receipt.name and claim.receipt.storage.exists(claim.receipt.name):
        claim.receipt.storage.delete(claim.receipt.name)


@transaction.atomic
def expense_claim_approve(*, claim: ExpenseClaim, approver) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if _is_own(claim.member, approver) or claim.claimed_by_id == approver.pk:
        raise ValidationError(
            _("You cannot approve a claim you made or that is for you. Ask a colleague.")
        )
    if claim.status != MoneyStatus.DUE:
        raise ValidationError(_("Only a claim that is due can be approved."))
    claim.status = MoneyStatus.APPROVED
    claim.decided_by = approver
    claim.decided_at = timezone.now()
    claim.full_clean()
    claim.save()
    _tell_claim_decided(claim)
    return claim


@transaction.atomic
def expense_claim_reject(*, claim: ExpenseClaim, approver, reason: str) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if _is_own(claim.member, approver) or claim.claimed_by_id == approver.pk:
        raise ValidationError(
            _("You cannot reject a claim you made or that is for you. Ask a colleague.")
        )
    if claim.status != MoneyStatus.DUE:
        raise ValidationError(_("Only a claim that is due can be rejected."))
    claim.status = MoneyStatus.REJECTED
    claim.rejected_reason = reason
    claim.decided_by = approver
    claim.decided_at = timezone.now()
    claim.full_clean()
    claim.save()
    _tell_claim_decided(claim)
    return claim


@transaction.atomic
def expense_claim_mark_paid(*, claim: ExpenseClaim, paid_on: datetime.date) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != MoneyStatus.APPROVED:
        raise ValidationError(_("Only an approved claim can be marked as paid."))
    claim.status = MoneyStatus.PAID
    claim.paid_on = paid_on
    claim.full_clean()
    claim.save()
    _tell_paid(
        member=claim.member,
        key=f"claim-{claim.pk}-paid",
        amount=claim.amount,
        paid_on=claim.paid_on,
        description=claim.description,
    )
    return claim


@transaction.atomic
def recognition_erase_member(*, member: GroupMember) -> dict[str, int]:
    """Remove a person's personal details from recognition, keeping the aggregate facts.

    Removed: bank or payment details and notes on their preference, descriptions of their time,
    claims and payments, reasons written about them, and their receipt files (deleted from
    storage once the transaction commits). Kept: amounts, minutes, dates, categories, methods
    and statuses, so the organisation's totals and the share of time recognised still add up.
    Returns how many records of each kind were changed.
    """
    preferences = RecognitionPreference.objects.filter(member=member).update(
        payment_details="", notes=""
    )
    time_records = TimeRecord.objects.filter(member=member).update(description="")
    payments = Payment.objects.filter(member=member).update(notes="", over_policy_reason="")
    claims = list(ExpenseClaim.objects.filter(member=member))
    files = [claim.receipt.name for claim in claims if claim.receipt]
    ExpenseClaim.objects.filter(member=member).update(
        description="",
        over_limit_reason="",
        rejected_reason="",
        receipt="",
        receipt_content_type="",
    )
    if files:
        storage = ExpenseClaim._meta.get_field("receipt").storage

        def delete_files() -> None:
            for name in files:
                if storage.exists(name):
                    storage.delete(name)

        transaction.on_commit(delete_files)
    return {
        "preferences": preferences,
        "time_records": time_records,
        "payments": payments,
        "expense_claims": len(claims),
        "receipt_files": len(files),
    }


@transaction.atomic
def recognition_forget_user(*, organisation: Organisation, user) -> int:
    """Unlink an erased person's account from this organisation's recognition records.

    Who recorded time, set a preference, created, approved or decided a payment or claim, or
    changed the policy: after erasure these say nobody (pages show "a former member"), so the
    records no longer point to an account that may live on in another organisation. The
    records themselves, and their amounts and dates, stay. Returns how many links were removed.
    """
    links = (
        (RecognitionPolicy.objects.filter(organisation=organisation), "updated_by"),
        (TimeRecord.objects.for_organisation(organisation), "recorded_by"),
        (RecognitionPreference.objects.for_organisation(organisation), "recorded_by"),
        (Payment.objects.for_organisation(organisation), "created_by"),
        (Payment.objects.for_organisation(organisation), "approved_by"),
        (ExpenseClaim.objects.for_organisation(organisation), "claimed_by"),
        (ExpenseClaim.objects.for_organisation(organisation), "decided_by"),
    )
    return sum(
        queryset.filter(**{field: user}).update(**{field: None}) for queryset, field in links
    )


@transaction.atomic
def recognition_apply_retention(
    *, organisation: Organisation, older_than: datetime.date, dry_run: bool = False
) -> int:
    """Delete the receipt files of closed claims (paid or rejected) dated before `older_than`.

    The claims themselves stay (amounts, dates, categories), as in `recognition_erase_member`;
    receipts of claims still due or approved are kept until they are settled. Returns how many
    receipts were (or, with `dry_run`, would be) deleted. Called by the privacy app's retention.
    """
    claims = (
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(date__lt=older_than, status__in=[MoneyStatus.PAID, MoneyStatus.REJECTED])
        .exclude(receipt="")
    )
    files = list(claims.values_list("receipt", flat=True))
    if dry_run or not files:
        return len(files)
    claims.update(receipt="", receipt_content_type="")
    storage = ExpenseClaim._meta.get_field("receipt").storage

    def delete_files() -> None:
        for name in files:
            if storage.exists(name):
                storage.delete(name)

    transaction.on_commit(delete_files)
    return len(files)


# --- Looking at payments, claims and preferences, which the audit log records -------------------


def payments_viewed(*, organisation: Organisation, actor, subject=None, detail: str = "") -> None:
    """Someone looked at payments or time: the organisation's, a person's, or one payment."""
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.VIEWED_PAYMENTS,
        subject=subject,
        detail=detail,
    )


def recognition_preference_viewed(*, organisation: Organisation, actor, member) -> None:
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.VIEWED_RECOGNITION_PREFERENCE,
        subject=member,
    )


def expense_claim_viewed(*, organisation: Organisation, actor, claim, detail: str = "") -> None:
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.VIEWED_EXPENSE_CLAIM,
        subject=claim,
        detail=detail,
    )


def receipt_viewed(*, organisation: Organisation, actor, claim) -> None:
    audit_record(
        organisation=organisation, actor=actor, action=AuditEventKind.VIEWED_RECEIPT, subject=claim
    )
