"""The public feedback form, by short link, with no account: a person's journey through it."""

import pytest
from django.db import models

from withpeople.feedback.models import Answer, Channel, CycleStatus, Response, Story
from withpeople.feedback.tests.helpers import i_keys, make_cycle

pytestmark = pytest.mark.django_db
IP = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def cycle(organisation):
    return make_cycle(organisation)


def _form(page):
    return next(f for f in page.forms.values() if "token" in f.fields)


def open_form(app, cycle, easy_read=False):
    path = f"/f/{cycle.public_code}/" + ("easy-read/" if easy_read else "")
    return app.get(path, extra_environ=IP)


def test_a_person_answers_anonymously(django_app, cycle):
    page = open_form(django_app, cycle)
    assert "Example Council" in page
    keys = i_keys(cycle)
    form = _form(page)
    form[f"answer-{keys[0]}"] = "mostly"
    form[f"answer-{keys[1]}"] = "never"
    form["story-wellbeing-and-independence"] = "The day centre closed."
    form["perspective"] = "carer"
    thanks = form.submit(extra_environ=IP).follow(extra_environ=IP)
    assert "We have your answers" in thanks
    response = Response.objects.get(cycle=cycle)
    assert response.channel == Channel.ONLINE
    assert response.perspective == "carer"
    assert response.entered_by is None
    assert dict(response.answers.values_list("statement__key", "answer")) == {
        keys[0]: "mostly",
        keys[1]: "never",
    }
    assert Story.objects.get(response=response).text == "The day centre closed."


def test_prefer_not_to_say_keeps_no_perspective(django_app, cycle):
    form = _form(open_form(django_app, cycle))
    form[f"answer-{i_keys(cycle)[0]}"] = "always"
    form["perspective"] = "prefer_not_to_say"
    form.submit(extra_environ=IP)
    assert Response.objects.get(cycle=cycle).perspective == ""


def test_nothing_identifying_is_kept():
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert not any("ip" in name.split("_") or name in {"user", "ip_address"} for name in fields)
    assert isinstance(fields["submitted_on"], models.DateField)
    assert not isinstance(fields["submitted_on"], models.DateTimeField)
    # entered_by is only for staff entering a paper or phone response.
    assert {f.name for f in Answer._meta.get_fields()} == {"id", "response", "statement", "answer"}


def test_no_answers_shows_the_error_summary(django_app, cycle):
    form = _form(open_form(django_app, cycle))
    form["story-workforce"] = "Staff are kind."
    page = form.submit(extra_environ=IP)
    assert page.status_code == 200
    assert page.html.select_one(".govuk-error-summary")
    assert "Answer at least one of the statements" in page
    assert page.html.title.text.startswith("Error:")
    # What the person wrote is still there.
    assert _form(page)["story-workforce"].value == "Staff are kind."
    assert not Response.objects.exists()


def test_an_invalid_perspective_keeps_the_answers(django_app, cycle):
    keys = i_keys(cycle)
    page = open_form(django_app, cycle)
    form = _form(page)
    form[f"answer-{keys[2]}"] = "sometimes"
    form["story-workforce"] = "Kind staff."
    form["perspective"].force_value("patient")
    page = form.submit(extra_environ=IP)
    assert "Select one of the options, or leave it out" in page
    kept = _form(page)
    assert kept[f"answer-{keys[2]}"].value == "sometimes"
    assert kept["story-workforce"].value == "Kind staff."
    assert not Response.objects.exists()


def test_sending_twice_saves_once(django_app, cycle):
    form = _form(open_form(django_app, cycle))
    form[f"answer-{i_keys(cycle)[0]}"] = "always"
    assert form.submit(extra_environ=IP).status_code == 302
    again = form.submit(extra_environ=IP)
    assert again.status_code == 200
    assert "We already have your answers" in again
    assert Response.objects.count() == 1


def test_a_form_without_a_live_token_is_shown_again(django_app, cycle):
    form = _form(open_form(django_app, cycle))
    form[f"answer-{i_keys(cycle)[0]}"] = "always"
    form["token"] = "made-up"
    page = form.submit(extra_environ=IP)
    assert "Check them and send them again" in page
    assert _form(page)[f"answer-{i_keys(cycle)[0]}"].value == "always"
    assert not Response.objects.exists()


def test_the_honeypot_catches_robots_quietly(django_app, cycle):
    form = _form(open_form(django_app, cycle))
    form[f"answer-{i_keys(cycle)[0]}"] = "always"
    form["website"] = "http://spam.example"
    thanks = form.submit(extra_environ=IP).follow(extra_environ=IP)
    assert "Thank you" in thanks
    assert not Response.objects.exists()


def test_the_honeypot_is_hidden_from_people(django_app, cycle):
    page = open_form(django_app, cycle)
    trap = page.html.select_one("#id_website")
    assert trap["tabindex"] == "-1"
    assert trap["autocomplete"] == "off"
    wrapper = trap.parent
    assert wrapper["aria-hidden"] == "true"
    assert "govuk-visually-hidden" in wrapper["class"]
    assert "Leave this box empty" in wrapper.select_one("label").text


def test_too_many_from_one_address_get_a_kind_page(django_app, cycle, settings):
    settings.FEEDBACK_RATE_LIMIT = "2/h"
    key = i_keys(cycle)[0]
    for _ in range(2):
        form = _form(open_form(django_app, cycle))
        form[f"answer-{key}"] = "always"
        assert form.submit(extra_environ=IP).status_code == 302
    form = _form(open_form(django_app, cycle))
    form[f"answer-{key}"] = "always"
    page = form.submit(extra_environ=IP, status=429)
    assert "Please try again later" in page
    assert "paper form" in page
    assert Response.objects.count() == 2
    # Another address is not held back.
    other = {"REMOTE_ADDR": "198.51.100.7"}
    form = _form(django_app.get(f"/f/{cycle.public_code}/", extra_environ=other))
    form[f"answer-{key}"] = "always"
    assert form.submit(extra_environ=other).status_code == 302


@pytest.mark.parametrize("status", [CycleStatus.CLOSED, CycleStatus.DRAFT])
def test_a_cycle_that_is_not_open_shows_a_kind_page(django_app, organisation, status):
    cycle = make_cycle(organisation, status=status)
    for path in (f"/f/{cycle.public_code}/", f"/f/{cycle.public_code}/easy-read/"):
        page = django_app.get(path, extra_environ=IP)
        assert "This form is not open" in page
        assert not page.forms


def test_closing_after_the_page_opened_saves_nothing(django_app, cycle):
    form = _form(open_form(django_app, cycle))
    form[f"answer-{i_keys(cycle)[0]}"] = "always"
    cycle.status = CycleStatus.CLOSED
    cycle.save()
    assert "This form is not open" in form.submit(extra_environ=IP)
    assert not Response.objects.exists()


def test_unknown_code_is_not_found(django_app, db):
    django_app.get("/f/nope/", status=404)


def test_easy_read_uses_the_easy_words_and_large_text(django_app, cycle):
    page = open_form(django_app, cycle, easy_read=True)
    first = cycle.framework.themes.first().statements.filter(kind="I").first()
    assert first.easy_read in page
    assert page.html.select(".govuk-body-l")
    form = _form(page)
    form[f"answer-{first.key}"] = "rarely"
    form.submit(extra_environ=IP)
    assert Response.objects.get().channel == Channel.EASY_READ


def test_easy_read_shows_the_organisations_picture(django_app, cycle):
    from withpeople.feedback.services import picture_save

    statement = cycle.framework.themes.first().statements.filter(kind="I").first()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    picture = picture_save(
        organisation=cycle.organisation, statement=statement, data=png, alt_text="A calendar"
    )
    page = open_form(django_app, cycle, easy_read=True)
    image = page.html.select_one("img.wp-statement-picture")
    assert image["alt"] == "A calendar"
    served = django_app.get(image["src"])
    assert served.content_type == "image/png"
    assert served.body == png
    # Another organisation's cycle does not serve it.
    from withpeople.testing.factories import OrganisationFactory

    other = make_cycle(OrganisationFactory(slug="other"), "other")
    django_app.get(f"/f/{other.public_code}/pictures/{picture.pk}/", status=404)


# --- the one-time token, without cookies ----------------------------------------------------


def _answers(cycle, page_html: str) -> dict:
    """What a person's browser sends: the page's token and one answer."""
    import re

    token = re.search(r'name="token" value="([^"]+)"', page_html).group(1)
    return {"token": token, f"answer-{i_keys(cycle)[0]}": "always", "website": ""}


def _cookie_free_client():
    """A browser that keeps no cookies, with Django's CSRF check on as in real use."""
    from django.test import Client

    return Client(enforce_csrf_checks=True, REMOTE_ADDR=IP["REMOTE_ADDR"])


def test_the_form_sets_no_cookie_and_works_without_one(cycle):
    for path in (f"/f/{cycle.public_code}/", f"/f/{cycle.public_code}/easy-read/"):
        browser = _cookie_free_client()
        page = browser.get(path)
        assert not page.cookies  # nothing to block: no session, no CSRF cookie
        data = _answers(cycle, page.content.decode())
        browser.cookies.clear()
        sent = browser.post(path, data, HTTP_ORIGIN="http://testserver")
        assert sent.status_code == 302, sent.content.decode()[:500]
        assert sent["Location"] == f"/f/{cycle.public_code}/thanks/"
    assert Response.objects.filter(cycle=cycle).count() == 2


def test_the_same_form_sent_from_two_browsers_is_saved_once(cycle):
    page = _cookie_free_client().get(f"/f/{cycle.public_code}/")
    data = _answers(cycle, page.content.decode())
    first = _cookie_free_client().post(f"/f/{cycle.public_code}/", data)
    second = _cookie_free_client().post(f"/f/{cycle.public_code}/", data)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "We already have your answers" in second.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_four_sends_of_one_form_at_the_same_moment_save_one_response(organisation):
    """A double click, or a resent page, can bring the same form twice at once."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        # The in-memory test database refuses a second thread's write ("table is locked")
        # rather than queuing it as a database file does; the test above sends in turn.
        pytest.skip("threads need a database that queues writers: run it on PostgreSQL")

    cycle = make_cycle(organisation)
    page = _cookie_free_client().get(f"/f/{cycle.public_code}/")
    data = _answers(cycle, page.content.decode())
    start = threading.Barrier(4)
    results: list[str] = []

    def send() -> None:
        try:
            client = _cookie_free_client()
            start.wait()
            sent = client.post(f"/f/{cycle.public_code}/", data)
            if sent.status_code == 302:
                results.append("saved")
            elif "We already have your answers" in sent.content.decode():
                results.append("already")
            else:
                results.append(f"other {sent.status_code}")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["already", "already", "already", "saved"]
    assert Response.objects.filter(cycle=cycle).count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://testserver"},  # the right host, but not the way we are reached
        {"HTTP_REFERER": "https://elsewhere.example/survey.html"},
        {"HTTP_ORIGIN": "http://["},
        {"HTTP_REFERER": "http://["},
    ],
    ids=[
        "another site",
        "a hidden origin",
        "another scheme",
        "no origin, referred elsewhere",
        "a malformed origin",
        "no origin, a malformed referer",
    ],
)
def test_a_form_sent_from_another_site_is_refused(cycle, headers):
    page = _cookie_free_client().get(f"/f/{cycle.public_code}/")
    data = _answers(cycle, page.content.decode())
    sent = _cookie_free_client().post(f"/f/{cycle.public_code}/", data, **headers)
    assert sent.status_code == 403
    assert "Your answers were not sent" in sent.content.decode()
    assert not Response.objects.exists()
    # The token was not used up: from our own page, the same form is saved.
    again = _cookie_free_client().post(
        f"/f/{cycle.public_code}/", data, HTTP_REFERER=f"http://testserver/f/{cycle.public_code}/"
    )
    assert again.status_code == 302


@pytest.mark.parametrize("easy_read", [False, True], ids=["standard", "easy read"])
def test_the_refused_page_links_back_to_the_same_form(cycle, easy_read):
    path = f"/f/{cycle.public_code}/" + ("easy-read/" if easy_read else "")
    data = _answers(cycle, _cookie_free_client().get(path).content.decode())
    sent = _cookie_free_client().post(path, data, HTTP_ORIGIN="https://elsewhere.example")
    assert sent.status_code == 403
    page = sent.content.decode()
    assert f'href="{path}"' in page
    other = f"/f/{cycle.public_code}/" + ("" if easy_read else "easy-read/")
    assert f'href="{other}"' not in page
    assert ("Your answers came from a different website." in page) is easy_read
    assert ("sent from a page on another website" in page) is not easy_read


def test_the_easy_read_form_gets_an_easy_read_page_when_held_back(django_app, cycle, settings):
    settings.FEEDBACK_RATE_LIMIT = "1/h"
    key = i_keys(cycle)[0]
    form = _form(open_form(django_app, cycle, easy_read=True))
    form[f"answer-{key}"] = "always"
    assert form.submit(extra_environ=IP).status_code == 302
    form = _form(open_form(django_app, cycle, easy_read=True))
    form[f"answer-{key}"] = "always"
    page = form.submit(extra_environ=IP, status=429)
    assert "Please try again in 1 hour." in page
    assert "Or ask a member of staff for a paper form." in page
    assert "in the last hour, so we cannot" not in page


def test_a_trusted_origin_may_send_the_form(cycle, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.org"]
    page = _cookie_free_client().get(f"/f/{cycle.public_code}/")
    data = _answers(cycle, page.content.decode())
    sent = _cookie_free_client().post(
        f"/f/{cycle.public_code}/", data, HTTP_ORIGIN="https://feedback.example.org"
    )
    assert sent.status_code == 302


def _token_made(monkeypatch, seconds_ago: float, *, cycle) -> str:
    import time

    from withpeople.feedback import public_views

    now = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now - seconds_ago)
    token = public_views._new_token(cycle)
    monkeypatch.undo()
    return token


@pytest.mark.parametrize(
    "which", ["made up", "for another cycle", "more than a day old", "tampered with"]
)
def test_a_token_that_is_not_live_saves_nothing_and_keeps_the_answers(
    cycle, organisation, monkeypatch, which
):
    from withpeople.feedback import public_views

    page = _cookie_free_client().get(f"/f/{cycle.public_code}/")
    data = _answers(cycle, page.content.decode())
    if which == "made up":
        data["token"] = "made-up"
    elif which == "for another cycle":
        data["token"] = public_views._new_token(make_cycle(organisation, "other"))
    elif which == "more than a day old":
        data["token"] = _token_made(monkeypatch, 86_400 + 60, cycle=cycle)
    else:
        data["token"] = data["token"][:-2] + ("AA" if data["token"][-2:] != "AA" else "BB")
    sent = _cookie_free_client().post(f"/f/{cycle.public_code}/", data)
    assert sent.status_code == 200
    assert "Check them and send them again" in sent.content.decode()
    assert 'value="always"' in sent.content.decode()  # the answer is kept
    assert not Response.objects.exists()


def test_a_token_a_few_hours_old_is_still_good(cycle, monkeypatch):
    page = _cookie_free_client().get(f"/f/{cycle.public_code}/")
    data = _answers(cycle, page.content.decode()) | {
        "token": _token_made(monkeypatch, 5 * 3600, cycle=cycle)
    }
    assert _cookie_free_client().post(f"/f/{cycle.public_code}/", data).status_code == 302


def test_used_tokens_are_kept_as_a_hash_with_the_day_only(cycle):
    from withpeople.core.models import UsedFormToken

    page = _cookie_free_client().get(f"/f/{cycle.public_code}/")
    data = _answers(cycle, page.content.decode())
    _cookie_free_client().post(f"/f/{cycle.public_code}/", data)
    used = UsedFormToken.objects.get()
    assert data["token"] not in used.token_hash
    # Nothing that links it to the response: not even the page the form led to.
    assert used.result_url == ""
    assert {f.name for f in UsedFormToken._meta.get_fields()} == {
        "id",
        "token_hash",
        "used_on",
        "result_url",
    }


def test_closing_a_cycle_forgets_tokens_too_old_to_be_sent_again(cycle, organisation):
    from datetime import timedelta

    from django.utils import timezone

    from withpeople.core.models import UsedFormToken
    from withpeople.feedback.services import cycle_set_status

    today = timezone.localdate()
    for days in (0, 2, 3, 30):
        UsedFormToken.objects.create(
            token_hash=f"{days:064d}", used_on=today - timedelta(days=days)
        )
    cycle_set_status(cycle=cycle, status=CycleStatus.CLOSED)
    assert sorted(UsedFormToken.objects.values_list("token_hash", flat=True)) == [
        f"{0:064d}",
        f"{2:064d}",
    ]


# --- the empty questions, drawn once per version of them --------------------------------------


@pytest.mark.parametrize("easy_read", [False, True])
def test_a_changed_statement_or_picture_shows_at_once(django_app, cycle, easy_read):
    """The empty questions are kept once drawn (withpeople.core.fragments), keyed by every field
    of what they show: a change to a statement or a new picture is on the next page opened."""
    from withpeople.feedback.services import picture_save

    statement = cycle.framework.themes.first().statements.filter(kind="I").first()
    words = "easy_read" if easy_read else "text"
    before = open_form(django_app, cycle, easy_read=easy_read)
    assert getattr(statement, words) in before
    setattr(statement, words, "I choose what I do each day, newly worded")
    statement.save()
    after = open_form(django_app, cycle, easy_read=easy_read)
    assert "I choose what I do each day, newly worded" in after
    if easy_read:
        assert not after.html.select("img.wp-statement-picture")
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
        picture_save(
            organisation=cycle.organisation, statement=statement, data=png, alt_text="A diary"
        )
        pictured = open_form(django_app, cycle, easy_read=True)
        assert pictured.html.select_one("img.wp-statement-picture")["alt"] == "A diary"


def test_answers_and_errors_are_never_kept_for_the_next_person(django_app, cycle):
    """A form sent back with an error shows that person's answers; the next person's form is
    empty."""
    first_key = i_keys(cycle)[0]
    page = open_form(django_app, cycle)
    form = _form(page)
    form[f"answer-{first_key}"] = "rarely"
    form["perspective"].force_value("patient")
    returned = form.submit(extra_environ=IP)
    assert returned.html.select(".govuk-error-summary")
    assert _form(returned)[f"answer-{first_key}"].value == "rarely"
    fresh = open_form(django_app, cycle)
    assert not fresh.html.select(f'input[name="answer-{first_key}"][checked]')
    assert not fresh.html.select(".govuk-error-summary")
