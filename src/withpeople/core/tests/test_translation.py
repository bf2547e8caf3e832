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
    # A message that carries on, in lower case, after a link.
    re.compile(r'</a>\s*\{% translate "[a-z]'),
    # A link's text and its hidden words translated apart.
    re.compile(r'\{% translate "[^"]*" %\}\s*<span class="govuk-visually-hidden">\s*\{% translate'),
    re.compile(r'<span class="govuk-visually-hidden">\s*\{% translate "[^"]*" %\}\s*\{\{'),
]
#: Templates in apps being reworked separately, still to be brought into line.
KNOWN_SPLIT_SENTENCES = {
    "feedback/templates/feedback/picture_list.html",
    "groups/templates/groups/activity_access_needs.html",
    "privacy/templates/privacy/audit_log.html",
    "recognition/templates/recognition/person.html",
    "works/templates/works/evidence.html",
}


def test_no_sentence_is_split_around_a_link():
    package = Path(withpeople.__file__).parent
    split = []
    for template in sorted(package.glob("*/templates/**/*.html")):
        source = template.read_text()
        name = str(template.relative_to(package))
        if name in KNOWN_SPLIT_SENTENCES:
            continue
        for pattern in SPLIT_SENTENCE:
            for match in pattern.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                split.append(f"{name}:{line}: {match.group(0)}")
    assert not split, "Use one blocktranslate for the sentence:\n" + "\n".join(split)
