"""The assessment of a piece of work: ``withpeople.assessment/1``.

For each aspect it sets side by side what was intended, what the evidence shows and what
partners and staff perceive, and raises flags where they disagree: "the gap between what was
intended, what people perceive and what the evidence shows is the headline" (PRODUCT.md,
principle 1). Many organisations consult and believe they co-produce (TLAP); the flags are there
to make that visible, kindly.

`assess` indexes the record by aspect once, so its cost grows with the size of the record, not
with its square.

Flag titles and explanations, and the reasons in ``why``, are English marked for translation
(withpeople.domain.text). The format gives them in English; pages show them translated, taking
the reasons as messages from `assess_with_reasons`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from withpeople.domain.evidence import Evidence, evidence_for_aspect, partner_refs
from withpeople.domain.ladder import (
    RUNG_BY_SLUG,
    Perspective,
    RungGroup,
    is_below,
    is_partner,
    rung,
    rungs_apart,
)
from withpeople.domain.suppression import CHECKIN_THRESHOLD, is_suppressed
from withpeople.domain.text import N_
from withpeople.domain.values import work_values
from withpeople.domain.work_record import (
    Activity,
    AspectPlan,
    CheckIn,
    Decision,
    WorkRecord,
    in_force,
)

FORMAT = "withpeople.assessment/1"


@dataclass(frozen=True)
class FlagText:
    """How a flag is shown to people: a short title and one or two sentences."""

    title: str
    explanation: str


NO_EVIDENCE = "no_evidence"
BEHIND_PLAN = "behind_plan"
DOING_TO = "doing_to"
OVERCLAIM = "overclaim"
PERCEPTION_GAP = "perception_gap"
LOOP_NOT_CLOSED = "loop_not_closed"
NO_FRONTLINE_STAFF = "no_frontline_staff"
NO_BACK_OFFICE_STAFF = "no_back_office_staff"

ASPECT_FLAGS: dict[str, FlagText] = {
    BEHIND_PLAN: FlagText(
        N_("Behind the plan"),
        N_(
            "The evidence puts this aspect on a lower rung than the one planned. Either the way "
            "of working needs to change, or the plan needs to step down openly, with a reason."
        ),
    ),
    DOING_TO: FlagText(
        N_("Doing to people"),
        N_(
            "The evidence shows people taking part only as recipients, or being told how services "
            "work. Their views are not yet being asked for."
        ),
    ),
    LOOP_NOT_CLOSED: FlagText(
        N_("People not told the outcome"),
        N_(
            "Partners gave their views, but they have not yet been told what was decided. Tell "
            "them what happened and why, so they can see what their views changed."
        ),
    ),
    NO_EVIDENCE: FlagText(
        N_("No evidence yet"),
        N_(
            "Nothing recorded so far places this aspect on the ladder. Record the activities "
            "partners took part in and the decisions made."
        ),
    ),
    OVERCLAIM: FlagText(
        N_("Seen as higher than the evidence shows"),
        N_(
            "Staff see this aspect as co-design or co-production, but the evidence shows "
            "engagement or less. It is common to consult people and believe it is co-production."
        ),
    ),
    PERCEPTION_GAP: FlagText(
        N_("Partners and staff see it differently"),
        N_(
            "Partners and staff place this aspect two or more rungs apart on the ladder. It is "
            "worth talking together about why."
        ),
    ),
}

WORK_FLAGS: dict[str, FlagText] = {
    NO_BACK_OFFICE_STAFF: FlagText(
        N_("No back-office staff took part"),
        N_(
            "No back-office staff, such as people in finance, contracts or IT, took part in any "
            "activity. They shape how services run, so include them too."
        ),
    ),
    NO_FRONTLINE_STAFF: FlagText(
        N_("No frontline staff took part"),
        N_(
            "No frontline staff took part in any activity. The people who give care and support "
            "day to day know what works, so include them too."
        ),
    ),
}

#: Work flags: a perspective nobody took part from (TLAP: include frontline and back-office
#: staff as well as people who use services).
_MISSING_PERSPECTIVE_FLAGS: dict[str, str] = {
    NO_FRONTLINE_STAFF: Perspective.FRONTLINE_STAFF,
    NO_BACK_OFFICE_STAFF: Perspective.BACK_OFFICE_STAFF,
}


def assess(record: WorkRecord) -> dict[str, Any]:
    """The ``withpeople.assessment/1`` structure: aspects in the record's order, flags sorted."""
    return _assess(record, lambda evidence: evidence.why)


def assess_with_reasons(record: WorkRecord) -> dict[str, Any]:
    """As `assess`, except that each aspect's ``why`` holds the reasons as `Message`s, for a
    page to show in its reader's language. Not for JSON: `assess` gives the format."""
    return _assess(record, lambda evidence: list(evidence.reasons))


def _assess(record: WorkRecord, why: Callable[[Evidence], list[Any]]) -> dict[str, Any]:
    # A withdrawn activity or decision stays in the record, with its reason, but is no longer
    # evidence (PRODUCT.md: "a deletion withdraws with a reason and stays in the history").
    record = in_force(record)
    partners = partner_refs(record.people)
    activities: defaultdict[str, list[Activity]] = defaultdict(list)
    for activity in record.activities:
        activities[activity.aspect].append(activity)
    decisions: defaultdict[str, list[Decision]] = defaultdict(list)
    for decision in record.decisions:
        decisions[decision.aspect].append(decision)
    checkins: defaultdict[str, list[CheckIn]] = defaultdict(list)
    for checkin in record.checkins:
        checkins[checkin.aspect].append(checkin)
    return {
        "format": FORMAT,
        "aspects": [
            _assess_aspect(
                aspect,
                evidence_for_aspect(activities[aspect.key], decisions[aspect.key], partners),
                decisions[aspect.key],
                checkins[aspect.key],
                why,
            )
            for aspect in record.aspects
        ],
        "work": {"flags": work_flags(record), "values": work_values(record)},
    }


def _assess_aspect(
    aspect: AspectPlan,
    evidence: Evidence,
    decisions: Sequence[Decision],
    checkins: Sequence[CheckIn],
    why: Callable[[Evidence], list[Any]],
) -> dict[str, Any]:
    perceived = perceived_by_group(checkins)
    flags = aspect_flags(
        intended=aspect.intended_rung,
        evidence=evidence,
        perceived_partners=perceived["partners"],
        perceived_staff=perceived["staff"],
        decisions=decisions,
    )
    return {
        "key": aspect.key,
        "intended": aspect.intended_rung,
        "evidenced": evidence.rung,
        "perceived": perceived,
        "flags": flags,
        "why": why(evidence),
    }


# --- Perceived rung -----------------------------------------------------------------------------


def lower_median(rungs: Sequence[str]) -> str:
    """The lower median of some rungs in ladder order.

    For n answers sorted upwards, the one at position ⌊(n-1)/2⌋ counting from 0. The lower
    median is always an answer someone gave (no averaging of rungs), and with an even number of
    answers it leans towards the more modest view.
    """
    if not rungs:
        raise ValueError("the lower median of no rungs is undefined")
    ordered = sorted(rungs, key=lambda slug: RUNG_BY_SLUG[slug].position)
    return ordered[(len(ordered) - 1) // 2]


def perceived_rung(rungs: Sequence[str]) -> str | None:
    """Where a group thinks an aspect is; None below the check-in suppression threshold.

    PRODUCT.md, principle 5: no breakdown for a group smaller than the threshold (3 for
    check-ins), which `withpeople.domain.suppression` holds.
    """
    if is_suppressed(len(rungs), CHECKIN_THRESHOLD):
        return None
    return lower_median(rungs)


def perceived_by_group(checkins: Iterable[CheckIn]) -> dict[str, str | None]:
    """The perceived rung of partners (lived experience, carers) and of staff (everyone else)."""
    partners: list[str] = []
    staff: list[str] = []
    for checkin in checkins:
        (partners if is_partner(checkin.perspective) else staff).append(checkin.rung)
    return {"partners": perceived_rung(partners), "staff": perceived_rung(staff)}


# --- Flags --------------------------------------------------------------------------------------


def aspect_flags(
    *,
    intended: str,
    evidence: Evidence,
    perceived_partners: str | None,
    perceived_staff: str | None,
    decisions: Iterable[Decision],
) -> list[str]:
    """The flags of one aspect, sorted."""
    evidenced = evidence.rung
    flags = []
    if evidenced is None:
        flags.append(NO_EVIDENCE)
    elif is_below(evidenced, intended):
        flags.append(BEHIND_PLAN)
    if evidenced is not None and rung(evidenced).group is RungGroup.DOING_TO:
        flags.append(DOING_TO)
    if is_overclaim(evidenced, perceived_staff):
        flags.append(OVERCLAIM)
    if is_perception_gap(perceived_partners, perceived_staff):
        flags.append(PERCEPTION_GAP)
    if evidence.facts.views and any(d.feedback_given_on is None for d in decisions):
        flags.append(LOOP_NOT_CLOSED)
    return sorted(flags)


def is_overclaim(evidenced: str | None, perceived_staff: str | None) -> bool:
    """Staff perceive co-design or higher while the evidence shows engagement or lower.

    Exactly as the flag is defined: both sides must be rungs. No evidence is not a rung and has
    its own flag, `no_evidence`, as `behind_plan` treats it as nothing to compare; and when
    staff perception is suppressed (fewer than 3 check-ins) there is nothing to compare either.
    """
    if evidenced is None or perceived_staff is None:
        return False
    return not is_below(perceived_staff, "co-design") and not is_below("engagement", evidenced)


def is_perception_gap(perceived_partners: str | None, perceived_staff: str | None) -> bool:
    """Partners and staff both perceived (neither suppressed), two or more rungs apart."""
    if perceived_partners is None or perceived_staff is None:
        return False
    return rungs_apart(perceived_partners, perceived_staff) >= 2


def work_flags(record: WorkRecord) -> list[str]:
    """Flags about the piece of work as a whole, sorted: perspectives missing from every activity.

    A person counts when they took part in any activity, whether or not partners were there.
    """
    perspective_of = {person.ref: person.perspective for person in record.people}
    present = {
        perspective_of.get(ref) for activity in record.activities for ref in activity.participants
    }
    return sorted(
        flag
        for flag, perspective in _MISSING_PERSPECTIVE_FLAGS.items()
        if perspective not in present
    )
