"""Staff and members' pages: cycles, frameworks, paper entry and pictures."""

import pytest

from withpeople.audit.models import AuditEvent
from withpeople.feedback.models import Channel, CycleStatus, Framework, Response, ReviewCycle
from withpeople.feedback.tests.helpers import i_keys, make_cycle
from withpeople.feedback.tests.test_services import SMALL
from withpeople.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
BASE = "/o/example/making-it-real/"


def _form(page, field):
    return next(f for f in page.forms.values() if field in f.fields)


def _button_form(page, label):
    return next(f for f in page.forms.values() if label in f.text)


def test_staff_start_open_and_close_a_cycle(django_app, organisation, members):
    user = members["staff"].user
    page = django_app.get(BASE, user=user).click("Start a review cycle")
    form = _form(page, "name")
    form["name"] = ""
    form["slug"] = "Spring 2026"
    page = form.submit()
    assert "Enter a name for the review cycle" in page
    assert "Enter a short name using only lower-case letters" in page
    form = _form(page, "name")
    form["name"] = "Spring 2026"
    form["slug"] = "spring-2026"
    page = form.submit().follow()
    cycle = ReviewCycle.objects.get(slug="spring-2026")
    assert cycle.status == CycleStatus.DRAFT
    assert f"/f/{cycle.public_code}/" in page
    page = page.click("Open for feedback", href="/open/")
    page = _button_form(page, "Open for feedback").submit().follow()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    page = page.click("Close for feedback", href="/close/")
    _button_form(page, "Close for feedback").submit()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED


def test_the_cycle_page_links_the_short_link_and_poster(django_app, organisation, members):
    cycle = make_cycle(organisation)
    page = django_app.get(f"{BASE}cycles/{cycle.slug}/", user=members["partner"].user)
    assert page.html.select_one(f'a[href$="/f/{cycle.public_code}/"]')
    assert "Enter a paper or phone response" not in page  # partners do not manage cycles
    poster = page.click("Print the short link and QR code")
    assert poster.html.select_one("svg.wp-qr")
    assert f"/f/{cycle.public_code}/" in poster.text


def test_paper_entry_is_saved_and_audited(django_app, organisation, members):
    cycle = make_cycle(organisation, status=CycleStatus.CLOSED)
    user = members["staff"].user
    page = django_app.get(f"{BASE}cycles/{cycle.slug}/responses/new/", user=user)
    form = _form(page, "channel")
    page = form.submit()
    assert "Select how the answers reached you" in page
    form = _form(page, "channel")
    form["channel"] = "paper"
    form[f"answer-{i_keys(cycle)[0]}"] = "sometimes"
    form.submit().follow()
    response = Response.objects.get(cycle=cycle)
    assert (response.channel, response.entered_by) == (Channel.PAPER, user)
    event = AuditEvent.objects.get(action="entered_feedback_response")
    assert (event.actor, event.subject_id) == (user, str(response.pk))


def test_an_admin_uploads_a_framework_and_errors_save_nothing(django_app, organisation, members):
    user = members["admin"].user
    page = django_app.get(f"{BASE}frameworks/new/", user=user)
    form = _form(page, "file")
    form["file"] = ("ours.yaml", SMALL.replace("kind: We", "kind: we").encode())
    page = form.submit()
    assert page.html.select_one(".govuk-error-summary")
    assert 'themes[0].statements[1].kind: must be "I" or "We"' in page.text.replace("&quot;", '"')
    assert not Framework.objects.filter(key="ours").exists()
    form = _form(page, "file")
    form["file"] = ("ours.yaml", SMALL.encode())
    page = form.submit().follow()
    assert "I am listened to." in page
    assert Framework.objects.get(key="ours").organisation == organisation


def test_members_see_a_frameworks_statements(django_app, organisation, members):
    page = django_app.get(f"{BASE}frameworks/", user=members["partner"].user)
    page = page.click("Making It Real: what good looks like")
    assert "wi-i1" in page
    assert "We statements" in page


def test_a_picture_is_uploaded_for_the_easy_read_form(django_app, organisation, members):
    cycle = make_cycle(organisation)
    page = django_app.get(
        f"{BASE}frameworks/{cycle.framework_id}/pictures/", user=members["staff"].user
    )
    page = page.click(href="/pictures/upload/", index=0)
    form = _form(page, "alt_text")
    form["image"] = ("x.gif", b"GIF89a" + b"\x00" * 10)
    form["alt_text"] = ""
    page = form.submit()
    assert "The picture must be a PNG or JPEG." in page
    assert "Describe what the picture shows" in page
    form = _form(page, "alt_text")
    form["image"] = ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    form["alt_text"] = "A person smiling"
    page = form.submit().follow()
    assert "A person smiling" in page


def test_a_picture_is_removed_and_another_organisations_is_kept(
    django_app, client_for, organisation, members
):
    from withpeople.feedback.models import Statement, StatementPicture
    from withpeople.feedback.services import picture_save

    cycle = make_cycle(organisation)
    statement = Statement.objects.get(theme__framework=cycle.framework, key="wi-i1")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
    ours = picture_save(
        organisation=organisation, statement=statement, data=png, alt_text="A person smiling"
    )
    theirs = picture_save(
        organisation=OrganisationFactory(slug="theirs"),
        statement=statement,
        data=png,
        alt_text="A cup of tea",
    )
    storage, name = ours.image.storage, ours.image.name
    url = f"{BASE}frameworks/{cycle.framework_id}/pictures/"
    page = django_app.get(url, user=members["staff"].user)
    page = _button_form(page, "Remove").submit().follow()
    assert "The picture has been removed." in page
    assert "A person smiling" not in page
    assert not StatementPicture.objects.filter(pk=ours.pk).exists()
    assert not storage.exists(name)
    assert StatementPicture.objects.filter(pk=theirs.pk).exists()
    # With no picture of ours left, theirs cannot be removed from our page.
    sent = client_for(members["staff"]).post(f"{url}remove/", {"statement": "wi-i1"})
    assert sent.status_code == 404
    assert StatementPicture.objects.filter(pk=theirs.pk).exists()


def make_statement(framework):
    from withpeople.feedback.models import Statement, Theme

    theme = Theme.objects.create(framework=framework, key="t", title="T")
    return Statement.objects.create(theme=theme, key="t-i1", kind="I", text="I am.")


def test_another_organisations_cycle_is_not_found_under_our_name(django_app, organisation, members):
    theirs = make_cycle(OrganisationFactory(slug="theirs", name="Their Trust"), "theirs")
    user = members["admin"].user
    for suffix in ("", "edit/", "open/", "poster/", "responses/new/", "imports/new/"):
        django_app.get(f"{BASE}cycles/{theirs.slug}/{suffix}", user=user, status=404)
    their_framework = Framework.objects.create(
        organisation=theirs.organisation, key="x", title="X", source="x"
    )
    django_app.get(f"{BASE}frameworks/{their_framework.pk}/", user=user, status=404)
    their_statement = make_statement(their_framework)
    mine = Framework.objects.get(organisation__isnull=True, key="default")
    django_app.get(
        f"{BASE}frameworks/{mine.pk}/pictures/upload/?statement={their_statement.key}",
        user=user,
        status=404,
    )
    django_app.get(f"{BASE}frameworks/{mine.pk}/pictures/upload/", user=user, status=404)


def test_another_organisations_import_is_not_found(django_app, organisation, members):
    from withpeople.feedback.models import ImportJob

    mine = make_cycle(organisation)
    theirs = make_cycle(OrganisationFactory(slug="theirs"), "theirs")
    job = ImportJob.objects.create(organisation=theirs.organisation, cycle=theirs)
    django_app.get(
        f"{BASE}cycles/{mine.slug}/imports/{job.pk}/", user=members["staff"].user, status=404
    )


def test_the_cycle_list_query_count_does_not_grow(
    client_for, organisation, members, django_assert_max_num_queries
):
    client = client_for(members["partner"])
    make_cycle(organisation, "one")
    with django_assert_max_num_queries(12) as first:
        client.get(BASE)
    for n in range(5):
        make_cycle(organisation, f"more-{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(BASE).status_code == 200


LOOK_AGAIN_CASES = [
    # Before the start is before the end too: the end is what it must come after.
    ("2026-05-01", "The date you will look again must be the same as or after the end date"),
    ("2026-06-15", "The date you will look again must be the same as or after the end date"),
    ("2026-02-30", "Enter the date you will look again as a real date, like 2026-09-01"),
    ("next spring", "Enter the date you will look again as a real date, like 2026-09-01"),
]


@pytest.mark.parametrize(("value", "message"), LOOK_AGAIN_CASES)
def test_a_bad_date_to_look_again_is_refused_and_changes_nothing(
    django_app, organisation, members, value, message
):
    import datetime as dt

    cycle = make_cycle(organisation, starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 30))
    page = django_app.get(f"{BASE}cycles/{cycle.slug}/edit/", user=members["staff"].user)
    form = _form(page, "look_again_on")
    form["look_again_on"] = value
    page = form.submit()
    summary = page.html.select_one(".govuk-error-summary")
    assert message in summary.text
    assert summary.select_one("a")["href"] == "#id_look_again_on"
    cycle.refresh_from_db()
    assert cycle.look_again_on is None


def test_staff_set_when_they_will_look_again(django_app, organisation, members):
    import datetime as dt

    cycle = make_cycle(organisation, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 5, 31))
    page = django_app.get(f"{BASE}cycles/{cycle.slug}/edit/", user=members["staff"].user)
    form = _form(page, "look_again_on")
    form["look_again_on"] = "2026-11-30"
    form.submit().follow()
    cycle.refresh_from_db()
    assert cycle.look_again_on == dt.date(2026, 11, 30)
    # The form shows it again, to change or clear.
    form = _form(django_app.get(f"{BASE}cycles/{cycle.slug}/edit/"), "look_again_on")
    assert form["look_again_on"].value == "2026-11-30"
    # Written as date inputs need them, or browsers show the box empty.
    assert form["starts_on"].value == "2026-03-01"
    form["look_again_on"] = ""
    form.submit().follow()
    cycle.refresh_from_db()
    assert cycle.look_again_on is None
