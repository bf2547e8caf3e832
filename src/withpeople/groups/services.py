"""Writes to groups, their members, working agreements and access needs. Each is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.groups.models import (
    AGREEMENT_SECTIONS,
    NEED_FIELDS,
    AccessNeeds,
    AgreementConsent,
    AgreementVersion,
    Group,
    GroupKind,
    GroupMember,
    WorkingAgreement,
)
from withpeople.groups.selectors import former_member_name
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import notify, site_url
from withpeople.organisations.models import Membership, Organisation

#: Everything an agreement version holds besides its number and author.
AGREEMENT_FIELDS: tuple[str, ...] = (
    *(field for field, _label in AGREEMENT_SECTIONS),
    "review_on",
)
NEED_DETAIL_FIELDS: tuple[str, ...] = (
    "interpreter_language",
    "meeting_times_detail",
    "other_detail",
)


# --- Groups --------------------------------------------------------------------------------------


@transaction.atomic
def group_create(*, organisation: Organisation, name: str, purpose: str = "") -> Group:
    """A standing group, such as a co-production board. Groups of work come with the work."""
    group = Group(organisation=organisation, name=name, purpose=purpose, kind=GroupKind.STANDING)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_change(*, group: Group, name: str, purpose: str) -> Group:
    group.name = name
    group.purpose = purpose
    group.full_clean()
    group.save(update_fields=["name", "purpose"])
    return group


def _check_membership(group: Group, membership: Membership | None, member_pk=None) -> None:
    if membership is None:
        return
    if membership.organisation_id != group.organisation_id:
        raise ValidationError({"membership": _("Choose someone from this organisation.")})
    clash = group.members.filter(membership=membership).exclude(pk=member_pk)
    if clash.exists():
        raise ValidationError(
            {
                "membership": _(
                    "This person is already in the group. Choose someone else, or change "
                    "their existing place in the group."
                )
            }
        )


#: Called with a group's id after a change to its members, in the same transaction. Apps whose
#: stored figures read the members register here from `AppConfig.ready()` (pieces of work keep
#: their assessment, which reads who took part, from which perspective, and who chairs).
_members_changed_hooks: list[Callable[[int], None]] = []


def on_members_changed(hook: Callable[[int], None]) -> None:
    """Register `hook(group_id)` to run whenever the members of a group change."""
    if hook not in _members_changed_hooks:
        _members_changed_hooks.append(hook)


def _members_changed(group_id: int) -> None:
    for hook in _members_changed_hooks:
        hook(group_id)


@transaction.atomic
def group_member_add(
    *,
    group: Group,
    perspective: str,
    role: str,
    joined_on: dt.date,
    membership: Membership | None = None,
    name: str = "",
    contact: str = "",
) -> GroupMember:
    """Add someone to a group: an organisation member, or someone without an account.

    For an organisation member the name defaults to the name on their account. For someone
    without an account we keep only a name or pseudonym and a way to reach them.
    """
    _check_membership(group, membership)
    name = name.strip()
    if membership is not None and not name:
        name = membership.user.name
    if membership is None and not name:
        raise ValidationError({"name": _("Enter the name or pseudonym the group knows them by")})
    member = GroupMember(
        group=group,
        membership=membership,
        name=name,
        contact="" if membership is not None else contact.strip(),
        perspective=perspective,
        role=role,
        joined_on=joined_on,
    )
    member.full_clean()
    member.save()
    _members_changed(group.pk)
    return member


@transaction.atomic
def group_member_change(
    *,
    member: GroupMember,
    name: str,
    contact: str,
    perspective: str,
    role: str,
    joined_on: dt.date,
) -> GroupMember:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the name or pseudonym the group knows them by")})
    if member.left_on and joined_on > member.left_on:
        raise ValidationError(
            {"joined_on": _("The date they joined must be on or before the date they left.")}
        )
    member.name = name
    member.contact = "" if member.membership_id else contact.strip()
    member.perspective = perspective
    member.role = role
    member.joined_on = joined_on
    member.full_clean()
    member.save(update_fields=["name", "contact", "perspective", "role", "joined_on"])
    _members_changed(member.group_id)
    return member


@transaction.atomic
def group_member_end(*, member: GroupMember, left_on: dt.date) -> GroupMember:
    """End someone's time in a group. They stay in its history: nothing is deleted."""
    if member.left_on is not None:
        raise ValidationError(
            {"left_on": _("%(name)s has already left this group.") % {"name": member.name}}
        )
    if left_on < member.joined_on:
        raise ValidationError(
            {
                "left_on": _(
                    "The date they left must be on or after the date they joined, %(date)s."
                )
                % {"date": date_format(member.joined_on, "j F Y")}
            }
        )
    member.left_on = left_on
    member.full_clean()
    member.save(update_fields=["left_on"])
    _members_changed(member.group_id)
    return member


# --- Working agreements --------------------------------------------------------------------------


def latest_version(group: Group) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(agreement__group=group).order_by("-number").first()


@transaction.atomic
def agreement_version_create(
    *, group: Group, author: Membership | None, change_note: str = "", **sections
) -> AgreementVersion:
    """Write a new version of the group's working agreement.

    A version is never changed in place: a change makes a new version, and everyone is asked to
    agree again, because what they agreed to was the earlier words.
    """
    unknown = set(sections) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    agreement, _created = WorkingAgreement.objects.select_for_update().get_or_create(group=group)
    previous = agreement.versions.order_by("-number").first()
    if previous is not None and all(
        getattr(previous, field) == value for field, value in sections.items()
    ):
        raise ValidationError(
            _(
                "Nothing has changed from version %(number)s. Change at least one section to "
                "make a new version."
            )
            % {"number": previous.number}
        )
    version = AgreementVersion(
        agreement=agreement,
        number=(previous.number + 1) if previous else 1,
        created_by=author,
        change_note=change_note,
        **sections,
    )
    version.full_clean()
    version.save()
    from withpeople.groups.notify import recipients_of_members

    others = group.members.current().select_related("membership__user")
    if author is not None:
        others = others.exclude(membership=author)
    notify(
        kind=NotificationKind.AGREEMENT_VERSION_WAITING,
        organisation=group.organisation,
        recipients=recipients_of_members(others),
        template="groups/notifications/agreement_version_waiting",
        context={"group": group, "version": version},
        url=site_url(
            reverse(
                "groups:agreement", kwargs={"org_slug": group.organisation.slug, "pk": group.pk}
            )
        ),
        key=f"agreement-version-{version.pk}",
    )
    return version


@transaction.atomic
def agreement_consent_record(*, version: AgreementVersion, member: GroupMember) -> AgreementConsent:
    """Record that a member agrees to a version. Only the latest version can be agreed to."""
    if member.group_id != version.agreement.group_id or member.left_on is not None:
        raise ValidationError(_("Only current members of the group can agree to its agreement."))
    latest = version.agreement.versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationError(
            _("This version has been replaced. Read the latest version and agree to that.")
        )
    consent, _created = AgreementConsent.objects.get_or_create(version=version, member=member)
    return consent


@transaction.atomic
def agreement_consent_record_for(
    *,
    version: AgreementVersion,
    member: GroupMember,
    agreed_on: dt.date,
    recorded_by: Membership,
) -> AgreementConsent:
    """Record, for someone without an account, that they agreed to a version on a date.

    They cannot press "I agree" themselves, so a member of staff records what they said (in a
    meeting, on paper, on the phone). The agreement is marked as recorded on their behalf, says
    who recorded it, and is written in the audit log.
    """
    group = version.agreement.group
    if recorded_by.organisation_id != group.organisation_id:
        raise ValidationError(_("Only the organisation's staff can record agreement."))
    if member.membership_id:
        raise ValidationError(
            _("This person has an account: they agree for themselves on the agreement page.")
        )
    if member.group_id != group.pk or member.left_on is not None:
        raise ValidationError(_("Only current members of the group can agree to its agreement."))
    latest = version.agreement.versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationError(
            _("This version has been replaced. Record agreement to the latest version.")
        )
    written_on = timezone.localdate(version.created_at)
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("The date they agreed must be today or in the past")})
    if agreed_on < written_on:
        raise ValidationError(
            {
                "agreed_on": _(
                    "The date they agreed must be on or after %(date)s, when version "
                    "%(number)s was written"
                )
                % {"date": date_format(written_on, "j F Y"), "number": version.number}
            }
        )
    if AgreementConsent.objects.filter(version=version, member=member).exists():
        raise ValidationError(
            _("%(name)s has already agreed to this version.") % {"name": member.name}
        )
    consent = AgreementConsent(
        version=version,
        member=member,
        # Midday, so the date stays the same in any time zone it is shown in.
        agreed_at=timezone.make_aware(dt.datetime.combine(agreed_on, dt.time(12))),
        on_their_behalf=True,
        recorded_by=recorded_by,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        organisation=group.organisation,
        actor=recorded_by.user,
        action=AuditEventKind.RECORDED_AGREEMENT_FOR_MEMBER,
        subject=consent,
        detail=f"version {version.number}",
    )
    return consent


@transaction.atomic
def agreement_publish(*, agreement: WorkingAgreement, published: bool) -> WorkingAgreement:
    if published and not agreement.versions.exists():
        raise ValidationError(_("Write the working agreement before publishing it."))
    agreement.published_at = timezone.now() if published else None
    agreement.save(update_fields=["published_at"])
    return agreement


# --- Access needs --------------------------------------------------------------------------------


@transaction.atomic
def access_needs_save(
    *,
    organisation: Organisation,
    needs: list[str],
    membership: Membership | None = None,
    group_member: GroupMember | None = None,
    interpreter_language: str = "",
    meeting_times_detail: str = "",
    other_detail: str = "",
) -> AccessNeeds:
    """Record what someone needs: for an organisation member, or a group member without one."""
    if (membership is None) == (group_member is None):
        raise TypeError("give exactly one of membership or group_member")
    if membership is not None and membership.organisation_id != organisation.pk:
        raise ValidationError(_("Choose someone from this organisation."))
    if group_member is not None:
        if group_member.group.organisation_id != organisation.pk:
            raise ValidationError(_("Choose someone from this organisation."))
        if group_member.membership_id:
            raise ValidationError(
                _("This person has an account: they record their own access needs.")
            )
    known = {field for field, _label in NEED_FIELDS}
    if set(needs) - known:
        raise ValidationError({"needs": _("Select only the needs listed.")})
    if membership is not None:
        record = AccessNeeds.objects.filter(membership=membership).first()
    else:
        record = AccessNeeds.objects.filter(group_member=group_member).first()
    record = record or AccessNeeds(
        organisation=organisation, membership=membership, group_member=group_member
    )
    for field in known:
        setattr(record, field, field in needs)
    # Details of a need that is not ticked are not kept.
    record.interpreter_language = interpreter_language.strip() if record.interpreter else ""
    record.meeting_times_detail = meeting_times_detail.strip() if record.meeting_times else ""
    record.other_detail = other_detail.strip() if record.other else ""
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def access_needs_erase_for_membership(membership: Membership) -> int:
    """Delete what someone recorded about their needs, when they are erased (privacy app)."""
    deleted, _detail = AccessNeeds.objects.filter(membership=membership).delete()
    return deleted


@transaction.atomic
def access_needs_erase_for_group_member(group_member: GroupMember) -> int:
    """Delete the needs recorded for a group member without an account, when anonymised."""
    deleted, _detail = AccessNeeds.objects.filter(group_member=group_member).delete()
    return deleted


def anonymise_group_member(group_member) -> None:
    """Replace a group member's name and contact details, unlinking their account.

    Needs recorded against the group member itself (someone without an account) go too.
    """
    access_needs_erase_for_group_member(group_member)
    group_member.name = former_member_name(group_member.pk)
    group_member.contact = ""
    group_member.membership = None
    group_member.full_clean()
    group_member.save(update_fields=["name", "contact", "membership"])


# --- Looking at what only some may see, which the audit log records -----------------------------


def contact_details_viewed(*, member: GroupMember, actor) -> None:
    """Someone was shown how to reach a member of a group: personal data."""
    audit_record(
        organisation=member.group.organisation,
        actor=actor,
        action=AuditEventKind.VIEWED_CONTACT_DETAILS,
        subject=member,
    )


def access_needs_viewed(*, organisation: Organisation, actor, subject, detail: str = "") -> None:
    """Someone was shown another person's access needs (or the needs in replies to a meeting)."""
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.VIEWED_ACCESS_NEEDS,
        subject=subject,
        detail=detail,
    )
