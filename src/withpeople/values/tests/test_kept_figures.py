"""The organisation's values dashboard is drawn once per version of its data and kept: every kind
of change to what it counts shows at once, and nothing else makes it be drawn again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from withpeople.diversity.models import DiversityAnswer, DiversityConsent
from withpeople.diversity.tests.factories import answering_members, make_question
from withpeople.groups import services as groups
from withpeople.groups.models import Group, GroupMember
from withpeople.groups.tests.access_cases import AGREEMENT
from withpeople.groups.tests.test_groups import D, activity, add, make_work
from withpeople.organisations.figures import figures_version
from withpeople.organisations.models import FiguresVersion
from withpeople.recognition import services as recognition
from withpeople.testing.factories import OrganisationFactory
from withpeople.values import selectors
from withpeople.works.models import Activity, Decision, Participation, Work

# Real commits: a new token is written once the change's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Setup:
    organisation: object
    work: Work
    aspect: object
    pat: GroupMember
    bo: GroupMember
    meeting: Activity
    decision: Decision
    category: object
    options: list
    answered: list
    board: Group
    later: Activity


@pytest.fixture
def setup(organisation, members) -> Setup:
    work, aspect = make_work(organisation)
    pat = add(work.group, "Pat", membership=members["partner"], role="chair")
    bo = add(work.group, "Bo", "back_office_staff")
    meeting = activity(work, aspect, D(2025, 2, 1), [pat, bo])
    decision = Decision.objects.create(
        work=work, aspect=aspect, date=D(2025, 2, 1), summary="A", decided_by="jointly"
    )
    recognition.time_record_create(
        organisation=organisation, member=pat, date=D(2025, 2, 1), minutes=60
    )
    category, options = make_question(organisation)
    # Enough answers that the organisation's figures are shown, not suppressed.
    answered = answering_members(organisation, category, [options[0]] * 6 + [options[1]] * 6)
    board = Group.objects.create(organisation=organisation, name="Board", kind="standing")
    later = activity(work, aspect, D(2025, 3, 1), [pat])
    return Setup(
        organisation,
        work,
        aspect,
        pat,
        bo,
        meeting,
        decision,
        category,
        options,
        answered,
        board,
        later,
    )


def _now():
    return timezone.now()


def _save(row, **fields):
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


#: Each kind of change to what the dashboard counts, made as the app makes it.
CHANGES = {
    "a place at an activity": lambda s: Participation.objects.create(activity=s.later, member=s.bo),
    "a place taken away": lambda s: Participation.objects.filter(member=s.bo).delete(),
    "an activity withdrawn": lambda s: _save(s.meeting, withdrawn_at=_now()),
    "an activity deleted": lambda s: s.meeting.delete(),
    "a decision recorded": lambda s: Decision.objects.create(
        work=s.work, aspect=s.aspect, date=D(2025, 3, 1), summary="B", decided_by="jointly"
    ),
    "partners told of a decision": lambda s: _save(s.decision, feedback_given_on=D(2025, 2, 5)),
    "a decision withdrawn": lambda s: _save(s.decision, withdrawn_at=_now()),
    "a member's role": lambda s: _save(s.pat, role="member"),
    "a member leaving": lambda s: groups.group_member_end(member=s.pat, left_on=D(2025, 6, 1)),
    "a member's perspective": lambda s: _save(s.bo, perspective="frontline_staff"),
    "a member added": lambda s: add(s.board, "Ann", "carer", role="co_chair"),
    "a group made": lambda s: Group.objects.create(organisation=s.organisation, name="Carers"),
    "a piece of work's openness published": lambda s: _save(s.work, openness_published_at=_now()),
    "a working agreement published": lambda s: groups.agreement_publish(
        agreement=groups.agreement_version_create(
            group=s.work.group, author=None, **AGREEMENT
        ).agreement,
        published=True,
    ),
    "time recorded": lambda s: recognition.time_record_create(
        organisation=s.organisation, member=s.pat, date=D(2025, 3, 1), minutes=30
    ),
    "how a partner wants recognition": lambda s: recognition.preference_set(
        member=s.pat, choice="decline"
    ),
    "a diversity question": lambda s: make_question(s.organisation, "Faith", position=2),
    "a diversity option's target": lambda s: _save(s.options[0], target_percentage=40),
    "a diversity answer": lambda s: _save(
        DiversityAnswer.objects.filter(membership=s.answered[0]).get(), option=s.options[1]
    ),
    "consent withdrawn": lambda s: DiversityConsent.objects.filter(
        membership=s.answered[0]
    ).delete(),
    "a member leaving the organisation": lambda s: s.answered[1].delete(),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_each_kind_of_change_shows_at_once(setup, change):
    organisation = setup.organisation
    before = selectors.organisation_dashboard(organisation)
    assert before == selectors.drawn_organisation_dashboard(organisation)

    with transaction.atomic():
        CHANGES[change](setup)

    after = selectors.organisation_dashboard(organisation)
    assert after == selectors.drawn_organisation_dashboard(organisation)
    assert after != before, "the change should change a figure"


def test_kept_figures_are_read_with_one_query(setup, django_assert_num_queries):
    organisation = setup.organisation
    drawn = selectors.organisation_dashboard(organisation)
    with django_assert_num_queries(1):  # the token
        assert selectors.organisation_dashboard(organisation) == drawn


def test_the_page_shows_the_new_figures_at_once(setup, members, client_for):
    client = client_for(members["staff"])
    url = reverse("values:values", kwargs={"org_slug": setup.organisation.slug})
    assert "1 of 2 groups" in client.get(url).content.decode()
    Group.objects.create(organisation=setup.organisation, name="Carers")
    assert "1 of 3 groups" in client.get(url).content.decode()


def test_a_change_that_is_rolled_back_keeps_the_token(setup):
    token = figures_version(setup.organisation.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.create(organisation=setup.organisation, name="Carers")
        raise RuntimeError
    assert figures_version(setup.organisation.pk) == token


def test_the_token_changes_once_when_the_change_commits(setup):
    """Inside the change's transaction the token is untouched (no lock is taken on it); the
    commit writes one new token, however many counted rows the transaction changed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation = setup.organisation
    token = figures_version(organisation.pk)
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        for name in ("Carers", "Housing", "Day services"):
            Group.objects.create(organisation=organisation, name=name)
        assert figures_version(organisation.pk) == token
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("UPDATE") and "organisations_figuresversion" in q["sql"]
    ]
    assert len(writes) == 1
    assert figures_version(organisation.pk) not in (None, token)


def test_another_organisations_change_keeps_this_token(setup):
    token = figures_version(setup.organisation.pk)
    other = OrganisationFactory(slug="other", name="Other Council")
    work, aspect = make_work(other)
    member = add(work.group, "Sam")
    activity(work, aspect, D(2025, 2, 1), [member])
    assert figures_version(setup.organisation.pk) == token
    assert figures_version(other.pk) not in (None, token)


def test_a_change_made_elsewhere_shows_once_its_token_changes(setup):
    """Another process's write: rows changed without this process's signals. Its own
    transaction wrote a new token, and that is all a reader needs to draw again."""
    organisation = setup.organisation
    before = selectors.organisation_dashboard(organisation)
    Work.objects.filter(pk=setup.work.pk).update(openness_published_at=_now())  # no signal
    assert selectors.organisation_dashboard(organisation) == before  # the same token
    FiguresVersion.objects.filter(organisation=organisation).update(token="another")
    assert selectors.organisation_dashboard(organisation)["openness_published"] == 1


def test_without_a_token_the_figures_are_drawn_every_time(setup, django_assert_num_queries):
    organisation = setup.organisation
    FiguresVersion.objects.filter(organisation=organisation).delete()
    before = selectors.organisation_dashboard(organisation)
    Work.objects.filter(pk=setup.work.pk).update(openness_published_at=_now())  # no signal
    after = selectors.organisation_dashboard(organisation)
    assert (before["openness_published"], after["openness_published"]) == (0, 1)


def test_a_new_organisation_has_a_token():
    organisation = OrganisationFactory()
    assert figures_version(organisation.pk)


def test_dates_are_unchanged_by_keeping(setup):
    """The median wait is worked out from dates: kept, it is the same number."""
    _save(setup.decision, feedback_given_on=setup.decision.date + dt.timedelta(days=4))
    assert selectors.organisation_dashboard(setup.organisation)["median_days_to_feedback"] == 4
    assert selectors.organisation_dashboard(setup.organisation)["median_days_to_feedback"] == 4
