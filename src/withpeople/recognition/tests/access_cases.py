from withpeople.testing.access import ADMINS, API_MEMBERS, MEMBERS, STAFF, Case, org


def fixtures(ctx) -> dict:
    """A group member for the partner, with a time record, a payment and a claim with a receipt."""
    if "recognition" in ctx.extra:
        return ctx.extra["recognition"]
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from withpeople.groups.models import Group, GroupMember
    from withpeople.recognition import receipts, services

    organisation = ctx.organisation
    group = Group.objects.create(organisation=organisation, name="Carers' board")
    member = GroupMember.objects.create(
        group=group,
        membership=ctx.members["partner"],
        name=ctx.members["partner"].user.name,
        perspective="carer",
    )
    services.policy_update(organisation=organisation, updated_by=None, hourly_rate=Decimal("15.00"))
    category = services.expense_category_save(
        organisation=organisation,
        name="Travel",
        limit_per_claim=Decimal("30.00"),
        receipt_required=True,
    )
    record = services.time_record_create(
        organisation=organisation, member=member, date=datetime.date(2026, 3, 2), minutes=90
    )
    payment = services.payment_create(
        organisation=organisation,
        member=member,
        time_records=[record],
        method="bank_transfer",
    )
    claim = services.expense_claim_create(
        organisation=organisation,
        member=member,
        category=category,
        date=datetime.date(2026, 3, 2),
        description="Bus fare",
        amount=Decimal("4.80"),
        receipt=SimpleUploadedFile("bus.png", receipts.TINY_PNG),
        claimed_by=ctx.members["partner"].user,
    )
    ctx.extra["recognition"] = {
        "group": group,
        "member": member,
        "category": category,
        "record": record,
        "payment": payment,
        "claim": claim,
    }
    return ctx.extra["recognition"]


def _pk(name):
    def kwargs(ctx):
        return org(ctx) | {"pk": fixtures(ctx)[name].pk}

    return kwargs


#: About one partner (the walk's `member`): them, staff and admins; another partner finds nothing.
THE_PERSON = MEMBERS | {"partner_lead": 404}

CASES = {
    # Partners land on their own page; staff and admins on everyone's.
    "recognition:home": Case(MEMBERS, kwargs=org),
    "recognition:mine": Case(MEMBERS, kwargs=org),
    # The policy is open to every member: equal seats.
    "recognition:policy": Case(MEMBERS, kwargs=org),
    "recognition:policy-edit": Case(ADMINS, kwargs=org),
    "recognition:category-add": Case(ADMINS, kwargs=org),
    "recognition:category-edit": Case(ADMINS, kwargs=_pk("category")),
    "recognition:person": Case(STAFF, kwargs=_pk("member")),
    # The partner's own preference; another partner's gives 404 (tested in the app too).
    "recognition:preference": Case(THE_PERSON, kwargs=_pk("member")),
    "recognition:payment-add": Case(STAFF, kwargs=_pk("member")),
    "recognition:time-add": Case(MEMBERS, kwargs=org),
    "recognition:time-thanks": Case(STAFF, kwargs=_pk("record")),
    # Confirming time proposed from a meeting: the person, staff and admins.
    "recognition:time-confirm": Case(THE_PERSON, kwargs=_pk("record")),
    "recognition:payment-approve": Case(STAFF, kwargs=_pk("payment")),
    "recognition:payment-paid": Case(STAFF, kwargs=_pk("payment")),
    "recognition:claim-add": Case(MEMBERS, kwargs=org),
    # The partner's own claim and receipt: the person, staff and admins.
    "recognition:claim": Case(THE_PERSON, kwargs=_pk("claim")),
    "recognition:receipt": Case(THE_PERSON, kwargs=_pk("claim")),
    "recognition:claim-approve": Case(STAFF, kwargs=_pk("claim")),
    "recognition:claim-reject": Case(STAFF, kwargs=_pk("claim")),
    "recognition:claim-paid": Case(STAFF, kwargs=_pk("claim")),
    "recognition:export": Case(STAFF, kwargs=org),
}

CASES |= {
    "api:recognition_policy": Case(API_MEMBERS, kwargs=lambda ctx: {"slug": ctx.organisation.slug}),
    "api:my_time_and_payments": Case(
        API_MEMBERS, kwargs=lambda ctx: {"slug": ctx.organisation.slug}
    ),
}
