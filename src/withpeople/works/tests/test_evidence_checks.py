"""The evidence checks on every way in: the forms, the work record import and commands, the API.

The rules themselves are tested as a table in withpeople/domain/tests/test_evidence_checks.py;
here each way in shows the same message and saves nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from withpeople.domain.tests.test_work_record import valid_record
from withpeople.works import services
from withpeople.works.models import Activity, Aspect, Decision, Work
from withpeople.works.tests.test_pages import join, url
from withpeople.works.tests.test_record import _auth, _write

pytestmark = pytest.mark.django_db

FUTURE_ACTIVITY = "The date of the activity must be today or in the past."
FUTURE_DECISION = "The date decided must be today or in the past."
SHORT_REASON = "The explanation must be at least 20 characters."
SHORT_CHANGE = "How partners&#x27; input changed the decision must be at least 10 characters."


def tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")


def in_summary_and_inline(body: str, message: str) -> bool:
    """The message is in the GOV.UK error summary and beside its field."""
    summary = body.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    form = body.split("<form", 1)[1]
    return message in summary and message in form


def activity_data(aspect, **changes) -> dict:
    return {"date": "12/2/2026", "aspect": aspect.pk, "kind": "workshop", **changes}


def decision_data(aspect, **changes) -> dict:
    return {
        "summary": "Option B",
        "date": "10/3/2026",
        "aspect": aspect.pk,
        "decided_by": "jointly",
        **changes,
    }


# --- Forms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "message"),
    [
        pytest.param(tomorrow(), FUTURE_ACTIVITY, id="tomorrow"),
        pytest.param("1/5/2031", FUTURE_ACTIVITY, id="2031"),
        pytest.param("1/5/1990", "The date of the activity must be on or after", id="1990"),
    ],
)
def test_the_activity_form_refuses_a_date_in_the_future_or_long_ago(
    client_for, members, work, date, message
):
    join(work, members["partner"])
    client = client_for(members["partner"])
    aspect = work.aspects.first()
    response = client.post(url(work, "activity-add"), activity_data(aspect, date=date))
    assert response.status_code == 200
    assert in_summary_and_inline(response.content.decode(), message)
    assert not Activity.objects.exists()


def test_the_decision_form_refuses_future_dates(client_for, members, work):
    join(work, members["partner"])
    client = client_for(members["partner"])
    aspect = work.aspects.first()
    response = client.post(url(work, "decision-add"), decision_data(aspect, date="1/5/2031"))
    assert in_summary_and_inline(response.content.decode(), FUTURE_DECISION)
    response = client.post(
        url(work, "decision-add"), decision_data(aspect, feedback_given_on=tomorrow())
    )
    assert in_summary_and_inline(
        response.content.decode(),
        "The date partners were told the outcome must be today or in the past.",
    )
    assert not Decision.objects.exists()


def test_a_date_outside_the_work_asks_for_confirmation_then_saves(client_for, members, work):
    work.starts_on, work.ends_on = dt.date(2026, 3, 1), dt.date(2026, 6, 30)
    work.save()
    join(work, members["partner"])
    client = client_for(members["partner"])
    aspect = work.aspects.first()
    form = client.get(url(work, "activity-add")).content.decode()
    assert "Yes, this date is right" not in form  # only shown with the error
    response = client.post(url(work, "activity-add"), activity_data(aspect, date="12/2/2026"))
    body = response.content.decode()
    assert in_summary_and_inline(
        body, "The date is before the piece of work started on 1 March 2026."
    )
    assert 'name="date_confirmed"' in body
    assert "Yes, this date is right" in body
    assert not Activity.objects.exists()
    response = client.post(
        url(work, "activity-add"), activity_data(aspect, date="12/2/2026", date_confirmed="on")
    )
    assert response.status_code == 302
    assert Activity.objects.get().date == dt.date(2026, 2, 12)
    # A decision after the end is asked about in the same way.
    response = client.post(url(work, "decision-add"), decision_data(aspect, date="1/7/2026"))
    assert in_summary_and_inline(
        response.content.decode(), "The date is after the piece of work ended on 30 June 2026."
    )
    assert not Decision.objects.exists()
    response = client.post(
        url(work, "decision-add"), decision_data(aspect, date="1/7/2026", date_confirmed="on")
    )
    assert response.status_code == 302
    assert Decision.objects.get().date == dt.date(2026, 7, 1)


def test_a_date_outside_the_work_is_refused_by_the_service_unless_confirmed(work):
    work.starts_on = dt.date(2026, 3, 1)
    work.save()
    aspect = work.aspects.first()
    with pytest.raises(ValidationError) as refused:
        services.activity_save(work=work, aspect=aspect, date=dt.date(2026, 2, 1), kind="event")
    assert refused.value.error_dict["date"][0].code == "date_before_work"
    assert not Activity.objects.exists()
    services.activity_save(
        work=work, aspect=aspect, date=dt.date(2026, 2, 1), kind="event", date_confirmed=True
    )
    assert Activity.objects.count() == 1


def test_a_one_letter_reason_for_stepping_down_is_refused(client_for, members, work):
    client = client_for(members["staff"])
    aspect = work.aspects.get(key="deciding")
    response = client.post(
        url(work, "aspect-edit", aspect_pk=aspect.pk),
        {
            "name": "Deciding",
            "intended_rung": "engagement",
            "reason_category": "statutory_decision",
            "reason_explanation": "x",
        },
    )
    assert in_summary_and_inline(response.content.decode(), SHORT_REASON)
    aspect.refresh_from_db()
    assert (aspect.intended_rung, aspect.reason_explanation) == ("co-production", "")
    # The service refuses it too, for any other way in.
    with pytest.raises(ValidationError) as refused:
        services.aspect_update(
            aspect=aspect,
            name="Deciding",
            intended_rung="engagement",
            reason_category="legal_duty",
            reason_explanation="Law.",
        )
    assert refused.value.error_dict["reason_explanation"][0].code == "reason_too_short"
    aspect.refresh_from_db()
    assert aspect.intended_rung == "co-production"


def test_a_change_that_says_nothing_is_refused(client_for, members, work):
    join(work, members["partner"])
    client = client_for(members["partner"])
    aspect = work.aspects.first()
    response = client.post(
        url(work, "decision-add"),
        decision_data(aspect, partner_input_changed_it="on", change="yes"),
    )
    assert in_summary_and_inline(response.content.decode(), SHORT_CHANGE)
    assert not Decision.objects.exists()


def test_an_unticked_box_clears_the_change_text_on_the_form(client_for, members, work):
    join(work, members["partner"])
    client = client_for(members["partner"])
    aspect = work.aspects.first()
    response = client.post(
        url(work, "decision-add"),
        decision_data(aspect, change="Partners asked for an evening session."),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.partner_input_changed_it, decision.change) == (False, "")
    exported = client.get(url(work, "export")).json()
    assert exported["decisions"][0]["change"] == ""


# --- Work record import, commands and API ------------------------------------------------------


def bad_record() -> dict:
    data = valid_record()
    data["activities"][0]["date"] = "2031-05-01"
    data["aspects"][1]["reason"]["explanation"] = ""
    return data


def test_import_work_names_the_path_of_each_problem_exits_2_and_saves_nothing(
    tmp_path, organisation
):
    path = _write(tmp_path, bad_record())
    for command in (["assess", path], ["import-work", path, "--organisation", "example"]):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exited:
            call_command(*command, stderr=err, stdout=io.StringIO())
        assert exited.value.code == 2
        lines = err.getvalue().strip().splitlines()
        assert lines == [
            "aspects[1].reason.explanation: must not be blank; say in plain English why this "
            "aspect cannot be co-produced",
            f"activities[0].date: {FUTURE_ACTIVITY} Record an activity once it has happened; a "
            "planned meeting is not evidence yet.",
        ]
    assert not Work.objects.exists()


def test_assess_reports_a_short_reason_and_a_change_that_says_nothing(tmp_path):
    data = valid_record()
    data["aspects"][1]["reason"]["explanation"] = "Cabinet."
    data["decisions"][1]["change"] = "Yes"
    data["decisions"][0]["date"] = "2031-01-01"
    data["decisions"][0]["feedback_given_on"] = None
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("assess", _write(tmp_path, data), stderr=err, stdout=io.StringIO())
    assert exited.value.code == 2
    lines = err.getvalue().strip().splitlines()
    assert [line.split(":", 1)[0] for line in lines] == [
        "aspects[1].reason.explanation",
        "decisions[0].date",
        "decisions[1].change",
    ]
    assert SHORT_REASON in lines[0]
    assert FUTURE_DECISION in lines[1]


def test_the_api_refuses_the_same_problems_with_422_and_saves_nothing(client, members):
    staff = _auth(members["staff"])
    body = json.dumps(bad_record())
    for path in ("/api/v1/assess", "/api/v1/organisations/example/works"):
        response = client.post(path, body, content_type="application/json", **staff)
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors[1].startswith(f"activities[0].date: {FUTURE_ACTIVITY}")
        assert errors[0].startswith("aspects[1].reason.explanation: must not be blank")
    assert not Work.objects.exists()


def _with_hidden_change() -> dict:
    data = valid_record()
    data["decisions"][0]["change"] = "Partners asked for an evening session."
    return data


def test_an_unticked_box_clears_the_change_text_on_import_and_through_the_api(
    tmp_path, client, members
):
    call_command(
        "import-work",
        _write(tmp_path, _with_hidden_change()),
        "--organisation",
        "example",
        stdout=io.StringIO(),
    )
    response = client.post(
        "/api/v1/organisations/example/works",
        json.dumps(_with_hidden_change()),
        content_type="application/json",
        **_auth(members["staff"]),
    )
    assert response.status_code == 201
    assert Work.objects.count() == 2
    unchanged = Decision.objects.filter(partner_input_changed_it=False)
    assert unchanged.count() == 2
    assert set(unchanged.values_list("change", flat=True)) == {""}
    # The ticked one keeps its text.
    assert set(
        Decision.objects.filter(partner_input_changed_it=True).values_list("change", flat=True)
    ) == {"More respite care."}


def test_the_migration_clears_change_texts_stored_behind_an_unticked_box(work):
    aspect = work.aspects.first()
    hidden = services.decision_save(
        work=work, aspect=aspect, date=dt.date(2026, 3, 1), summary="A", decided_by="jointly"
    )
    kept = services.decision_save(
        work=work,
        aspect=aspect,
        date=dt.date(2026, 3, 1),
        summary="B",
        decided_by="jointly",
        partner_input_changed_it=True,
        change="Added an evening session.",
    )
    # As stored before the services cleared it.
    Decision.objects.filter(pk=hidden.pk).update(change="Partners asked for evenings.")
    migration = importlib.import_module(
        "withpeople.works.migrations.0007_clear_change_text_not_applying"
    )
    migration.clear_change_text(django_apps, None)
    hidden.refresh_from_db()
    kept.refresh_from_db()
    assert hidden.change == ""
    assert kept.change == "Added an evening session."
    assert Aspect.objects.filter(work=work).exists()
