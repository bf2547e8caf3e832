"""Diversity monitoring: consent first, answers, withdrawal, and suppressed figures everywhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from withpeople.accounts.services import api_token_create
from withpeople.audit.models import AuditEvent
from withpeople.diversity.models import DiversityAnswer, DiversityConsent
from withpeople.diversity.selectors import diversity_summary
from withpeople.diversity.services import diversity_answers_save
from withpeople.diversity.tests.factories import answering_members, make_question
from withpeople.diversity.tests.helpers import (
    assert_page_matches_summary,
    assert_suppressed_breakdown,
    make_work,
)
from withpeople.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _main_form(page):
    return next(
        f
        for f in page.forms.values()
        if f.method.lower() == "post" and not (f.action or "").endswith("/account/sign-out/")
    )


def _form(page, field):
    return next(f for f in page.forms.values() if field in f.fields)


def test_nothing_is_stored_without_consent(members, organisation):
    category, options = make_question(organisation)
    with pytest.raises(ValidationError):
        diversity_answers_save(membership=members["partner"], answers={category.pk: options[0]})
    assert not DiversityAnswer.objects.exists()


def test_answer_form_sends_people_to_consent_first(django_app, client_for, members, organisation):
    category, options = make_question(organisation)
    page = django_app.get("/o/example/your-data/diversity/", user=members["partner"].user)
    assert page.status_code == 302
    assert page.location.endswith("/o/example/your-data/diversity/consent/")
    # Posting answers without consent stores nothing either.
    response = client_for(members["partner"]).post(
        "/o/example/your-data/diversity/", {f"category_{category.pk}": str(options[0].pk)}
    )
    assert response.status_code == 302
    assert not DiversityAnswer.objects.exists()


def test_consent_then_answers_then_withdraw(django_app, members, organisation):
    partner = members["partner"]
    category, options = make_question(organisation)
    page = django_app.get("/o/example/your-data/", user=partner.user)
    page = page.click("Find out more and answer")
    assert "What happens to your answers" in page
    assert "Prefer not to say" in page.text or "Prefer not to say" in page

    page = _form(page, "agree").submit()
    assert "There is a problem" in page
    assert "Tick the box to say you agree" in page
    assert not DiversityConsent.objects.exists()

    form = _form(page, "agree")
    form["agree"] = True
    page = form.submit().follow()
    consent = DiversityConsent.objects.get(membership=partner)
    assert "Example Council may keep my answers" in consent.wording

    field = f"category_{category.pk}"
    assert "Prefer not to say" in page
    page = _form(page, field).submit()
    assert "Select an answer to" in page
    assert not DiversityAnswer.objects.exists()

    form = _form(page, field)
    form[field] = "prefer_not_to_say"
    page = form.submit().follow()
    assert "Your answers have been saved" in page
    answer = DiversityAnswer.objects.get(membership=partner)
    assert answer.option is None

    form = _form(django_app.get("/o/example/your-data/diversity/", user=partner.user), field)
    form[field] = str(options[1].pk)
    form.submit()
    assert DiversityAnswer.objects.get(membership=partner).option == options[1]

    page = django_app.get("/o/example/your-data/", user=partner.user)
    page = page.click("Withdraw and delete your answers")
    assert "cannot be undone" in page
    page = _main_form(page).submit().follow()
    assert "deleted all your diversity answers" in page
    assert not DiversityAnswer.objects.filter(membership=partner).exists()
    assert not DiversityConsent.objects.filter(membership=partner).exists()
    event = AuditEvent.objects.get(action="withdrew_diversity_consent")
    assert event.actor == partner.user
    # The audit entry says only that it happened: no question, no answer.
    assert event.detail == ""
    assert category.question not in str(event) and options[1].label not in str(event)


def test_an_answer_from_another_question_is_refused(members, organisation):
    from withpeople.diversity.services import diversity_consent_give

    age, _ = make_question(organisation, "Age")
    _carer, carer_options = make_question(organisation, "Carer", ("Yes", "No"), position=2)
    diversity_consent_give(membership=members["partner"])
    with pytest.raises(ValidationError):
        diversity_answers_save(membership=members["partner"], answers={age.pk: carer_options[0]})
    assert not DiversityAnswer.objects.exists()


def test_summary_suppresses_small_numbers(organisation):
    category, (under, over) = make_question(organisation)
    answering_members(organisation, category, [under] * 6 + [over] * 3 + [None] * 2)
    summary = diversity_summary(organisation=organisation)
    assert_suppressed_breakdown(summary)
    (entry,) = summary
    # over = 3 and prefer-not-to-say = 2 are both small, and together they are 5: the total
    # of 11 says only that 5 people are in the two hidden rows.
    assert [o["count"] for o in entry["options"]] == [6, None, None]
    assert entry["total"] == 11
    assert entry["target_description"] == "Who we want to reach by age."


def test_hidden_figures_add_up_to_at_least_five(organisation):
    category, (under, over) = make_question(organisation)
    answering_members(organisation, category, [under] * 6 + [over] * 2)
    (entry,) = diversity_summary(organisation=organisation)
    # over = 2 and prefer-not-to-say = 0 would say that 2 people are in the two hidden rows,
    # so either could only be 0, 1 or 2: the 6 is hidden with them.
    assert [o["count"] for o in entry["options"]] == [None, None, None]
    assert entry["total"] == 8


def test_one_small_figure_hides_the_next_smallest(organisation):
    category, (under, over) = make_question(organisation)
    answering_members(organisation, category, [under] * 7 + [over] * 5 + [None])
    (entry,) = diversity_summary(organisation=organisation)
    assert [o["count"] for o in entry["options"]] == [7, None, None]
    assert entry["total"] == 13


def test_figures_page_shows_exactly_the_suppressed_breakdown(django_app, members, organisation):
    category, (under, over) = make_question(organisation)
    second, (yes, no) = make_question(organisation, "Carer", ("Yes", "No"), position=2)
    people = answering_members(organisation, category, [under] * 7 + [over] * 5 + [None])
    for person, choice in zip(people, [yes] * 6 + [no] * 7, strict=True):
        diversity_answers_save(membership=person, answers={second.pk: choice})
    page = django_app.get("/o/example/diversity/", user=members["partner"].user)
    summary = diversity_summary(organisation=organisation)
    assert_page_matches_summary(page.text, summary)
    assert "13 people answered" in page


def test_figures_with_fewer_than_five_answers_show_nothing(django_app, members, organisation):
    category, (under, _over) = make_question(organisation)
    answering_members(organisation, category, [under] * 4)
    page = django_app.get("/o/example/diversity/", user=members["staff"].user)
    assert "Fewer than 5 people have answered" in page
    assert_page_matches_summary(page.text, diversity_summary(organisation=organisation))


def test_group_figures_hidden_because_of_the_rest_of_the_organisation_say_so(
    django_app, members, organisation
):
    from withpeople.groups.models import GroupMember

    category, (under, over) = make_question(organisation)
    in_group = answering_members(organisation, category, [under] * 5 + [over] * 6)
    answering_members(organisation, category, [over] * 2)  # outside the group: too few
    work = make_work(organisation)
    for membership in in_group:
        GroupMember.objects.create(
            group=work.group,
            membership=membership,
            name=membership.user.name,
            perspective="lived_experience",
        )
    (entry,) = diversity_summary(organisation=organisation, work=work)
    assert entry["total"] is None
    user = members["staff"].user
    for url in [f"/o/example/diversity/work/{work.pk}/", f"/o/example/values/works/{work.pk}/"]:
        page = django_app.get(url, user=user)
        assert "Fewer than 5 people have answered" not in page
        assert "in this group or in the rest of the organisation" in page
    whole = django_app.get("/o/example/diversity/", user=user)
    assert "13 people answered" in whole
    assert "in this group or in the rest of the organisation" not in whole


def test_api_figures_are_suppressed(client, members, organisation):
    category, (under, over) = make_question(organisation)
    answering_members(organisation, category, [under] * 5 + [over] * 9 + [None] * 2)
    _token, raw = api_token_create(user=members["partner"].user, name="script")
    response = client.get(
        "/api/v1/organisations/example/diversity", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    data = response.json()
    assert_suppressed_breakdown(data)
    assert [o["count"] for o in data[0]["options"]] == [None, 9, None]


def test_work_figures_count_only_the_current_group(django_app, members, organisation):
    from withpeople.groups.models import GroupMember

    category, (under, over) = make_question(organisation)
    in_group = answering_members(organisation, category, [under] * 5 + [over] * 6)
    answering_members(organisation, category, [over] * 10)  # not in the group
    work = make_work(organisation)
    for membership in in_group:
        GroupMember.objects.create(
            group=work.group,
            membership=membership,
            name=membership.user.name,
            perspective="lived_experience",
        )
    (entry,) = diversity_summary(organisation=organisation, work=work)
    assert entry["total"] == 11
    # Nobody preferred not to say (0, hidden), so the next smallest (5) is hidden with it.
    assert [o["count"] for o in entry["options"]] == [None, 6, None]
    page = django_app.get(f"/o/example/diversity/work/{work.pk}/", user=members["staff"].user)
    assert_page_matches_summary(page.text, diversity_summary(organisation=organisation, work=work))


def test_other_organisations_objects_are_404(django_app, members, organisation):
    other = OrganisationFactory(slug="other", name="Other Trust")
    category, (option, _) = make_question(other)
    work = make_work(other)
    admin = members["admin"].user
    for url in [
        f"/o/example/diversity/work/{work.pk}/",
        f"/o/example/diversity/questions/{category.pk}/",
        f"/o/example/diversity/questions/{category.pk}/delete/",
        f"/o/example/diversity/questions/{category.pk}/answers/new/",
        f"/o/example/diversity/answers/{option.pk}/",
        f"/o/example/diversity/answers/{option.pk}/delete/",
    ]:
        assert django_app.get(url, user=admin, status=404).status_code == 404


def test_admin_manages_questions_and_targets(django_app, members, organisation):
    admin = members["admin"].user
    page = django_app.get("/o/example/diversity/questions/", user=admin).click("Add a question")
    page = _form(page, "question").submit()
    assert "Enter a short name" in page and "Enter the question people are asked" in page
    form = _form(page, "question")
    form["name"] = "Carer"
    form["question"] = "Are you a carer?"
    form["target_description"] = "A third of the people we support are carers."
    form["position"] = "1"
    page = form.submit().follow()
    assert "Are you a carer?" in page

    page = page.click("Add an answer")
    form = _form(page, "label")
    form["label"] = "Yes"
    form["target_percentage"] = "120"
    form["position"] = "1"
    page = form.submit()
    assert "Enter a target of 100 or less" in page
    form = _form(page, "label")
    form["target_percentage"] = "33.3"
    page = form.submit().follow()
    assert "33.3%" in page

    page = page.click("Delete", href="/answers/")
    page = _main_form(page).submit().follow()
    assert "The answer was deleted" in page
    page = page.click("Delete", href="/questions/")
    page = _main_form(page).submit().follow()
    assert "There are no questions yet" in page


def _carers_in_and_out_of_a_group(organisation):
    """Carer? Yes 20, No 9, Prefer not to say 5 in the organisation; in the work's group,
    Yes 10 and No 5."""
    from withpeople.groups.models import GroupMember

    category, (yes, no) = make_question(organisation, "Carer", ("Yes", "No"))
    in_group = answering_members(organisation, category, [yes] * 10 + [no] * 5)
    answering_members(organisation, category, [yes] * 10 + [no] * 4 + [None] * 5)
    work = make_work(organisation)
    for membership in in_group:
        GroupMember.objects.create(
            group=work.group,
            membership=membership,
            name=membership.user.name,
            perspective="carer",
        )
    return category, work


def assert_pair_cannot_be_subtracted(work_summary, organisation_summary):
    """Where a count is shown on both, the people outside the group are 0 or at least 5."""
    for work_entry, org_entry in zip(work_summary, organisation_summary, strict=True):
        for in_group, overall in zip(work_entry["options"], org_entry["options"], strict=True):
            if in_group["count"] is not None and overall["count"] is not None:
                outside = overall["count"] - in_group["count"]
                assert outside == 0 or outside >= 5, (in_group, overall)
        if work_entry["total"] is not None and org_entry["total"] is not None:
            outside = org_entry["total"] - work_entry["total"]
            assert outside == 0 or outside >= 5


def test_group_figures_cannot_be_subtracted_from_the_organisations(
    django_app, client, members, organisation
):
    _category, work = _carers_in_and_out_of_a_group(organisation)
    whole = diversity_summary(organisation=organisation)
    part = diversity_summary(organisation=organisation, work=work)
    # 9 - 5 would say 4 people outside the group answered No: No is hidden, in the group and
    # in the organisation alike, with "Prefer not to say" (0 in the group).
    assert [o["count"] for o in whole[0]["options"]] == [20, None, None]
    assert [o["count"] for o in part[0]["options"]] == [10, None, None]
    assert part[0]["total"] == 15
    assert_suppressed_breakdown(part)
    assert_pair_cannot_be_subtracted(part, whole)

    user = members["partner"].user
    pages = {
        "/o/example/diversity/": whole,
        "/o/example/values/": whole,
        f"/o/example/diversity/work/{work.pk}/": part,
        f"/o/example/values/works/{work.pk}/": part,
    }
    for url, summary in pages.items():
        assert_page_matches_summary(django_app.get(url, user=user).text, summary)
    _token, raw = api_token_create(user=user, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/organisations/example/diversity", **auth).json() == whole
    api_part = client.get(f"/api/v1/organisations/example/diversity?work={work.pk}", **auth)
    assert api_part.json() == part


def test_values_dashboards_show_who_the_organisation_wants_to_reach(
    django_app, members, organisation
):
    category, work = _carers_in_and_out_of_a_group(organisation)
    user = members["partner"].user
    for url in ["/o/example/values/", f"/o/example/values/works/{work.pk}/"]:
        page = django_app.get(url, user=user)
        assert category.target_description in page
    # Hidden figures all look the same, whatever hid them.
    assert "too few people" not in page
    assert page.text.count(">Hidden<") == 2
