"""The evidenced rung: where the record of activities and decisions shows an aspect really is.

"Evidence over opinion" (PRODUCT.md, principle 1): a rung is shown with the facts that put it
there. The rules read the ladder of co-production (TLAP, after Arnstein 1969) from the top down
and place an aspect on the first rung whose requirements the record meets:

=============== =====================================================================
co-production   partners generated options, shaped the agenda and took on delivery,
                and every decision was shared (there being at least one)
co-design       partners generated options and influenced a decision, and no decision
                was made by the organisation alone
engagement      partners' views were heard and they influenced a decision
consultation    partners' views were heard
informing       partners were told of decisions
educating       services were explained to partners
coercion        partners took part, and nothing more is recorded
=============== =====================================================================

Only activities with at least one partner taking part count ("partner activities"): a meeting of
staff alone says nothing about co-production. Partners are people with lived experience of care
and support, and carers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, field

from withpeople.domain.ladder import is_partner, rung_above
from withpeople.domain.work_record import SHARED_DECIDERS, Activity, Decision, Person


@dataclass(frozen=True)
class EvidenceFacts:
    """The named facts the rules are written in, for one aspect."""

    #: There is a partner activity.
    present: bool
    #: Some partner activity has ``explained_services``.
    explained: bool
    #: Some partner activity has ``informed_of_decisions``, or some decision has a
    #: ``feedback_given_on`` date.
    informed: bool
    #: Some partner activity has ``views_sought``, or options, agenda or delivery holds, or some
    #: decision is shared: partners who shape the work have plainly been heard.
    views: bool
    #: Some decision has ``partner_input_changed_it`` or is shared.
    influence: bool
    #: Some partner activity has ``partners_generated_options``.
    options: bool
    #: Some partner activity has ``partners_shaped_agenda``.
    agenda: bool
    #: Some partner activity has ``partners_delivered``.
    delivery: bool
    #: Some decision was made by the organisation alone.
    org_alone: bool
    #: There is at least one decision and every decision is shared.
    all_shared: bool

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)


#: What each rung needs, top rung first. The evidenced rung is the first whose requirements all
#: hold. Each requirement is named so that `why` can say which are missing.
RUNG_REQUIREMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("co-production", ("options", "agenda", "delivery", "all_shared")),
    ("co-design", ("options", "influence", "not_org_alone")),
    ("engagement", ("views", "influence")),
    ("consultation", ("views",)),
    ("informing", ("informed",)),
    ("educating", ("explained",)),
    ("coercion", ("present",)),
)

_REQUIREMENT_CHECKS: dict[str, Callable[[EvidenceFacts], bool]] = {
    "present": lambda facts: facts.present,
    "explained": lambda facts: facts.explained,
    "informed": lambda facts: facts.informed,
    "views": lambda facts: facts.views,
    "influence": lambda facts: facts.influence,
    "options": lambda facts: facts.options,
    "agenda": lambda facts: facts.agenda,
    "delivery": lambda facts: facts.delivery,
    "not_org_alone": lambda facts: not facts.org_alone,
    "all_shared": lambda facts: facts.all_shared,
}

_REQUIREMENTS_BY_RUNG: dict[str, tuple[str, ...]] = dict(RUNG_REQUIREMENTS)


@dataclass(frozen=True)
class Evidence:
    """The evidenced rung of an aspect (None when nothing places it), the facts and why."""

    rung: str | None
    facts: EvidenceFacts
    why: list[str] = field(default_factory=list)


@dataclass
class _Tally:
    """Counts behind the facts, so that `why` can say "at 2 activities" rather than "some"."""

    partner_activities: int = 0
    explained: int = 0
    informed: int = 0
    views_sought: int = 0
    agenda: int = 0
    options: int = 0
    delivery: int = 0
    decisions: int = 0
    organisation_alone: int = 0
    organisation_after_views: int = 0
    shared: int = 0
    changed: int = 0
    influenced: int = 0
    feedback_given: int = 0


def is_shared(decision: Decision) -> bool:
    """*shared(d)*: the decision was made jointly or by partners."""
    return decision.decided_by in SHARED_DECIDERS


def partner_refs(people: Iterable[Person]) -> frozenset[str]:
    """The refs of the partners: people with lived experience, and carers."""
    return frozenset(person.ref for person in people if is_partner(person.perspective))


def is_partner_activity(activity: Activity, partners: Collection[str]) -> bool:
    """An activity counts as evidence only when at least one partner took part."""
    return any(ref in partners for ref in activity.participants)


def evidence_for_aspect(
    activities: Iterable[Activity], decisions: Iterable[Decision], partners: Collection[str]
) -> Evidence:
    """The evidenced rung of one aspect, from its own activities and decisions.

    The caller passes only the aspect's activities and decisions, and the refs of the partners
    (see `partner_refs`); a set makes the partner check constant-time.
    """
    tally = _tally(activities, decisions, partners)
    facts = _facts(tally)
    rung = evidenced_rung(facts)
    return Evidence(rung=rung, facts=facts, why=_why(rung, facts, tally))


def evidenced_rung(facts: EvidenceFacts) -> str | None:
    """The first rung, from the top, whose requirements all hold; None when none does."""
    for slug, requirements in RUNG_REQUIREMENTS:
        if all(_REQUIREMENT_CHECKS[name](facts) for name in requirements):
            return slug
    return None


def missing_requirements(slug: str, facts: EvidenceFacts) -> list[str]:
    """The names of the requirements of a rung that the facts do not meet."""
    return [name for name in _REQUIREMENTS_BY_RUNG[slug] if not _REQUIREMENT_CHECKS[name](facts)]


def _tally(
    activities: Iterable[Activity], decisions: Iterable[Decision], partners: Collection[str]
) -> _Tally:
    tally = _Tally()
    for activity in activities:
        if not is_partner_activity(activity, partners):
            continue
        tally.partner_activities += 1
        tally.explained += activity.explained_services
        tally.informed += activity.informed_of_decisions
        tally.views_sought += activity.views_sought
        tally.agenda += activity.partners_shaped_agenda
        tally.options += activity.partners_generated_options
        tally.delivery += activity.partners_delivered
    for decision in decisions:
        shared = is_shared(decision)
        tally.decisions += 1
        tally.shared += shared
        tally.organisation_alone += decision.decided_by == "organisation_alone"
        tally.organisation_after_views += decision.decided_by == "organisation_after_views"
        tally.changed += decision.partner_input_changed_it
        tally.influenced += decision.partner_input_changed_it or shared
        tally.feedback_given += decision.feedback_given_on is not None
    return tally


def _facts(tally: _Tally) -> EvidenceFacts:
    options = tally.options > 0
    agenda = tally.agenda > 0
    delivery = tally.delivery > 0
    return EvidenceFacts(
        present=tally.partner_activities > 0,
        explained=tally.explained > 0,
        informed=tally.informed > 0 or tally.feedback_given > 0,
        views=tally.views_sought > 0 or options or agenda or delivery or tally.shared > 0,
        influence=tally.influenced > 0,
        options=options,
        agenda=agenda,
        delivery=delivery,
        org_alone=tally.organisation_alone > 0,
        all_shared=tally.decisions > 0 and tally.shared == tally.decisions,
    )


# --- Why: plain English for members of the public -----------------------------------------------


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _activities(number: int) -> str:
    return _count(number, "activity", "activities")


def _decisions(number: int) -> str:
    return _count(number, "decision")


def _was(number: int) -> str:
    return "was" if number == 1 else "were"


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _why(rung: str | None, facts: EvidenceFacts, tally: _Tally) -> list[str]:
    """Which facts put the aspect on its rung, then what is missing to reach the next rung."""
    if rung is None:
        return _why_no_evidence(tally)
    why = _reached(rung, tally)
    above = rung_above(rung)
    if above is not None:
        why += [
            _missing(name, above.name.lower(), tally)
            for name in missing_requirements(above.slug, facts)
        ]
    return why


def _why_no_evidence(tally: _Tally) -> list[str]:
    """No rung holds, so there is no partner activity (that alone would be coercion)."""
    why = [
        "No activity with partners taking part has been recorded for this aspect yet. "
        "Partners are people with lived experience of care and support, and carers."
    ]
    if tally.decisions:
        why.append(
            f"The record has {_decisions(tally.decisions)} about this aspect, but none was "
            "made jointly or by partners, and partners were not told the outcome of any."
        )
    why.append(
        "To show where this aspect is on the ladder, record the activities partners took part "
        "in, what part they had, and the decisions made."
    )
    return why


def _reached(rung: str, tally: _Tally) -> list[str]:
    """Sentences naming the facts that meet the requirements of the rung reached."""
    if rung == "co-production":
        return [
            f"Partners shaped the agenda at {_activities(tally.agenda)}.",
            f"Partners generated options at {_activities(tally.options)}.",
            f"Partners took on delivery at {_activities(tally.delivery)}.",
            _all_shared(tally),
        ]
    if rung == "co-design":
        return [
            f"Partners generated options at {_activities(tally.options)}.",
            _influence(tally),
            "No decision about this aspect was made by the organisation alone.",
        ]
    if rung == "engagement":
        return [_views(tally), _influence(tally)]
    if rung == "consultation":
        return [_views(tally)]
    if rung == "informing":
        return _informed(tally)
    if rung == "educating":
        return [f"Services were explained to partners at {_activities(tally.explained)}."]
    return [
        f"Partners took part in {_activities(tally.partner_activities)}, but the record does "
        "not yet show services being explained to them, them being told of decisions, or "
        "their views being sought."
    ]


def _all_shared(tally: _Tally) -> str:
    if tally.decisions == 1:
        return "The one decision about this aspect was made jointly or by partners."
    return f"All {tally.decisions} decisions about this aspect were made jointly or by partners."


def _influence(tally: _Tally) -> str:
    shared = f"shared in making {_decisions(tally.shared)}, jointly or on their own"
    if tally.changed and tally.shared:
        return f"Partners' input changed {_decisions(tally.changed)}, and they {shared}."
    if tally.changed:
        return f"Partners' input changed {_decisions(tally.changed)}."
    return f"Partners {shared}."


def _views(tally: _Tally) -> str:
    if tally.views_sought:
        return f"Partners' views were sought at {_activities(tally.views_sought)}."
    ways = []
    if tally.agenda:
        ways.append(f"shaped the agenda at {_activities(tally.agenda)}")
    if tally.options:
        ways.append(f"generated options at {_activities(tally.options)}")
    if tally.delivery:
        ways.append(f"took on delivery at {_activities(tally.delivery)}")
    if tally.shared:
        ways.append(f"shared in making {_decisions(tally.shared)}")
    return f"Partners' views were heard, because they {_and(ways)}."


def _informed(tally: _Tally) -> list[str]:
    sentences = []
    if tally.informed:
        sentences.append(f"Partners were told of decisions at {_activities(tally.informed)}.")
    if tally.feedback_given:
        sentences.append(f"Partners were told the outcome of {_decisions(tally.feedback_given)}.")
    return sentences


def _missing(requirement: str, next_rung: str, tally: _Tally) -> str:
    """One sentence saying what the record needs to meet a requirement of the next rung."""
    reach = f"To reach {next_rung}"
    at_an_activity = "at an activity they take part in"
    if requirement == "present":
        return f"{reach}, partners need to take part in an activity."
    if requirement == "explained":
        return f"{reach}, services need to be explained to partners {at_an_activity}."
    if requirement == "informed":
        return (
            f"{reach}, partners need to be told of decisions, at an activity or by recording "
            "when they were told the outcome of a decision."
        )
    if requirement == "views":
        return f"{reach}, partners' views need to be sought {at_an_activity}."
    if requirement == "influence":
        return _missing_influence(reach, tally)
    if requirement == "options":
        return f"{reach}, partners need to generate options {at_an_activity}."
    if requirement == "agenda":
        return f"{reach}, partners need to shape the agenda {at_an_activity}."
    if requirement == "delivery":
        return f"{reach}, partners need to take on some of the delivery {at_an_activity}."
    if requirement == "not_org_alone":
        return (
            f"{reach}, no decision about this aspect should be made by the organisation alone; "
            f"{_decisions(tally.organisation_alone)} {_was(tally.organisation_alone)}."
        )
    return _missing_all_shared(reach, tally)


def _missing_influence(reach: str, tally: _Tally) -> str:
    needed = (
        f"{reach}, partners need to influence a decision about this aspect: their input needs "
        "to change it, or it needs to be made jointly or by partners"
    )
    if tally.decisions == 0:
        return f"{needed}. No decision has been recorded yet."
    if tally.decisions == 1:
        return f"{needed}. The one decision recorded does not show this."
    return f"{needed}. None of the {tally.decisions} decisions recorded shows this."


def _missing_all_shared(reach: str, tally: _Tally) -> str:
    if tally.decisions == 0:
        return (
            f"{reach}, decisions about this aspect need to be made jointly or by partners; "
            "no decision has been recorded yet."
        )
    not_shared = []
    if tally.organisation_after_views:
        count = tally.organisation_after_views
        not_shared.append(
            f"{_decisions(count)} {_was(count)} made by the organisation after hearing views"
        )
    if tally.organisation_alone:
        count = tally.organisation_alone
        not_shared.append(f"{_decisions(count)} {_was(count)} made by the organisation alone")
    return (
        f"{reach}, every decision about this aspect needs to be made jointly or by partners; "
        f"{_and(not_shared)}."
    )
