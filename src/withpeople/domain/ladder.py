"""The ladder of co-production and the perspectives people take part from.

The ladder is Think Local Act Personal's ladder of co-production, after Sherry Arnstein's
"A ladder of citizen participation" (Journal of the American Institute of Planners, 1969).
Seven rungs, bottom to top, in three groups: doing to, doing for, doing with.

Labels here are in English and marked with `N_` for translation (see withpeople.domain.text).
This module has no Django, so it does not translate them: `withpeople makemessages` collects
every `N_("...")`, and Django code shows them through gettext, for example with
withpeople.core.ladder_labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from withpeople.domain.text import N_


class RungGroup(StrEnum):
    DOING_TO = "doing_to"
    DOING_FOR = "doing_for"
    DOING_WITH = "doing_with"


GROUP_LABELS: dict[RungGroup, str] = {
    RungGroup.DOING_TO: N_("Doing to"),
    RungGroup.DOING_FOR: N_("Doing for"),
    RungGroup.DOING_WITH: N_("Doing with"),
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
        N_("Coercion"),
        RungGroup.DOING_TO,
        N_("People attend as passive recipients. Their views are not taken into account."),
    ),
    Rung(
        2,
        "educating",
        N_("Educating"),
        RungGroup.DOING_TO,
        N_("People are helped to understand how services are designed and run."),
    ),
    Rung(
        3,
        "informing",
        N_("Informing"),
        RungGroup.DOING_FOR,
        N_("People are told about services and about decisions that have already been made."),
    ),
    Rung(
        4,
        "consultation",
        N_("Consultation"),
        RungGroup.DOING_FOR,
        N_(
            "People are asked for their views, in surveys or meetings, "
            "but have no power to change things."
        ),
    ),
    Rung(
        5,
        "engagement",
        N_("Engagement"),
        RungGroup.DOING_FOR,
        N_(
            "People have more chances to give their views and some influence on decisions, "
            "as far as the organisation allows."
        ),
    ),
    Rung(
        6,
        "co-design",
        N_("Co-design"),
        RungGroup.DOING_WITH,
        N_(
            "People help to design services from their experience and ideas. They have real "
            "influence, but do not see the work through."
        ),
    ),
    Rung(
        7,
        "co-production",
        N_("Co-production"),
        RungGroup.DOING_WITH,
        N_("An equal relationship from design to delivery, with decisions shared."),
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
    Level.STRATEGIC: N_("Strategic"),
    Level.SERVICE_DESIGN: N_("Service design"),
    Level.INDIVIDUAL: N_("An individual's own support"),
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
    Perspective.LIVED_EXPERIENCE: N_("Lived experience of care and support"),
    Perspective.CARER: N_("Carer"),
    Perspective.FRONTLINE_STAFF: N_("Frontline staff"),
    Perspective.BACK_OFFICE_STAFF: N_("Back-office staff"),
    Perspective.MANAGER: N_("Manager"),
    Perspective.COMMISSIONER: N_("Commissioner"),
    Perspective.OTHER_STAFF: N_("Other staff"),
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
