"""Large spreadsheets are made in the background: the table's page sends people to ask for it,
a worker makes it, a page that refreshes itself without JavaScript offers it to the person who
asked, for a limited time, and the tick deletes it. CSV still streams at once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from withpeople.audit.models import AuditEvent
from withpeople.background.due import DUE
from withpeople.packs import services
from withpeople.packs.models import ExportJob, PackJobStatus
from withpeople.recognition import services as recognition
from withpeople.recognition.models import ExpenseCategory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def small_background(monkeypatch):
    """Spreadsheets of more than 2 rows count as large."""
    monkeypatch.setattr("withpeople.core.tables.BACKGROUND_ROWS", 2)


@pytest.fixture
def claims(organisation, members):
    from withpeople.groups.models import Group, GroupMember

    group = Group.objects.create(organisation=organisation, name="Board")
    travel = ExpenseCategory.objects.create(
        organisation=organisation, name="Travel", receipt_required=False
    )
    for n in range(4):
        member = GroupMember.objects.create(group=group, name=f"Person {n}", perspective="carer")
        recognition.expense_claim_create(
            organisation=organisation,
            member=member,
            category=travel,
            date=DAY,
            description="Bus",
            amount=Decimal("2.50"),
        )


def _export_url(organisation, fmt):
    return reverse("recognition:export", kwargs={"org_slug": organisation.slug}) + (
        f"?start=2026-01-01&end=2026-12-31&file_format={fmt}"
    )


def test_a_large_finance_spreadsheet_is_made_in_the_background_for_its_asker_alone(
    organisation, members, client_for, claims, small_background, django_capture_on_commit_callbacks
):
    staff = client_for(members["staff"])
    # CSV streams at once, however large.
    csv = staff.get(_export_url(organisation, "csv"))
    assert csv.status_code == 200 and csv.streaming
    # A large spreadsheet: the export sends the person to ask for it.
    asked = staff.get(_export_url(organisation, "xlsx"))
    assert asked.status_code == 302
    page = staff.get(asked.url)
    assert page.status_code == 200
    assert "Make the file" in page.content.decode()
    assert not ExportJob.objects.exists()  # opening the page asks for nothing

    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        sent = staff.post(
            asked.url.split("?")[0],
            {"start": "2026-01-01", "end": "2026-12-31", "file_format": "xlsx"},
        )
    job = ExportJob.objects.get()
    assert sent.status_code == 302 and sent.url.endswith(f"/files/made/{job.pk}/")
    assert job.requested_by == members["staff"] and job.status == PackJobStatus.WAITING
    waiting = staff.get(sent.url).content.decode()
    assert '<meta http-equiv="refresh"' in waiting and "being made" in waiting
    download = reverse(
        "packs:export-job-file", kwargs={"org_slug": organisation.slug, "job_pk": job.pk}
    )
    assert staff.get(download).status_code == 404  # not made yet

    for callback in enqueued:  # the worker
        callback()
    job.refresh_from_db()
    assert job.status == PackJobStatus.DONE
    assert AuditEvent.objects.filter(action="exported_finance", actor=members["staff"].user)
    ready = staff.get(sent.url).content.decode()
    assert "Your file is ready" in ready and "http-equiv" not in ready
    file = staff.get(download)
    assert file.status_code == 200 and file["Cache-Control"] == "private, no-store"
    sheet = tablib.Dataset().load(io.BytesIO(file.content), format="xlsx")
    assert len(sheet) == 4 + 4 + 1  # four claims, four people's totals and the period's total

    # Nobody else finds it, not even an admin of the organisation.
    for other in ("admin", "partner"):
        assert client_for(members[other]).get(sent.url).status_code == 404
        assert client_for(members[other]).get(download).status_code == 404

    # Past its time it is no longer offered, and the tick deletes it.
    later = timezone.now() + services.EXPORT_KEPT + dt.timedelta(minutes=1)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert staff.get(download).status_code == 404
    assert services.export_jobs_delete_expired(now=later) == 1
    assert not ExportJob.objects.exists()
    assert any(due.task_path.endswith("export_files_delete_expired") for due in DUE)


def test_asking_twice_with_one_form_makes_one_file(
    organisation, members, client_for, claims, small_background, django_capture_on_commit_callbacks
):
    """A double click, or the form sent again, leads to the one file already asked for."""
    import re

    staff = client_for(members["staff"])
    asked = staff.get(_export_url(organisation, "xlsx"))
    page = staff.get(asked.url).content.decode()
    token = re.search(r'name="once_token" value="([^"]+)"', page).group(1)
    data = {"start": "2026-01-01", "end": "2026-12-31", "file_format": "xlsx", "once_token": token}
    with django_capture_on_commit_callbacks(execute=False):
        first = staff.post(asked.url.split("?")[0], data)
        again = staff.post(asked.url.split("?")[0], data)
    assert ExportJob.objects.count() == 1
    assert first.status_code == again.status_code == 302 and again.url == first.url


def test_a_small_spreadsheet_still_downloads_at_once(organisation, members, client_for, claims):
    response = client_for(members["staff"]).get(_export_url(organisation, "ods"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert not ExportJob.objects.exists()


def test_asking_for_a_file_checks_the_role_and_what_it_is_of(
    organisation, members, client_for, small_background
):
    url = reverse("packs:export-file", kwargs={"org_slug": organisation.slug, "kind": "answers"})
    # Every answer of a cycle is for admins, and only of their own organisation's cycles.
    assert client_for(members["staff"]).get(url + "?cycle=x&file_format=xlsx").status_code == 403
    admin = client_for(members["admin"])
    assert admin.get(url + "?cycle=nope&file_format=xlsx").status_code == 404
    finance = reverse("packs:export-file", kwargs={"org_slug": organisation.slug, "kind": "pay"})
    assert admin.get(finance + "?file_format=xlsx").status_code == 404
    finance = finance.replace("/pay/", "/finance/")
    assert admin.get(finance + "?start=2026-01-01&end=2026-01-31&file_format=csv").status_code == (
        404
    )
    sent = admin.post(finance, {"start": "2026-02-01", "end": "2026-01-01", "file_format": "ods"})
    assert sent.status_code == 404
    assert not ExportJob.objects.exists()


def test_every_answer_of_a_large_cycle_as_a_spreadsheet_is_made_in_the_background(
    organisation, members, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from withpeople.feedback.services import cycle_create, default_framework

    monkeypatch.setattr("withpeople.core.tables.BACKGROUND_ROWS", -1)  # even none is large
    cycle = cycle_create(
        organisation=organisation, slug="spring", name="Spring", framework=default_framework()
    )
    admin = client_for(members["admin"])
    asked = admin.get(
        reverse(
            "feedback:answers-download",
            kwargs={"org_slug": organisation.slug, "cycle_slug": cycle.slug, "fmt": "xlsx"},
        )
    )
    assert asked.status_code == 302 and "/files/answers/?cycle=spring" in asked.url
    assert admin.get(asked.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin.post(asked.url.split("?")[0], {"cycle": "spring", "file_format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.status == PackJobStatus.DONE and job.filename == "spring-answers.xlsx"
    assert "Your file is ready" in admin.get(sent.url).content.decode()
