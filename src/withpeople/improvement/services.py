"""Writes to self-assessment ratings, actions and You said, we did. Each is one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from withpeople.accounts.models import User
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.feedback.models import ReviewCycle, Statement, StatementKind, Story
from withpeople.feedback.services import cycle_set_look_again
from withpeople.groups.notify import recipient_of_membership
from withpeople.improvement.models import Action, ActionStatus, Publication, Rating
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import notify, site_url
from withpeople.organisations.models import Membership


@transaction.atomic
def rating_save(
    *,
    cycle: ReviewCycle,
    statement: Statement,
    membership: Membership,
    level: str,
    evidence: str = "",
) -> Rating:
    """Record or change a member's rating of a We statement. One per member per cycle."""
    if membership.organisation_id != cycle.organisation_id:
        raise ValidationError(_("Only members of the organisation can assess it."))
    if statement.kind != StatementKind.WE or statement.theme.framework_id != cycle.framework_id:
        raise ValidationError(_("Choose a We statement of this review cycle's framework."))
    rating = (
        Rating.objects.select_for_update()
        .filter(cycle=cycle, statement=statement, membership=membership)
        .first()
    ) or Rating(cycle=cycle, statement=statement, membership=membership)
    rating.perspective = membership.perspective
    rating.level = level
    rating.evidence = evidence.strip()
    rating.updated_at = timezone.now()
    rating.full_clean()
    rating.save()
    return rating


def _check_links(
    cycle: ReviewCycle,
    statements: Iterable[Statement],
    stories: Iterable[Story],
    owners: Iterable[Membership],
) -> None:
    """Links must stay inside the cycle and its organisation, whatever a form sends."""
    errors: dict[str, str] = {}
    if any(s.theme.framework_id != cycle.framework_id for s in statements):
        errors["statements"] = _("Choose statements from this review cycle's framework.")
    if any(s.response.cycle_id != cycle.pk for s in stories):
        errors["stories"] = _("Choose stories given in this review cycle.")
    if any(m.organisation_id != cycle.organisation_id for m in owners):
        errors["owners"] = _("Choose owners who are members of the organisation.")
    if errors:
        raise ValidationError(errors)


def _save_action(
    action: Action,
    *,
    title: str,
    description: str,
    statements: Iterable[Statement],
    stories: Iterable[Story],
    owners: Iterable[Membership],
    due_on: date | None,
    status: str,
    explanation: str,
    published: bool,
) -> Action:
    statements, stories, owners = list(statements), list(stories), list(owners)
    _check_links(action.cycle, statements, stories, owners)
    action.title = title.strip()
    action.description = description.strip()
    action.due_on = due_on
    action.status = status
    action.explanation = explanation.strip()
    action.published = published
    action.updated_at = timezone.now()
    action.full_clean()
    action.save()
    action.statements.set(statements)
    action.stories.set(stories)
    action.owners.set(owners)
    # Each owner is told once that the action is theirs (an owner added later is told then).
    _tell_owners(action, NotificationKind.ACTION_GIVEN, "action_given", f"action-{action.pk}")
    return action


def _tell_owners(action: Action, kind: NotificationKind, template: str, key: str) -> int:
    cycle = action.cycle
    return notify(
        kind=kind,
        organisation=cycle.organisation,
        recipients=[
            recipient_of_membership(owner) for owner in action.owners.select_related("user")
        ],
        template=f"improvement/notifications/{template}",
        context={"action": action, "cycle": cycle},
        url=site_url(
            reverse(
                "improvement:action-detail",
                kwargs={
                    "org_slug": cycle.organisation.slug,
                    "cycle_slug": cycle.slug,
                    "pk": action.pk,
                },
            )
        ),
        key=key,
    )


#: Actions still to do: planned or in progress.
UNFINISHED = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def actions_overdue_notify(*, today: date) -> int:
    """Tell the owners of each unfinished action past its due date, once per due date.

    Run daily by `withpeople tick`; the key holds the due date, so moving the date and missing
    it again tells them again, and a second run the same day tells nobody.
    """
    told = 0
    overdue = Action.objects.filter(due_on__lt=today, status__in=UNFINISHED).select_related(
        "cycle__organisation"
    )
    for action in overdue:
        with transaction.atomic():
            told += _tell_owners(
                action,
                NotificationKind.ACTION_OVERDUE,
                "action_overdue",
                f"action-{action.pk}-overdue-{action.due_on.isoformat()}",
            )
    return told


@transaction.atomic
def action_create(*, cycle: ReviewCycle, **fields) -> Action:
    return _save_action(Action(cycle=cycle), **fields)


@transaction.atomic
def action_update(*, action: Action, **fields) -> Action:
    return _save_action(action, **fields)


@transaction.atomic
def action_delete(*, action: Action) -> None:
    action.delete()


@transaction.atomic
def story_choose(*, story: Story, chosen: bool, chosen_by: User) -> Story:
    """Choose a story for You said, we did, or take it off again; audited either way.

    Choosing puts a person's own words on a public page (at once, if it is published), so who
    chose or took off which story is recorded. The audit names the story, never its words.
    """
    story.chosen_for_publication = chosen
    story.full_clean()
    story.save(update_fields=["chosen_for_publication"])
    cycle = story.response.cycle
    audit_record(
        organisation=cycle.organisation,
        actor=chosen_by,
        action=AuditEventKind.CHOSE_STORY if chosen else AuditEventKind.UNCHOSE_STORY,
        subject=story,
        detail=f"for You said, we did of {cycle.slug}",
    )
    return story


@transaction.atomic
def publication_publish(
    *, cycle: ReviewCycle, published_by: User | None, look_again_on: date | None
) -> Publication:
    """Make the cycle's You said, we did public, saying when the organisation will look again.

    Publishing an already public page keeps it public and changes only the date.
    """
    cycle_set_look_again(cycle=cycle, look_again_on=look_again_on)
    publication, _created = Publication.objects.get_or_create(
        cycle=cycle, defaults={"published_by": published_by}
    )
    return publication


@transaction.atomic
def publication_unpublish(*, cycle: ReviewCycle) -> None:
    Publication.objects.filter(cycle=cycle).delete()
