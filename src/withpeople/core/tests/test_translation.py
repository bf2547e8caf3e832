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


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU gettext catalogue, so the test needs no gettext tools to compile one."""
    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    ids = [key.encode() for key, _value in entries]
    strs = [value.encode() for _key, value in entries]
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
    write_mo(tmp_path / "cy" / "LC_MESSAGES" / "django.mo", WELSH)
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
def work(organisation):
    from withpeople.works.services import work_create

    return work_create(organisation=organisation, title="Carers' strategy", level="strategic")


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
        services.decision_delete(decision=alone, actor=None)
    detail = AuditEvent.objects.get().detail
    assert "moved from ymgysylltu to cyd-ddylunio." in detail


XGETTEXT = shutil.which("xgettext")


@pytest.mark.skipif(not XGETTEXT, reason="needs GNU gettext's xgettext")
def test_makemessages_finds_the_labels_marked_in_the_domain():
    from withpeople.core.management.commands.makemessages import Command

    source = Path(withpeople.domain.ladder.__file__)
    result = subprocess.run(
        [XGETTEXT, "--language=Python", *Command.xgettext_options, "--output=-", str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    for label in ("Co-production", "Doing with", "An individual's own support", "Carer"):
        assert f'msgid "{label}"' in result.stdout


# A sentence must be one message, link and all, so a translator can reorder its words:
# "{% translate 'check your spam folder, or' %} <a>{% translate 'ask again' %}</a>." cannot be
# translated well. The same holds for a link's visually hidden words, which finish its text.
SPLIT_SENTENCE = [
    # A message that ends mid-sentence just before a link.
    re.compile(r'\{% translate "[^"]*[a-z,]" %\}\s*<a\b'),
    # A message that carries on, in lower case, after a link (and perhaps a comma or colon).
    re.compile(r'</a>[,:;]?\s*\{% translate "[a-z]'),
    # A link's text and its hidden words translated apart.
    re.compile(r'\{% translate "[^"]*" %\}\s*<span class="govuk-visually-hidden">\s*\{% translate'),
    re.compile(r'<span class="govuk-visually-hidden">\s*\{% translate "[^"]*" %\}\s*\{\{'),
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
