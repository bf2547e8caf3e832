"""The ladder's labels are translated where Django shows them, and found by makemessages."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import withpeople
import withpeople.domain.ladder

WELSH = {
    "Co-production": "Cyd-gynhyrchu",
    "Doing with": "Gwneud gyda",
    "Strategic": "Strategol",
    "An equal relationship from design to delivery, with decisions shared.": (
        "Perthynas gyfartal o'r dylunio i'r cyflawni, gyda phenderfyniadau'n cael eu rhannu."
    ),
    "Carer": "Gofalwr",
    "Co-design": "Cyd-ddylunio",
    "Engagement": "Ymgysylltu",
}

#: The words of an assessment: flags, why lines, and the labels of the work record.
WELSH_ASSESSMENT = {
    "Behind the plan": "Y tu ôl i'r cynllun",
    "The evidence puts this aspect on a lower rung than the one planned. Either the way of "
    "working needs to change, or the plan needs to step down openly, with a reason.": (
        "Mae'r dystiolaeth yn rhoi'r agwedd hon ar ris is na'r un a gynlluniwyd."
    ),
    "No frontline staff took part": "Ni chymerodd staff rheng flaen ran",
    "Partners' views were sought at %(activities)s.": (
        "Gofynnwyd am farn partneriaid mewn %(activities)s."
    ),
    # The rung comes last in Welsh, so the test shows the words can move.
    "To reach %(rung)s, partners need to influence a decision about this aspect: their input "
    "needs to change it, or it needs to be made jointly or by partners. No decision has been "
    "recorded yet.": (
        "Rhaid i bartneriaid ddylanwadu ar benderfyniad am yr agwedd hon i gyrraedd %(rung)s. "
        "Does dim penderfyniad wedi'i gofnodi eto."
    ),
    "their views were sought": "gofynnwyd am eu barn",
    "A legal or regulatory duty": "Dyletswydd gyfreithiol neu reoleiddiol",
    "Partners and the organisation jointly": "Partneriaid a'r sefydliad ar y cyd",
    "Co-chair": "Cyd-gadeirydd",
    "Does not apply to me": "Nid yw'n berthnasol i mi",
}

#: A link's text and its hidden words are one message; Welsh puts the name first here.
WELSH_LINKS = {
    'Change<span class="govuk-visually-hidden"> %(name)s</span>': (
        '<span class="govuk-visually-hidden">%(name)s: </span>Newid'
    ),
}

#: Plurals: (singular, plural) and the forms Welsh has (Django's rule for Welsh: one, two,
#: other, and eight or eleven). A Welsh noun after a number stays singular.
WELSH_PLURALS = {
    ("%(count)s activity", "%(count)s activities"): ("%(count)s gweithgaredd",) * 4,
}
WELSH_PLURAL_FORMS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"


def write_mo(
    path: Path,
    messages: dict[str, str],
    plurals: dict[tuple[str, str], tuple[str, ...]] | None = None,
    plural_forms: str = "nplurals=2; plural=(n != 1);",
) -> None:
    """A GNU gettext catalogue, so the test needs no gettext tools to compile one."""
    info = f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms}\n"
    catalogue = {"": info, **messages}
    for (singular, plural), forms in (plurals or {}).items():
        catalogue[f"{singular}\0{plural}"] = "\0".join(forms)
    entries = sorted((key.encode(), value.encode()) for key, value in catalogue.items())
    ids = [key for key, _value in entries]
    strs = [value for _key, value in entries]
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + len(entries) * 8
    data_start = strs_table + len(entries) * 8
    offsets, data = [], b""
    for text in ids + strs:
        offsets.append((len(text), data_start + len(data)))
        data += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(entries), ids_table, strs_table, 0, 0)
    tables = b"".join(struct.pack("<2I", *pair) for pair in offsets)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + tables + data)


@pytest.fixture
def welsh(settings, tmp_path):
    write_mo(
        tmp_path / "cy" / "LC_MESSAGES" / "django.mo",
        {**WELSH, **WELSH_ASSESSMENT, **WELSH_LINKS},
        WELSH_PLURALS,
        WELSH_PLURAL_FORMS,
    )
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]


@pytest.mark.django_db
def test_the_ladder_page_shows_translated_labels(client, welsh):
    html = client.get("/ladder/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    for welsh_label in WELSH.values():
        if welsh_label != "Gofalwr":
            assert welsh_label.replace("'", "&#x27;") in html, welsh_label
    assert "Doing with" not in html


def test_perspective_choices_are_translated(welsh):
    from withpeople.organisations.models import Membership

    with translation.override("cy"):
        assert Membership(perspective="carer").get_perspective_display() == "Gofalwr"
    assert Membership(perspective="carer").get_perspective_display() == "Carer"


@pytest.fixture
def work(organisation, members):
    """A piece of work led by the staff member, as it is when they start it."""
    from withpeople.works.services import work_create

    return work_create(
        organisation=organisation,
        title="Carers' strategy",
        level="strategic",
        leads=[members["staff"]],
    )


def _works_page(client, work, name="detail", **kwargs) -> tuple[str, str]:
    """The page in Welsh and in English, so each test shows it tells the two apart."""
    from django.urls import reverse

    path = reverse(
        f"works:{name}", kwargs={"org_slug": work.organisation.slug, "pk": work.pk, **kwargs}
    )
    welsh = client.get(path, HTTP_ACCEPT_LANGUAGE="cy")
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en-gb")
    assert welsh.status_code == english.status_code == 200
    return welsh.content.decode(), english.content.decode()


@pytest.mark.django_db
def test_the_piece_of_work_page_shows_translated_rungs_and_level(client_for, members, work, welsh):
    html, english = _works_page(client_for(members["partner"]), work)
    # The level, the ladder table, the ladder picture and its caption.
    assert '<dd class="govuk-summary-list__value">Strategol</dd>' in html
    assert '<td class="govuk-table__cell">Cyd-gynhyrchu</td>' in html
    assert ">Cyd-gynhyrchu</text>" in html
    assert ">Cyd-ddylunio</text>" in html
    assert "planned at Cyd-gynhyrchu;" in html
    for label in ("Strategic", "Co-production", "Co-design"):
        assert f">{label}<" not in html
        assert f">{label}<" in english


@pytest.mark.django_db
def test_the_overview_of_pieces_of_work_shows_translated_rungs_and_levels(
    client_for, members, work, welsh
):
    from django.urls import reverse

    path = reverse("works:list", kwargs={"org_slug": work.organisation.slug})
    client = client_for(members["staff"])
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en-gb").content.decode()
    assert "Strategol · " in html
    assert '<td class="govuk-table__cell">Cyd-gynhyrchu</td>' in html
    assert '<option value="strategic">Strategol</option>' in html  # the filter by level
    assert "Strategic · " not in html
    assert "Strategic · " in english
    assert '<td class="govuk-table__cell">Co-production</td>' in english


@pytest.mark.django_db
def test_planning_pages_offer_translated_rungs(client_for, members, work, welsh):
    client = client_for(members["staff"])
    aspect = work.aspects.get(key="deciding")
    html, english = _works_page(client, work, "aspects")
    assert '<td class="govuk-table__cell">Cyd-gynhyrchu</td>' in html
    assert '<td class="govuk-table__cell">Co-production</td>' in english
    html, english = _works_page(client, work, "aspect-edit", aspect_pk=aspect.pk)
    assert "7. Cyd-gynhyrchu" in html
    assert "6. Cyd-ddylunio" in html
    assert "7. Co-production" not in html
    assert "7. Co-production" in english


@pytest.mark.django_db
def test_a_change_link_is_translated_with_its_hidden_name_as_one_message(
    client_for, members, work, welsh
):
    html, english = _works_page(client_for(members["staff"]), work, "aspects")
    assert '<span class="govuk-visually-hidden">Deciding: </span>Newid</a>' in html
    assert 'Change<span class="govuk-visually-hidden"> Deciding</span></a>' in english


@pytest.mark.django_db
def test_the_openness_statement_shows_the_translated_rung_and_level(client, work, welsh):
    from django.urls import reverse

    from withpeople.works.services import work_publish

    work_publish(work=work)
    path = reverse("works:openness", kwargs={"org_slug": work.organisation.slug, "pk": work.pk})
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "<strong>Cyd-gynhyrchu</strong>: Perthynas gyfartal" in html
    assert "(strategol level)" in html
    assert "<strong>Co-production</strong>" not in html


@pytest.mark.django_db
def test_the_audit_log_names_rungs_in_the_language_of_the_change(work, welsh):
    import datetime as dt

    from withpeople.audit.models import AuditEvent
    from withpeople.works import services

    carer = services.work_member_add(work=work, name="Amir", perspective="carer")
    aspect = work.aspects.get(key="designing")
    services.activity_save(
        work=work,
        aspect=aspect,
        date=dt.date(2026, 2, 1),
        kind="workshop",
        participants=[carer],
        partners_generated_options=True,
    )
    services.decision_save(
        work=work, aspect=aspect, date=dt.date(2026, 2, 2), summary="B", decided_by="jointly"
    )
    alone = services.decision_save(
        work=work,
        aspect=aspect,
        date=dt.date(2026, 2, 3),
        summary="Budget",
        decided_by="organisation_alone",
    )
    with translation.override("cy"):
        services.decision_withdraw(decision=alone, actor=None, reason="Recorded by mistake")
    detail = AuditEvent.objects.get().detail
    assert "moved from ymgysylltu to cyd-ddylunio." in detail


@pytest.fixture
def assessed_work(work):
    """A piece of work whose first aspect has one activity where a carer's views were sought,
    and no decision, so it is behind the plan; no frontline staff took part. Another aspect has
    a joint decision, and another steps down for a legal duty."""
    import datetime as dt

    from withpeople.works import services

    carer = services.work_member_add(work=work, name="Amir", perspective="carer")
    services.activity_save(
        work=work,
        aspect=work.aspects.get(key="understanding"),
        date=dt.date(2026, 2, 1),
        kind="workshop",
        participants=[carer],
        views_sought=True,
    )
    services.decision_save(
        work=work,
        aspect=work.aspects.get(key="deciding"),
        date=dt.date(2026, 2, 2),
        summary="Budget",
        decided_by="jointly",
    )
    services.aspect_update(
        aspect=work.aspects.get(key="delivering"),
        name="Delivering",
        intended_rung="consultation",
        reason_category="legal_duty",
        reason_explanation="The law says how it is done.",
    )
    return work


VIEWS_SOUGHT = "Partners' views were sought at 1 activity."
TO_REACH_ENGAGEMENT = (
    "To reach engagement, partners need to influence a decision about this aspect: their input "
    "needs to change it, or it needs to be made jointly or by partners. No decision has been "
    "recorded yet."
)
BEHIND_THE_PLAN = (
    "The evidence puts this aspect on a lower rung than the one planned. Either the way of "
    "working needs to change, or the plan needs to step down openly, with a reason."
)


@pytest.mark.django_db
def test_the_piece_of_work_page_shows_translated_flags_and_why(
    client_for, members, assessed_work, welsh
):
    from django.utils.html import escape

    html, english = _works_page(client_for(members["partner"]), assessed_work)
    # The flags: title and explanation, of an aspect and of the piece of work.
    assert '<strong class="govuk-tag govuk-tag--yellow">Y tu ôl i&#x27;r cynllun<' in html
    assert escape(WELSH_ASSESSMENT[BEHIND_THE_PLAN]) in html
    assert '<strong class="govuk-tag govuk-tag--orange">Ni chymerodd staff rheng flaen ran<' in html
    # The why lines: a count inside a sentence, and a rung the translation puts elsewhere.
    assert "<li>Gofynnwyd am farn partneriaid mewn 1 gweithgaredd.</li>" in html
    assert (
        "<li>Rhaid i bartneriaid ddylanwadu ar benderfyniad am yr agwedd hon i gyrraedd "
        "ymgysylltu. Does dim penderfyniad wedi&#x27;i gofnodi eto.</li>"
    ) in html
    # The reason for stepping down.
    assert "Dyletswydd gyfreithiol neu reoleiddiol. The law says how it is done." in html
    for text in ("Behind the plan", BEHIND_THE_PLAN, VIEWS_SOUGHT, TO_REACH_ENGAGEMENT):
        assert escape(text) not in html
        assert escape(text) in english
    # In English, exactly the words of the assessment format.
    assert f"<li>{escape(VIEWS_SOUGHT)}</li>" in english
    assert f"<li>{escape(TO_REACH_ENGAGEMENT)}</li>" in english
    assert "No frontline staff took part<" in english
    assert "A legal or regulatory duty. The law says how it is done." in english


@pytest.mark.django_db
def test_the_assessment_format_stays_in_english_whatever_the_language(assessed_work, welsh):
    from withpeople.works.selectors import assessment_for

    with translation.override("cy"):
        assessment = assessment_for(assessed_work)
    understanding = assessment["aspects"][0]
    assert understanding["why"] == [VIEWS_SOUGHT, TO_REACH_ENGAGEMENT]
    assert all(isinstance(line, str) for line in understanding["why"])


@pytest.mark.django_db
def test_the_overview_and_evidence_pages_show_translated_flags_and_labels(
    client_for, members, assessed_work, welsh
):
    from django.urls import reverse

    client = client_for(members["staff"])
    path = reverse("works:list", kwargs={"org_slug": assessed_work.organisation.slug})
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en-gb").content.decode()
    assert '<option value="behind_plan">Y tu ôl i&#x27;r cynllun</option>' in html
    assert "Ni chymerodd staff rheng flaen ran" in html
    assert '<option value="behind_plan">Behind the plan</option>' in english
    html, english = _works_page(client, assessed_work, "evidence")
    assert "<li>gofynnwyd am eu barn</li>" in html
    assert "Partneriaid a&#x27;r sefydliad ar y cyd" in html
    assert "<li>their views were sought</li>" in english
    assert "Partners and the organisation jointly" in english
    html, english = _works_page(client, assessed_work, "aspects")
    assert "Dyletswydd gyfreithiol neu reoleiddiol: The law says how it is done." in html
    assert "A legal or regulatory duty: The law says how it is done." in english


def test_choices_from_the_domain_are_translated(welsh):
    from withpeople.core import domain_text

    choices = {
        "legal_duty": domain_text.REASON_CHOICES,
        "jointly": domain_text.DECIDER_CHOICES,
        "co_chair": domain_text.ROLE_CHOICES,
        "views_sought": domain_text.PARTNER_PART_CHOICES,
        "not_applicable": domain_text.ANSWER_CHOICES,
        "behind_plan": domain_text.FLAG_CHOICES,
    }
    with translation.override("cy"):
        welsh_labels = [str(dict(labels)[key]) for key, labels in choices.items()]
    english_labels = [str(dict(labels)[key]) for key, labels in choices.items()]
    assert welsh_labels == [
        "Dyletswydd gyfreithiol neu reoleiddiol",
        "Partneriaid a'r sefydliad ar y cyd",
        "Cyd-gadeirydd",
        "gofynnwyd am eu barn",
        "Nid yw'n berthnasol i mi",
        "Y tu ôl i'r cynllun",
    ]
    assert english_labels == [
        "A legal or regulatory duty",
        "Partners and the organisation jointly",
        "Co-chair",
        "their views were sought",
        "Does not apply to me",
        "Behind the plan",
    ]


XGETTEXT = shutil.which("xgettext")


def _domain_message_ids() -> set[str]:
    """Every message id (singular and plural) in the domain, as makemessages finds them."""
    from withpeople.core.management.commands.makemessages import Command

    package = Path(withpeople.domain.__file__).parent
    sources = sorted(str(path) for path in package.rglob("*.py") if "tests" not in path.parts)
    result = subprocess.run(
        [XGETTEXT, "--language=Python", "--no-wrap", *Command.xgettext_options, "-o-", *sources],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.findall(r'^msgid(?:_plural)? "(.*)"$', result.stdout, re.MULTILINE)
    return {text.replace('\\"', '"') for text in found}


def _texts(message) -> set[str]:
    """The message ids of a message and of every message inside it."""
    from withpeople.domain.text import LIST_SEPARATOR, Message

    texts = {message.text, message.plural} - {""}
    for value in message.values.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Message):
                texts |= _texts(item)
        if isinstance(value, tuple):
            texts.add(LIST_SEPARATOR)
    return texts


def _every_why_message():
    """The reasons the evidence rules give, for every part partners may have had at an
    activity, with each mix of deciders and of changed or told decisions."""
    import datetime as dt

    from withpeople.domain.evidence import evidence_for_aspect, partner_refs
    from withpeople.domain.work_record import DECIDERS, PARTNER_PARTS, Activity, Decision, Person

    day = dt.date(2026, 1, 1)
    partners = partner_refs([Person("p", "carer")])
    decision_sets = [()] + [
        (Decision("a", day, "S", decider, changed, feedback_given_on=day if told else None),) * n
        for decider in DECIDERS
        for changed in (False, True)
        for told in (False, True)
        for n in (1, 2)
    ]
    decision_sets += [
        (Decision("a", day, "S", "organisation_alone"), Decision("a", day, "S", other))
        for other in DECIDERS
    ]
    for count in range(1 << len(PARTNER_PARTS)):
        parts = [part for index, part in enumerate(PARTNER_PARTS) if count >> index & 1]
        activity = Activity("a", day, "workshop", ("p",), **dict.fromkeys(parts, True))
        for activities in ((), (activity,), (activity, activity)):
            for decisions in decision_sets:
                yield from evidence_for_aspect(activities, decisions, partners).reasons


@pytest.mark.skipif(not XGETTEXT, reason="needs GNU gettext's xgettext")
def test_makemessages_finds_every_label_and_message_of_the_domain():
    from withpeople.domain import assessment, ladder, rights, work_record
    from withpeople.domain.mir import results

    found = _domain_message_ids()
    labels = {
        *(rung.name for rung in ladder.RUNGS),
        *(rung.summary for rung in ladder.RUNGS),
        *ladder.GROUP_LABELS.values(),
        *ladder.LEVEL_LABELS.values(),
        *ladder.PERSPECTIVE_LABELS.values(),
        *(text for flag in assessment.ASPECT_FLAGS.values() for text in vars(flag).values()),
        *(text for flag in assessment.WORK_FLAGS.values() for text in vars(flag).values()),
        *work_record.REASON_CATEGORIES.values(),
        *work_record.DECIDERS.values(),
        *work_record.PARTNER_PARTS.values(),
        *work_record.ROLES.values(),
        *results.ANSWER_LABELS.values(),
        *rights.RIGHT_LABELS.values(),
    }
    assert not labels - found, "Mark these labels with N_"
    reasons = {
        access.reason.text
        for role in (rights.ADMIN, rights.STAFF, rights.PARTNER, None)
        for in_group in (True, False)
        for access in (
            *(
                rights.work_access(org_role=role, in_group=in_group, lead=lead, level=level)
                for lead in (True, False)
                for level in ladder.Level
            ),
            rights.standing_group_access(org_role=role, in_group=in_group),
        )
    }
    assert len(reasons) >= 8
    assert not reasons - found, "Mark these reasons with say"
    why = set().union(*map(_texts, _every_why_message()))
    # Every branch the rules can reach, from no evidence to co-production, and lists of two or
    # more.
    assert len(why) >= 40
    assert "%(items)s and %(last)s" in why
    assert not why - found, "Mark these messages with say or say_n"


# A sentence must be one message, link and all, so a translator can reorder its words:
# "{% translate 'check your spam folder, or' %} <a>{% translate 'ask again' %}</a>." cannot be
# translated well. The same holds for a link's visually hidden words, which finish its text.
SPLIT_SENTENCE = [
    # A message that ends mid-sentence just before a link.
    re.compile(r'\{% translate "[^"]*[a-z,]" %\}\s*<a\b'),
    # A message that carries on, in lower case, after a link (and perhaps a comma or colon).
    re.compile(r'</a>[,:;]?\s*\{% translate "[a-z]'),
    # A link's or button's text translated apart from its hidden words, which finish it:
    # "{% translate 'Change' %}<span class=...> {{ name }}</span>" cannot put the name first.
    # One blocktranslate holds both, the name a placeholder: "Change<span ...> {{ name }}</span>".
    re.compile(r'\{% translate "[^"]*" %\}\s*<span class="govuk-visually-hidden">'),
    re.compile(r'<span class="govuk-visually-hidden">\s*\{% translate "[^"]*" %\}\s*\{\{'),
    # A name followed by hidden words translated on their own.
    re.compile(r'\}\}\s*<span class="govuk-visually-hidden">\s*\{% (block)?translate'),
]


def test_no_sentence_is_split_around_a_link():
    package = Path(withpeople.__file__).parent
    split = []
    for template in sorted(package.glob("*/templates/**/*.html")):
        source = template.read_text()
        name = str(template.relative_to(package))
        for pattern in SPLIT_SENTENCE:
            for match in pattern.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                split.append(f"{name}:{line}: {match.group(0)}")
    assert not split, "Use one blocktranslate for the sentence:\n" + "\n".join(split)
