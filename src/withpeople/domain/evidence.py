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
from dataclasses import asdict, dataclass

from withpeople.domain.ladder import is_partner, rung_above
from withpeople.domain.text import Message, and_list, name_in_sentence, say, say_n
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
    #: Which facts put the aspect on its rung, then what is missing to reach the next one, as
    #: messages that pages show in the reader's language.
    reasons: tuple[Message, ...] = ()

    @property
    def why(self) -> list[str]:
        """The reasons in English, as the assessment format gives them."""
        return [str(reason) for reason in self.reasons]


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
    return Evidence(rung=rung, facts=facts, reasons=tuple(_why(rung, facts, tally)))


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
#
# Each sentence is a `Message`: its English, marked for translation, with the numbers and names
# put in by name, so that pages can show it in the reader's language and the assessment format
# can give it in English, identical to the assessment format's English.


def _activities(number: int) -> Message:
    return say_n("%(count)s activity", "%(count)s activities", number)


def _decisions(number: int) -> Message:
    return say_n("%(count)s decision", "%(count)s decisions", number)


def _why(rung: str | None, facts: EvidenceFacts, tally: _Tally) -> list[Message]:
    """Which facts put the aspect on its rung, then what is missing to reach the next rung."""
    if rung is None:
        return _why_no_evidence(tally)
    why = _reached(rung, tally)
    above = rung_above(rung)
    if above is not None:
        why += [
            _missing(name, name_in_sentence(above.name), tally)
            for name in missing_requirements(above.slug, facts)
        ]
    return why


def _why_no_evidence(tally: _Tally) -> list[Message]:
    """No rung holds, so there is no partner activity (that alone would be coercion)."""
    why = [
        say(
            "No activity with partners taking part has been recorded for this aspect yet. "
            "Partners are people with lived experience of care and support, and carers."
        )
    ]
    if tally.decisions:
        why.append(
            say(
                "The record has %(decisions)s about this aspect, but none was made jointly or "
                "by partners, and partners were not told the outcome of any.",
                decisions=_decisions(tally.decisions),
            )
        )
    why.append(
        say(
            "To show where this aspect is on the ladder, record the activities partners took "
            "part in, what part they had, and the decisions made."
        )
    )
    return why


def _reached(rung: str, tally: _Tally) -> list[Message]:
    """Sentences naming the facts that meet the requirements of the rung reached."""
    if rung == "co-production":
        return [
            say(
                "Partners shaped the agenda at %(activities)s.",
                activities=_activities(tally.agenda),
            ),
            _generated_options(tally),
            say(
                "Partners took on delivery at %(activities)s.",
                activities=_activities(tally.delivery),
            ),
            _all_shared(tally),
        ]
    if rung == "co-design":
        return [
            _generated_options(tally),
            _influence(tally),
            say("No decision about this aspect was made by the organisation alone."),
        ]
    if rung == "engagement":
        return [_views(tally), _influence(tally)]
    if rung == "consultation":
        return [_views(tally)]
    if rung == "informing":
        return _informed(tally)
    if rung == "educating":
        return [
            say(
                "Services were explained to partners at %(activities)s.",
                activities=_activities(tally.explained),
            )
        ]
    return [
        say(
            "Partners took part in %(activities)s, but the record does not yet show services "
            "being explained to them, them being told of decisions, or their views being sought.",
            activities=_activities(tally.partner_activities),
        )
    ]


def _generated_options(tally: _Tally) -> Message:
    return say(
        "Partners generated options at %(activities)s.", activities=_activities(tally.options)
    )


def _all_shared(tally: _Tally) -> Message:
    return say_n(
        "The one decision about this aspect was made jointly or by partners.",
        "All %(count)s decisions about this aspect were made jointly or by partners.",
        tally.decisions,
    )


def _influence(tally: _Tally) -> Message:
    if tally.changed and tally.shared:
        return say(
            "Partners' input changed %(changed)s, and they shared in making %(shared)s, "
            "jointly or on their own.",
            changed=_decisions(tally.changed),
            shared=_decisions(tally.shared),
        )
    if tally.changed:
        return say("Partners' input changed %(changed)s.", changed=_decisions(tally.changed))
    return say(
        "Partners shared in making %(shared)s, jointly or on their own.",
        shared=_decisions(tally.shared),
    )


def _views(tally: _Tally) -> Message:
    if tally.views_sought:
        return say(
            "Partners' views were sought at %(activities)s.",
            activities=_activities(tally.views_sought),
        )
    ways = []
    if tally.agenda:
        ways.append(
            say("shaped the agenda at %(activities)s", activities=_activities(tally.agenda))
        )
    if tally.options:
        ways.append(
            say("generated options at %(activities)s", activities=_activities(tally.options))
        )
    if tally.delivery:
        ways.append(
            say("took on delivery at %(activities)s", activities=_activities(tally.delivery))
        )
    if tally.shared:
        ways.append(say("shared in making %(decisions)s", decisions=_decisions(tally.shared)))
    return say("Partners' views were heard, because they %(ways)s.", ways=and_list(ways))


def _informed(tally: _Tally) -> list[Message]:
    sentences = []
    if tally.informed:
        sentences.append(
            say(
                "Partners were told of decisions at %(activities)s.",
                activities=_activities(tally.informed),
            )
        )
    if tally.feedback_given:
        sentences.append(
            say(
                "Partners were told the outcome of %(decisions)s.",
                decisions=_decisions(tally.feedback_given),
            )
        )
    return sentences


def _missing(requirement: str, rung: Message, tally: _Tally) -> Message:
    """One sentence saying what the record needs to meet a requirement of the next rung."""
    if requirement == "present":
        return say("To reach %(rung)s, partners need to take part in an activity.", rung=rung)
    if requirement == "explained":
        return say(
            "To reach %(rung)s, services need to be explained to partners at an activity they "
            "take part in.",
            rung=rung,
        )
    if requirement == "informed":
        return say(
            "To reach %(rung)s, partners need to be told of decisions, at an activity or by "
            "recording when they were told the outcome of a decision.",
            rung=rung,
        )
    if requirement == "views":
        return say(
            "To reach %(rung)s, partners' views need to be sought at an activity they take "
            "part in.",
            rung=rung,
        )
    if requirement == "influence":
        return _missing_influence(rung, tally)
    if requirement == "options":
        return say(
            "To reach %(rung)s, partners need to generate options at an activity they take "
            "part in.",
            rung=rung,
        )
    if requirement == "agenda":
        return say(
            "To reach %(rung)s, partners need to shape the agenda at an activity they take "
            "part in.",
            rung=rung,
        )
    if requirement == "delivery":
        return say(
            "To reach %(rung)s, partners need to take on some of the delivery at an activity "
            "they take part in.",
            rung=rung,
        )
    if requirement == "not_org_alone":
        return say_n(
            "To reach %(rung)s, no decision about this aspect should be made by the "
            "organisation alone; %(count)s decision was.",
            "To reach %(rung)s, no decision about this aspect should be made by the "
            "organisation alone; %(count)s decisions were.",
            tally.organisation_alone,
            rung=rung,
        )
    return _missing_all_shared(rung, tally)


def _missing_influence(rung: Message, tally: _Tally) -> Message:
    if tally.decisions == 0:
        return say(
            "To reach %(rung)s, partners need to influence a decision about this aspect: their "
            "input needs to change it, or it needs to be made jointly or by partners. No "
            "decision has been recorded yet.",
            rung=rung,
        )
    return say_n(
        "To reach %(rung)s, partners need to influence a decision about this aspect: their "
        "input needs to change it, or it needs to be made jointly or by partners. The one "
        "decision recorded does not show this.",
        "To reach %(rung)s, partners need to influence a decision about this aspect: their "
        "input needs to change it, or it needs to be made jointly or by partners. None of the "
        "%(count)s decisions recorded shows this.",
        tally.decisions,
        rung=rung,
    )


def _missing_all_shared(rung: Message, tally: _Tally) -> Message:
    if tally.decisions == 0:
        return say(
            "To reach %(rung)s, decisions about this aspect need to be made jointly or by "
            "partners; no decision has been recorded yet.",
            rung=rung,
        )
    not_shared = []
    if tally.organisation_after_views:
        not_shared.append(
            say_n(
                "%(count)s decision was made by the organisation after hearing views",
                "%(count)s decisions were made by the organisation after hearing views",
                tally.organisation_after_views,
            )
        )
    if tally.organisation_alone:
        not_shared.append(
            say_n(
                "%(count)s decision was made by the organisation alone",
                "%(count)s decisions were made by the organisation alone",
                tally.organisation_alone,
            )
        )
    return say(
        "To reach %(rung)s, every decision about this aspect needs to be made jointly or by "
        "partners; %(not_shared)s.",
        rung=rung,
        not_shared=and_list(not_shared),
    )
