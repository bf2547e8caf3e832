"""Messages: English by default, and translated by name, plural and list by any translator."""

from __future__ import annotations

import datetime as dt

import pytest

from withpeople.domain.evidence import evidence_for_aspect, partner_refs
from withpeople.domain.text import Message, and_list, name_in_sentence, say, say_n
from withpeople.domain.work_record import Activity, Decision, Person

#: A pretend catalogue: each message id and its translation (a pair for a plural).
CATALOGUE = {
    "Co-design": "Cyd-ddylunio",
    "To reach %(rung)s, partners need to take part in an activity.": (
        "Rhaid i bartneriaid gymryd rhan mewn gweithgaredd i gyrraedd %(rung)s."
    ),
    "%(count)s activity": ("%(count)s gweithgaredd", "%(count)s o weithgareddau"),
    "Partners generated options at %(activities)s.": (
        "Cynigiodd partneriaid opsiynau mewn %(activities)s."
    ),
    ", ": "; ",
    "%(items)s and %(last)s": "%(items)s a %(last)s",
}


def gettext(text: str) -> str:
    return CATALOGUE.get(text, text)


def ngettext(singular: str, plural: str, count: int) -> str:
    forms = CATALOGUE.get(singular, (singular, plural))
    return forms[0] if count == 1 else forms[1]


def test_a_message_is_its_english_with_the_values_put_in():
    message = say("To reach %(rung)s, partners need to take part in an activity.", rung="x")
    assert str(message) == "To reach x, partners need to take part in an activity."
    assert str(say("Nothing to put in, 100% plain.")) == "Nothing to put in, 100% plain."


def test_a_plural_message_is_chosen_by_its_count_and_shows_it():
    assert str(say_n("%(count)s activity", "%(count)s activities", 1)) == "1 activity"
    assert str(say_n("%(count)s activity", "%(count)s activities", 0)) == "0 activities"
    assert str(say_n("The one", "All %(count)s", 3)) == "All 3"


def test_a_message_is_translated_with_its_values_where_the_translation_puts_them():
    message = say(
        "To reach %(rung)s, partners need to take part in an activity.",
        rung=name_in_sentence("Co-design"),
    )
    assert message.render(gettext, ngettext) == (
        "Rhaid i bartneriaid gymryd rhan mewn gweithgaredd i gyrraedd cyd-ddylunio."
    )
    assert str(message) == "To reach co-design, partners need to take part in an activity."


def test_nested_plurals_and_lists_are_translated_too():
    activities = say_n("%(count)s activity", "%(count)s activities", 2)
    message = say("Partners generated options at %(activities)s.", activities=activities)
    assert message.render(gettext, ngettext) == (
        "Cynigiodd partneriaid opsiynau mewn 2 o weithgareddau."
    )
    listed = and_list([say("a"), say("b"), say("c")])
    assert str(listed) == "a, b and c"
    assert listed.render(gettext, ngettext) == "a; b a c"


def test_a_list_of_one_is_that_item_and_of_none_is_nothing():
    assert str(and_list([say("a")])) == "a"
    empty = and_list([])
    assert str(empty) == ""
    # Never looked up: gettext("") is a catalogue's header, not a translation.
    assert empty.render(lambda text: "HEADER", ngettext) == ""


@pytest.mark.parametrize(
    ("activities", "decisions"),
    [
        ((), ()),
        ((), ("organisation_alone",)),
        ((("views_sought",),), ("organisation_after_views",)),
        ((("partners_generated_options", "partners_shaped_agenda"),), ("jointly",)),
        ((("partners_delivered",), ("informed_of_decisions",)), ("partners", "partners")),
    ],
)
def test_every_reason_for_a_rung_is_a_message_whose_english_is_the_why(activities, decisions):
    day = dt.date(2025, 3, 1)
    evidence = evidence_for_aspect(
        [
            Activity("a", day, "workshop", ("p",), **dict.fromkeys(parts, True))
            for parts in activities
        ],
        [Decision("a", day, "S", decided_by) for decided_by in decisions],
        partner_refs([Person("p", "carer")]),
    )
    assert evidence.reasons
    assert all(isinstance(reason, Message) for reason in evidence.reasons)
    assert evidence.why == [str(reason) for reason in evidence.reasons]


def test_a_kept_message_renders_as_the_message_did():
    import json

    from withpeople.domain.evidence import evidence_for_aspect
    from withpeople.domain.text import message_from_data, message_to_data, say, say_n

    inner = say_n("%(count)s activity", "%(count)s activities", 3)
    message = say("%(items)s and %(last)s", items=(inner, say("x")), last=say("%(n)s", n=2))
    kept = json.loads(json.dumps(message_to_data(message)))
    assert message_from_data(kept) == message
    assert str(message_from_data(kept)) == str(message)

    def gettext(text):
        return "~" + text

    def ngettext(singular, plural, count):
        return "~" + (singular if count == 1 else plural)

    assert message_from_data(kept).render(gettext, ngettext) == message.render(gettext, ngettext)
    assert evidence_for_aspect([], [], set()).reasons  # the reasons kept are such messages
