"""Self-assessment, the action plan and You said, we did, as people use them."""

from __future__ import annotations

import pytest

from withpeople.accounts.services import api_token_create
from withpeople.audit.kinds import AuditEventKind
from withpeople.feedback.models import CycleStatus, Story
from withpeople.improvement.models import Action, ActionStatus, Publication, Rating
from withpeople.improvement.tests.helpers import add_responses, make_cycle, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(organisation):
    return make_cycle(organisation, "autumn-2025", status=CycleStatus.CLOSED)


def _form(page):
    """The page's own form in main (the header has the sign-out form)."""
    return [f for f in page.forms.values() if f.method.lower() == "post"][-1]


# --- self-assessment -----------------------------------------------------------------------


def test_staff_and_partner_rate_and_see_their_views_side_by_side(django_app, members, cycle):
    url = f"/o/example/cycles/{cycle.slug}/self-assessment/"
    page = django_app.get(url, user=members["partner"].user)
    page = page.click(href=f"{url}wi-we1/", index=0)
    form = _form(page)
    assert "Select where you think the organisation is" in form.submit()
    assert not Rating.objects.exists()
    form["level"] = "not_yet"
    form["evidence"] = "Nobody asked me what matters."
    page = form.submit().follow()
    assert "Your rating has been saved." in page

    page = django_app.get(f"{url}wi-we1/", user=members["staff"].user)
    form = _form(page)
    form["level"] = "fully"
    form.submit().follow()
    # Editing replaces the member's rating: still one each.
    page = django_app.get(f"{url}wi-we1/", user=members["staff"].user)
    assert _form(page)["level"].value == "fully"
    form = _form(page)
    form["level"] = "mostly"
    form.submit()
    assert Rating.objects.filter(membership=members["staff"]).count() == 1

    page = django_app.get(url, user=members["admin"].user)
    block = page.html.select_one("#we-wi-we1")
    text = block.get_text(" ", strip=True)
    assert "Views differ" in text  # mostly against not yet: two levels apart
    assert "Nobody asked me what matters." in text
    # Notes are shown without names.
    assert members["partner"].user.name not in text
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in block.select("tbody tr")
    }
    assert rows["Not yet"] == ["0", "1"]
    assert rows["Mostly"] == ["1", "0"]
    assert rows["Middle rating"] == ["Mostly", "Not yet"]
    assert "Said most often" not in text


def test_an_even_split_shows_both_middle_ratings(client_for, members, cycle):
    from withpeople.improvement.services import rating_save

    we1 = statement(cycle, "wi-we1")
    rating_save(cycle=cycle, statement=we1, membership=members["staff"], level="mostly")
    rating_save(cycle=cycle, statement=we1, membership=members["admin"], level="fully")
    page = client_for(members["partner"]).get(f"/o/example/cycles/{cycle.slug}/self-assessment/")
    html = page.content.decode()
    # One says mostly, one says fully: neither is picked, both are shown.
    assert "Between Mostly and Fully" in html
    assert "No ratings yet" in html  # partners have not rated
    assert "the middle rating is the one in the middle" in html
    assert "we show both" in html


def test_differing_views_are_flagged(client_for, members, cycle):
    from withpeople.improvement.services import rating_save

    we1 = statement(cycle, "wi-we1")
    rating_save(cycle=cycle, statement=we1, membership=members["staff"], level="fully")
    rating_save(cycle=cycle, statement=we1, membership=members["partner"], level="started")
    html = (
        client_for(members["partner"])
        .get(f"/o/example/cycles/{cycle.slug}/self-assessment/")
        .content.decode()
    )
    assert "Views differ" in html
    assert "two or more levels apart" in html


def test_only_we_statements_of_the_cycle_can_be_rated(client_for, members, cycle):
    client = client_for(members["staff"])
    assert client.get(f"/o/example/cycles/{cycle.slug}/self-assessment/wi-i1/").status_code == 404
    assert client.get(f"/o/example/cycles/{cycle.slug}/self-assessment/nope/").status_code == 404


# --- actions -------------------------------------------------------------------------------


def _fill_action(form, cycle, **values):
    form["title"] = values.get("title", "Ask what matters first")
    form["statements"] = [str(statement(cycle, key).pk) for key in values.get("keys", ["wi-i2"])]
    form["owners"] = [str(pk) for pk in values["owners"]]
    form["status"] = values.get("status", ActionStatus.PLANNED)
    form["explanation"] = values.get("explanation", "")
    form["published"] = values.get("published", False)
    form["due_on"] = values.get("due_on", "31/3/2026")


def test_staff_create_edit_and_delete_an_action(django_app, members, cycle):
    add_responses(cycle, {"wi-i2": "never"}, count=1, story=("wellbeing-and-independence", "x"))
    story = Story.objects.get()
    page = django_app.get(f"/o/example/cycles/{cycle.slug}/actions/", user=members["staff"].user)
    page = page.click("Add an action")
    form = _form(page)
    page = form.submit()
    assert "Enter what you will do" in page
    assert "Select at least one owner" in page
    assert not Action.objects.exists()

    form = _form(page)
    _fill_action(form, cycle, owners=[members["staff"].pk, members["partner"].pk])
    form["stories"] = [str(story.pk)]
    page = form.submit().follow()
    action = Action.objects.get()
    assert action.due_on.isoformat() == "2026-03-31"
    assert set(action.owners.all()) == {members["staff"], members["partner"]}
    assert list(action.stories.all()) == [story]
    assert "Ask what matters first" in page
    assert "Fewer than 5 answers" in page  # the result behind it, one answer: not shown

    # Change made, published, no explanation: refused, nothing saved.
    page = page.click("Change this action")
    form = _form(page)
    form["status"] = ActionStatus.CHANGE_MADE
    form["published"] = True
    page = form.submit()
    assert page.status_code == 200
    assert "Say what changed, or why it was not possible, before you publish" in page
    assert page.html.select_one(".govuk-error-summary")
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    assert not action.published

    form = _form(page)
    form["explanation"] = "Review forms now start with what matters."
    form.submit().follow()
    action.refresh_from_db()
    assert action.status == ActionStatus.CHANGE_MADE
    assert action.published

    page = django_app.get(
        f"/o/example/cycles/{cycle.slug}/actions/{action.pk}/delete/", user=members["staff"].user
    )
    assert Action.objects.exists()  # GET only asks
    _form(page).submit().follow()
    assert not Action.objects.exists()


def test_not_possible_needs_an_explanation_before_publishing(members, cycle):
    from django.core.exceptions import ValidationError

    from withpeople.improvement.services import action_create

    fields = {
        "title": "Weekend advice line",
        "description": "",
        "statements": [statement(cycle, "ia-i2")],
        "stories": [],
        "owners": [members["staff"]],
        "due_on": None,
        "status": ActionStatus.NOT_POSSIBLE,
        "published": True,
    }
    with pytest.raises(ValidationError) as error:
        action_create(cycle=cycle, explanation="  ", **fields)
    assert "explanation" in error.value.message_dict
    assert not Action.objects.exists()
    # Unpublished, it may wait for its explanation; planned ones never need one.
    action_create(cycle=cycle, explanation="", **(fields | {"published": False}))
    action_create(cycle=cycle, explanation="", **(fields | {"status": ActionStatus.PLANNED}))
    assert Action.objects.count() == 2


def test_links_must_stay_in_the_cycle_and_organisation(members, outsider, cycle):
    from django.core.exceptions import ValidationError

    from withpeople.improvement.services import action_create

    other = make_cycle(outsider.organisation, "other")
    with pytest.raises(ValidationError) as error:
        action_create(
            cycle=cycle,
            title="Sneaky",
            description="",
            statements=[statement(other, "wi-i1")],
            stories=[],
            owners=[outsider],
            due_on=None,
            status=ActionStatus.PLANNED,
            explanation="",
            published=False,
        )
    assert set(error.value.message_dict) == {"statements", "owners"}
    assert not Action.objects.exists()


def test_partners_see_actions_but_cannot_change_them(client_for, members, cycle):
    action = Action.objects.create(cycle=cycle, title="Do better")
    client = client_for(members["partner"])
    page = client.get(f"/o/example/cycles/{cycle.slug}/actions/{action.pk}/").content.decode()
    assert "Do better" in page
    assert "Change this action" not in page
    assert (
        client.post(f"/o/example/cycles/{cycle.slug}/actions/{action.pk}/delete/").status_code
        == 403
    )
    assert Action.objects.exists()


def test_an_action_of_another_organisation_is_404_under_your_own_slug(
    client_for, members, outsider, cycle
):
    other = make_cycle(outsider.organisation, "autumn-2025")
    action = Action.objects.create(cycle=other, title="Theirs")
    client = client_for(members["admin"])
    for suffix in ("", "edit/", "delete/"):
        url = f"/o/example/cycles/{cycle.slug}/actions/{action.pk}/{suffix}"
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/o/example/cycles/{cycle.slug}/actions/{action.pk}/delete/").status_code
        == 404
    )
    assert Action.objects.filter(pk=action.pk).exists()


def test_action_list_query_count_does_not_grow_with_actions(
    client_for, members, cycle, django_assert_max_num_queries
):
    client = client_for(members["staff"])
    url = f"/o/example/cycles/{cycle.slug}/actions/"
    for index in range(3):
        action = Action.objects.create(cycle=cycle, title=f"Action {index}")
        action.owners.set([members["staff"], members["partner"]])
        action.statements.set([statement(cycle, "wi-i1")])
    with django_assert_max_num_queries(14):
        client.get(url)
    for index in range(3, 12):
        action = Action.objects.create(cycle=cycle, title=f"Action {index}")
        action.owners.set([members["staff"]])
    with django_assert_max_num_queries(14):
        assert client.get(url).content.decode().count("Action 1") >= 3


# --- You said, we did ----------------------------------------------------------------------


def test_public_page_is_404_until_published_and_shows_only_public_things(
    client, django_app, members, cycle
):
    add_responses(
        cycle,
        {"wi-i1": "always"},
        count=6,
        story=("wellbeing-and-independence", "A private story."),
    )
    chosen = Story.objects.first()
    chosen.text = "A story we may tell."
    chosen.chosen_for_publication = True
    chosen.save()
    Action.objects.create(
        cycle=cycle,
        title="Published action",
        status=ActionStatus.NOT_POSSIBLE,
        explanation="No money this year.",
        published=True,
    )
    Action.objects.create(cycle=cycle, title="Private action")
    url = f"/o/example/cycles/{cycle.slug}/you-said-we-did/"
    assert client.get(url).status_code == 404
    assert client.get(url + "easy-read/").status_code == 404

    preview = django_app.get(url + "preview/", user=members["staff"].user)
    # The easy read page is public only: before publication the preview does not link to it.
    assert "Read this in easy read" not in preview
    page = preview.click("Publish it")
    form = _form(page)
    form["look_again_on"] = "2026-09-01"
    preview = form.submit().follow()
    assert Publication.objects.filter(cycle=cycle).exists()
    assert preview.click("Read this in easy read").status_code == 200

    html = client.get(url).content.decode()
    assert "Published action" in html
    assert "No money this year." in html
    assert "Private action" not in html
    assert "A story we may tell." in html
    assert "A private story." not in html
    assert "1 September 2026" in html
    assert "100%" in html  # the theme's figure, from 6 answers
    for member in members.values():
        assert member.user.name not in html
        assert member.user.email not in html
    easy = client.get(url + "easy-read/").content.decode()
    assert "100 out of every 100 answers said this is good." in easy
    assert "We could not do this." in easy

    page = django_app.get(url + "unpublish/", user=members["admin"].user)
    _form(page).submit().follow()
    assert client.get(url).status_code == 404


def test_partners_cannot_publish(client_for, members, cycle):
    response = client_for(members["partner"]).post(
        f"/o/example/cycles/{cycle.slug}/you-said-we-did/publish/"
    )
    assert response.status_code == 403
    assert not Publication.objects.exists()


# --- API -----------------------------------------------------------------------------------


def test_api_lists_a_cycles_actions_for_members_only(client, members, outsider, cycle):
    action = Action.objects.create(cycle=cycle, title="Ask first", status=ActionStatus.IN_PROGRESS)
    action.statements.set([statement(cycle, "wi-i2")])
    action.owners.set([members["partner"]])
    _token, raw = api_token_create(user=members["partner"].user, name="script")
    url = f"/api/v1/organisations/example/cycles/{cycle.slug}/actions"
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    [item] = response.json()
    assert item["title"] == "Ask first"
    assert item["status"] == "in_progress"
    assert item["statements"] == ["wi-i2"]
    assert item["owners"] == [members["partner"].user.name]

    _token, raw = api_token_create(user=outsider.user, name="script")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    other = make_cycle(outsider.organisation, "theirs")
    own_slug = f"/api/v1/organisations/example/cycles/{other.slug}/actions"
    _token, raw = api_token_create(user=members["admin"].user, name="script")
    assert client.get(own_slug, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404


def test_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/organisations/{slug}/cycles/{cycle}/actions" in paths


def test_publishing_with_a_date_before_the_cycle_publishes_nothing(django_app, client, members):
    import datetime as dt

    cycle = make_cycle(
        members["staff"].organisation,
        "summer-2026",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    url = f"/o/example/cycles/{cycle.slug}/you-said-we-did/"
    page = django_app.get(url + "publish/", user=members["staff"].user)
    for value, message in [
        ("2026-08-30", "The date you will look again must be the same as or after the end date"),
        ("next spring", "Enter the date you will look again as a real date, like 2026-09-01"),
    ]:
        form = _form(page)
        form["look_again_on"] = value
        page = form.submit()
        assert page.status_code == 200
        assert page.html.title.text.startswith("Error:")
        assert message in page.html.select_one(".govuk-error-summary").text
        assert not Publication.objects.filter(cycle=cycle).exists()
        cycle.refresh_from_db()
        assert cycle.look_again_on is None
    # Once public, the page changes only the date.
    form = _form(page)
    form["look_again_on"] = ""
    form.submit().follow()
    assert client.get(url).status_code == 200
    assert "We have not set a date yet." in client.get(url).content.decode()
    page = django_app.get(url + "publish/", user=members["staff"].user)
    assert "Save the date" in page
    form = _form(page)
    form["look_again_on"] = "2026-12-01"
    form.submit().follow()
    assert "1 December 2026" in client.get(url).content.decode()
    assert Publication.objects.filter(cycle=cycle).count() == 1


# --- choosing stories ------------------------------------------------------------------------


def _choose_form(page, story):
    return next(f for f in page.forms.values() if f.action.endswith(f"/stories/{story.pk}/choose/"))


def test_staff_choose_the_stories_you_said_we_did_shows(django_app, client, members, cycle):
    from withpeople.audit.models import AuditEvent

    add_responses(cycle, {"wi-i1": "always"}, story=("wellbeing-and-independence", "Told once."))
    add_responses(cycle, {"wi-i1": "never"}, story=("wellbeing-and-independence", "Kept here."))
    told, kept = Story.objects.order_by("pk")
    Publication.objects.create(cycle=cycle)
    public = f"/o/example/cycles/{cycle.slug}/you-said-we-did/"
    assert "Told once." not in client.get(public).content.decode()

    results = django_app.get(f"/o/example/cycles/{cycle.slug}/results/", user=members["staff"].user)
    page = _choose_form(results, told).submit()
    assert page.location.endswith(f"/results/#story-{told.pk}")
    page = page.follow()
    assert "The story has been chosen for You said, we did." in page
    told.refresh_from_db()
    kept.refresh_from_db()
    assert (told.chosen_for_publication, kept.chosen_for_publication) == (True, False)
    event = AuditEvent.objects.get(action=AuditEventKind.CHOSE_STORY)
    assert (event.actor, event.subject_id) == (members["staff"].user, str(told.pk))
    assert "Told once." not in event.detail  # the audit names the story, not the words
    html = client.get(public).content.decode()
    assert "Told once." in html
    assert "Kept here." not in html
    assert "Kept here." not in client.get(public + "easy-read/").content.decode()

    # The same button now takes it off again.
    assert "Chosen for You said, we did" in page.html.select_one(f"#story-{told.pk}").text
    _choose_form(page, told).submit().follow()
    told.refresh_from_db()
    assert not told.chosen_for_publication
    assert AuditEvent.objects.filter(action=AuditEventKind.UNCHOSE_STORY).count() == 1
    assert "Told once." not in client.get(public).content.decode()


def test_partners_see_which_stories_are_chosen_but_do_not_choose(client_for, members, cycle):
    [response] = add_responses(
        cycle, {"wi-i1": "always"}, story=("wellbeing-and-independence", "Told once.")
    )
    story = response.stories.get()
    story.chosen_for_publication = True
    story.save()
    partner = client_for(members["partner"])
    page = partner.get(f"/o/example/cycles/{cycle.slug}/results/").content.decode()
    assert "Told once." in page
    assert "Chosen for You said, we did" in page
    assert "/choose/" not in page
    url = f"/o/example/cycles/{cycle.slug}/results/stories/{story.pk}/choose/"
    assert partner.post(url, {"chosen": "no"}).status_code == 403
    story.refresh_from_db()
    assert story.chosen_for_publication


@pytest.mark.parametrize("choice", ["maybe", "", None, "YES"])
def test_choosing_a_story_needs_yes_or_no(client_for, members, cycle, choice):
    [response] = add_responses(
        cycle, {"wi-i1": "always"}, story=("wellbeing-and-independence", "Told once.")
    )
    story = response.stories.get()
    url = f"/o/example/cycles/{cycle.slug}/results/stories/{story.pk}/choose/"
    data = {} if choice is None else {"chosen": choice}
    assert client_for(members["staff"]).post(url, data).status_code == 400
    story.refresh_from_db()
    assert not story.chosen_for_publication


def test_a_story_is_chosen_only_under_its_own_cycle(client_for, members, cycle):
    other = make_cycle(cycle.organisation, "autumn-2026")
    [response] = add_responses(
        other, {"wi-i1": "always"}, story=("wellbeing-and-independence", "Elsewhere.")
    )
    story = response.stories.get()
    url = f"/o/example/cycles/{cycle.slug}/results/stories/{story.pk}/choose/"
    assert client_for(members["staff"]).post(url, {"chosen": "yes"}).status_code == 404
    story.refresh_from_db()
    assert not story.chosen_for_publication
