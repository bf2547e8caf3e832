"""Frameworks as data, review cycles and responses: every write is all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from withpeople.domain.mir.framework import FrameworkInvalid
from withpeople.feedback import services
from withpeople.feedback.models import (
    Answer,
    Channel,
    CycleStatus,
    Framework,
    Response,
    Statement,
    Theme,
)
from withpeople.feedback.tests.helpers import i_keys, make_cycle, we_key
from withpeople.frameworks import default_framework_path

pytestmark = pytest.mark.django_db

SMALL = """
format: withpeople.framework/1
key: ours
title: Our own words
themes:
  - key: one
    title: One
    statements:
      - {key: on-i1, kind: I, text: "I am listened to.", easy_read: "People listen to me."}
      - {key: on-we1, kind: We, text: "We listen."}
  - key: two
    title: Two
    statements:
      - {key: tw-i1, kind: I, text: "I choose."}
"""


def test_the_default_framework_is_there_from_the_migration(db):
    framework = Framework.objects.get(organisation__isnull=True, key="default")
    assert framework.themes.count() == 6
    assert framework.source == default_framework_path().read_text(encoding="utf-8")
    first = Statement.objects.filter(theme__framework=framework).order_by(
        "theme__position", "position"
    )[0]
    assert first.key == "wi-i1"
    assert first.easy_read


def test_a_framework_is_loaded_for_an_organisation(organisation):
    framework = services.framework_import(source=SMALL, organisation=organisation)
    assert framework.organisation == organisation
    assert [t.key for t in framework.themes.order_by("position")] == ["one", "two"]
    statements = Statement.objects.filter(theme__framework=framework).order_by(
        "theme__position", "position"
    )
    assert [(s.key, s.kind) for s in statements] == [
        ("on-i1", "I"),
        ("on-we1", "We"),
        ("tw-i1", "I"),
    ]
    assert Framework.objects.available_to(organisation).filter(pk=framework.pk).exists()


def test_a_bad_framework_names_every_problem_and_saves_nothing(organisation):
    bad = SMALL.replace("kind: We", "kind: we").replace("key: two", "key: Two")
    with pytest.raises(FrameworkInvalid) as raised:
        services.framework_import(source=bad, organisation=organisation)
    assert raised.value.errors == [
        'themes[0].statements[1].kind: must be "I" or "We"',
        "themes[1].key: must be a slug (lower-case letters, numbers and hyphens)",
    ]
    assert not Framework.objects.filter(key="ours").exists()
    assert not Theme.objects.filter(key="one").exists()


def test_an_unused_framework_is_replaced(organisation):
    first = services.framework_import(source=SMALL, organisation=organisation)
    second = services.framework_import(
        source=SMALL.replace("Our own words", "Our new words"), organisation=organisation
    )
    assert Framework.objects.filter(key="ours").get() == second
    assert second.title == "Our new words"
    assert not Framework.objects.filter(pk=first.pk).exists()


def test_a_framework_a_cycle_uses_is_not_replaced(organisation):
    framework = services.framework_import(source=SMALL, organisation=organisation)
    services.cycle_create(organisation=organisation, slug="c", name="C", framework=framework)
    with pytest.raises(services.FrameworkInUse, match="used by a review cycle"):
        services.framework_import(
            source=SMALL.replace("Our own words", "Changed"), organisation=organisation
        )
    assert Framework.objects.get(key="ours").title == "Our own words"


def test_another_organisations_framework_cannot_be_used(organisation):
    from withpeople.testing.factories import OrganisationFactory

    theirs = services.framework_import(source=SMALL, organisation=OrganisationFactory(slug="x"))
    with pytest.raises(ValidationError) as raised:
        services.cycle_create(organisation=organisation, slug="c", name="C", framework=theirs)
    assert "framework" in raised.value.message_dict


def test_cycle_slugs_are_unique_in_an_organisation(organisation):
    make_cycle(organisation, "spring")
    with pytest.raises(ValidationError) as raised:
        make_cycle(organisation, "spring")
    assert "already a review cycle" in raised.value.message_dict["slug"][0]


def test_end_before_start_is_refused(organisation):
    import datetime as dt

    with pytest.raises(ValidationError) as raised:
        make_cycle(organisation, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 2, 1))
    assert "ends_on" in raised.value.message_dict


def test_looking_again_before_the_cycle_is_refused(organisation):
    import datetime as dt

    with pytest.raises(ValidationError) as raised:
        make_cycle(organisation, starts_on=dt.date(2026, 3, 1), look_again_on=dt.date(2026, 2, 1))
    assert raised.value.message_dict == {
        "look_again_on": [
            "The date you will look again must be the same as or after the start date."
        ]
    }
    cycle = make_cycle(organisation, "ok", ends_on=dt.date(2026, 5, 31))
    with pytest.raises(ValidationError) as raised:
        services.cycle_set_look_again(cycle=cycle, look_again_on=dt.date(2026, 5, 30))
    assert "after the end date" in raised.value.message_dict["look_again_on"][0]
    cycle.refresh_from_db()
    assert cycle.look_again_on is None
    services.cycle_set_look_again(cycle=cycle, look_again_on=dt.date(2026, 5, 31))
    cycle.refresh_from_db()
    assert cycle.look_again_on == dt.date(2026, 5, 31)


@pytest.mark.parametrize(
    ("answers", "perspective", "message"),
    [
        ({}, "", "Answer at least one statement."),
        ({"zz-i9": "always"}, "", "not an I statement"),
        ({"wi-i1": "sometime"}, "", "is not an answer"),
        ({"wi-i1": "always"}, "patient", "Select a perspective"),
    ],
)
def test_bad_responses_save_nothing(organisation, answers, perspective, message):
    cycle = make_cycle(organisation)
    with pytest.raises(ValidationError) as raised:
        services.response_submit(
            cycle=cycle, answers=answers, perspective=perspective, channel=Channel.ONLINE
        )
    assert message in " ".join(raised.value.messages)
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_we_statement_cannot_be_answered(organisation):
    cycle = make_cycle(organisation)
    with pytest.raises(ValidationError):
        services.response_submit(
            cycle=cycle, answers={we_key(cycle): "always"}, channel=Channel.API
        )
    assert not Response.objects.exists()


def test_online_answers_need_an_open_cycle_but_paper_ones_do_not(organisation, members):
    cycle = make_cycle(organisation, status=CycleStatus.CLOSED)
    key = i_keys(cycle)[0]
    with pytest.raises(ValidationError, match="not open"):
        services.response_submit(cycle=cycle, answers={key: "always"}, channel=Channel.ONLINE)
    response = services.response_submit(
        cycle=cycle,
        answers={key: "always"},
        channel=Channel.PAPER,
        entered_by=members["staff"].user,
    )
    assert response.entered_by == members["staff"].user


def test_picture_type_is_checked_by_content(organisation):
    cycle = make_cycle(organisation)
    statement = Statement.objects.filter(theme__framework=cycle.framework, kind="I").first()
    with pytest.raises(ValidationError) as raised:
        services.picture_save(
            organisation=organisation, statement=statement, data=b"GIF89a....", alt_text="x"
        )
    assert raised.value.message_dict["image"] == ["The picture must be a PNG or JPEG."]
    big = b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError) as raised:
        services.picture_save(organisation=organisation, statement=statement, data=big, alt_text="")
    assert set(raised.value.message_dict) == {"image", "alt_text"}
    jpeg = services.picture_save(
        organisation=organisation,
        statement=statement,
        data=b"\xff\xd8\xff\xe0" + b"\x00" * 20,
        alt_text="A cup of tea",
    )
    assert jpeg.content_type == "image/jpeg"
    assert jpeg.image.name.endswith(".jpg")


OFFICIAL = """
format: withpeople.framework/1
key: official
title: Making It Real (official wording)
themes:
  - key: wellbeing
    title: Wellbeing and independence
    statements:
      - {key: WI.1, kind: I, text: "I have a life.", easy_read: "I have a life."}
      - {key: "Q&A/2", kind: I, text: "I get answers."}
      - {key: WE/1, kind: We, text: "We listen."}
"""


def test_a_seventy_character_key_is_named_by_its_path_and_saves_nothing(organisation):
    long_key = "k" * 70
    with pytest.raises(FrameworkInvalid) as raised:
        services.framework_import(
            source=SMALL.replace("key: on-i1", f"key: {long_key}"), organisation=organisation
        )
    assert raised.value.errors == ["themes[0].statements[0].key: must be 60 characters or fewer"]
    assert not Framework.objects.filter(key="ours").exists()


def test_official_statement_keys_work_from_the_file_to_the_pages(
    organisation, members, client_for, django_app
):
    framework = services.framework_import(source=OFFICIAL, organisation=organisation)
    cycle = services.cycle_create(
        organisation=organisation, slug="official", name="Official", framework=framework
    )
    services.cycle_set_status(cycle=cycle, status=CycleStatus.OPEN)
    # The public form names its fields after the keys, and keeps the answers under them.
    page = django_app.get(f"/f/{cycle.public_code}/")
    form = next(f for f in page.forms.values() if "token" in f.fields)
    form["answer-WI.1"] = "always"
    form["answer-Q&A/2"] = "never"
    form.submit().follow()
    # A file of answers names them ignoring case.
    data = b"response_id,submitted_on,statement,answer\nr1,2026-03-01,wi.1,mostly\n"
    services.responses_import(cycle=cycle, parsed=services.responses_check(cycle=cycle, data=data))
    assert sorted(
        Answer.objects.filter(response__cycle=cycle).values_list("statement__key", "answer")
    ) == [("Q&A/2", "never"), ("WI.1", "always"), ("WI.1", "mostly")]
    # A We statement key with a slash is rated at its own address.
    partner = client_for(members["partner"])
    assessment = partner.get(f"/o/example/cycles/{cycle.slug}/self-assessment/")
    assert 'href="/o/example/cycles/official/self-assessment/WE/1/"' in assessment.text
    rate = partner.get("/o/example/cycles/official/self-assessment/WE/1/")
    assert rate.status_code == 200
    assert "We listen." in rate.text
    # The picture page asks for a statement by its key in the query, encoded.
    staff = client_for(members["staff"])
    pictures = staff.get(f"/o/example/making-it-real/frameworks/{framework.pk}/pictures/")
    assert "?statement=Q%26A%2F2" in pictures.text
    upload = staff.get(
        f"/o/example/making-it-real/frameworks/{framework.pk}/pictures/upload/?statement=Q%26A%2F2"
    )
    assert upload.status_code == 200
    assert "I get answers." in upload.text
