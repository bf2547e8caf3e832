"""The ladder of co-production and the perspectives people take part from.

The ladder is Think Local Act Personal's ladder of co-production, after Sherry Arnstein's
"A ladder of citizen participation" (Journal of the American Institute of Planners, 1969).
Seven rungs, bottom to top, in three groups: doing to, doing for, doing with.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RungGroup(StrEnum):
    DOING_TO = "doing_to"
    DOING_FOR = "doing_for"
    DOING_WITH = "doing_with"


GROUP_LABELS: dict[RungGroup, str] = {
    RungGroup.DOING_TO: "Doing to",
    RungGroup.DOING_FOR: "Doing for",
    RungGroup.DOING_WITH: "Doing with",
}


@dataclass(frozen=True, order=True)
class Rung:
    """One rung of the ladder. Rungs compare by their position, 1 (bottom) to 7 (top)."""

    position: int
    slug: str
    name: str
    group: RungGroup
    summary: str

    def __str__(self) -> str:
        return self.name


RUNGS: tuple[Rung, ...] = (
    Rung(
        1,
        "coercion",
        "Coercion",
        RungGroup.DOING_TO,
        "People attend as passive recipients. Their views are not taken into account.",
    ),
    Rung(
        2,
        "educating",
        "Educating",
        RungGroup.DOING_TO,
        "People are helped to understand how services are designed and run.",
    ),
    Rung(
        3,
        "informing",
        "Informing",
        RungGroup.DOING_FOR,
        "People are told about services and about decisions that have already been made.",
    ),
    Rung(
        4,
        "consultation",
        "Consultation",
        RungGroup.DOING_FOR,
        "People are asked for their views, in surveys or meetings, "
        "but have no power to change things.",
    ),
    Rung(
        5,
        "engagement",
        "Engagement",
        RungGroup.DOING_FOR,
        "People have more chances to give their views and some influence on decisions, "
        "as far as the organisation allows.",
    ),
    Rung(
        6,
        "co-design",
        "Co-design",
        RungGroup.DOING_WITH,
        "People help to design services from their experience and ideas. They have real "
        "influence, but do not see the work through.",
    ),
    Rung(
        7,
        "co-production",
        "Co-production",
        RungGroup.DOING_WITH,
        "An equal relationship from design to delivery, with decisions shared.",
    ),
)

RUNG_BY_SLUG: dict[str, Rung] = {rung.slug: rung for rung in RUNGS}
RUNG_SLUGS: tuple[str, ...] = tuple(rung.slug for rung in RUNGS)
TOP: Rung = RUNGS[-1]
BOTTOM: Rung = RUNGS[0]


def rung(slug: str) -> Rung:
    """The rung with this slug; KeyError for an unknown slug."""
    return RUNG_BY_SLUG[slug]


def is_rung(slug: object) -> bool:
    return isinstance(slug, str) and slug in RUNG_BY_SLUG


def rungs_apart(lower: str, upper: str) -> int:
    """How many rungs separate two rungs, whichever way round they are."""
    return abs(RUNG_BY_SLUG[upper].position - RUNG_BY_SLUG[lower].position)


def is_below(slug: str, other: str) -> bool:
    return RUNG_BY_SLUG[slug].position < RUNG_BY_SLUG[other].position


def rung_above(slug: str) -> Rung | None:
    position = RUNG_BY_SLUG[slug].position
    return RUNGS[position] if position < len(RUNGS) else None


# Co-production works at three levels (TLAP): strategic, service design and an individual's own
# care and support.
class Level(StrEnum):
    STRATEGIC = "strategic"
    SERVICE_DESIGN = "service_design"
    INDIVIDUAL = "individual"


LEVEL_LABELS: dict[Level, str] = {
    Level.STRATEGIC: "Strategic",
    Level.SERVICE_DESIGN: "Service design",
    Level.INDIVIDUAL: "An individual's own support",
}


class Perspective(StrEnum):
    """How someone takes part. People with lived experience and carers are partners."""

    LIVED_EXPERIENCE = "lived_experience"
    CARER = "carer"
    FRONTLINE_STAFF = "frontline_staff"
    BACK_OFFICE_STAFF = "back_office_staff"
    MANAGER = "manager"
    COMMISSIONER = "commissioner"
    OTHER_STAFF = "other_staff"


PERSPECTIVE_LABELS: dict[Perspective, str] = {
    Perspective.LIVED_EXPERIENCE: "Lived experience of care and support",
    Perspective.CARER: "Carer",
    Perspective.FRONTLINE_STAFF: "Frontline staff",
    Perspective.BACK_OFFICE_STAFF: "Back-office staff",
    Perspective.MANAGER: "Manager",
    Perspective.COMMISSIONER: "Commissioner",
    Perspective.OTHER_STAFF: "Other staff",
}

PARTNER_PERSPECTIVES: frozenset[Perspective] = frozenset(
    {Perspective.LIVED_EXPERIENCE, Perspective.CARER}
)
PERSPECTIVE_SLUGS: tuple[str, ...] = tuple(p.value for p in Perspective)


def is_perspective(slug: object) -> bool:
    return isinstance(slug, str) and slug in PERSPECTIVE_SLUGS


def is_partner(perspective: str) -> bool:
    """Partners are people with lived experience of care and support, and carers."""
    return perspective in PARTNER_PERSPECTIVES
