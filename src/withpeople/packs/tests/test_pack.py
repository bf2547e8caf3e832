"""The evidence pack: a tagged PDF of the demo, its checksum, the period, suppression, access."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from withpeople.audit.models import AuditEvent
from withpeople.core.ladder_labels import rung_name_of
from withpeople.domain.assessment import assess_with_reasons
from withpeople.domain.work_record import work_record_to_dict
from withpeople.packs.models import PackJob
from withpeople.packs.pack import history_summary, work_pack
from withpeople.packs.render import pack_pdf
from withpeople.packs.services import pack_job_run
from withpeople.works import services
from withpeople.works.models import Work
from withpeople.works.selectors import work_record_for

pytestmark = pytest.mark.django_db


def _squash(text: str) -> str:
    """Text without any white space: a PDF breaks lines (and hyphenated words) where it likes."""
    return re.sub(r"\s+", "", text)


def _struct_tags(node, seen: set[str], alts: list[str]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _struct_tags(child, seen, alts)
        return
    if not hasattr(node, "get"):
        return
    if "/S" in node:
        seen.add(str(node["/S"]))
    if "/Alt" in node:
        alts.append(str(node["/Alt"]))
    if "/K" in node:
        _struct_tags(node["/K"], seen, alts)


def test_a_pdf_of_the_largest_demo_work_is_tagged_and_holds_every_rung_and_reason():
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    work = max(
        Work.objects.filter(organisation__slug="example-council"),
        key=lambda w: w.activities.count() + w.decisions.count(),
    )
    pdf = pack_pdf(work_pack(work))

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title == f"Evidence pack: {work.title}"
    seen: set[str] = set()
    alts: list[str] = []
    _struct_tags(root["/StructTreeRoot"], seen, alts)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure", "/L", "/LI"} <= seen

    text = _squash("".join(page.extract_text() for page in reader.pages))
    record = work_record_for(work)
    assessment = assess_with_reasons(record)
    for plan, result in zip(record.aspects, assessment["aspects"], strict=True):
        assert any(alt.startswith(f"The ladder for {plan.name}.") for alt in alts)
        assert _squash(f"Evidenced rung: {rung_name_of(result['evidenced'])}") in text
        for reason in result["why"]:
            assert _squash(reason.render()) in text
        if plan.reason:
            assert _squash(plan.reason.explanation) in text
    canonical = json.dumps(
        work_record_to_dict(record), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()
    assert hashlib.sha256(canonical).hexdigest() in text


def test_the_checksum_changes_with_the_evidence_and_only_with_it(work, members):
    first, again = work_pack(work), work_pack(work)
    assert first.checksum == again.checksum and len(first.checksum) == 64
    assert first.made_at <= again.made_at
    services.activity_save(
        work=work, aspect=work.aspects.first(), date=dt.date(2026, 1, 5), kind="meeting"
    )
    assert work_pack(work).checksum != first.checksum


def test_the_history_counts_changes_by_whom_and_not_the_making_of_packs(work, members):
    activity = services.activity_save(
        work=work,
        aspect=work.aspects.first(),
        date=dt.date(2026, 1, 5),
        kind="meeting",
        actor=members["staff"].user,
        recorded_by=members["staff"],
    )
    services.activity_save(
        work=work,
        aspect=work.aspects.first(),
        date=dt.date(2026, 1, 6),
        kind="meeting",
        activity=activity,
        actor=members["partner"].user,
        change_reason="The date was a day out.",
    )
    today = dt.date.today()
    before = history_summary([work], today + dt.timedelta(days=1), today)[0]
    summary, by_work = history_summary([work], None, today)
    assert summary.changes == 1 and summary.records >= 1 and summary.withdrawals == 0
    assert summary.by_whom[members["partner"].user.name] == 1
    assert summary.by_whom[members["staff"].user.name] >= 1
    assert by_work[work.pk] == summary
    from withpeople.packs.services import work_pack_make

    work_pack_make(work=work, actor=members["staff"].user, form="test")
    assert AuditEvent.objects.filter(action="made_evidence_pack").count() == 1
    assert history_summary([work], None, today)[0] == summary
    assert before.records == before.changes == 0
    pack = work_pack(work)
    assert pack.history == summary


def test_check_in_results_are_suppressed_below_the_threshold(work, organisation):
    from withpeople.testing.factories import MembershipFactory

    round_ = services.checkin_round_open(work=work, name="Spring")
    aspect = work.aspects.first()
    for index, perspective in enumerate(["carer", "carer", *["manager"] * 3]):
        membership = MembershipFactory(organisation=organisation, perspective=perspective)
        services.work_member_add(
            work=work, name=f"Person {index}", perspective=perspective, membership=membership
        )
        answers = dict.fromkeys(work.aspects.all(), "consultation") | {aspect: "informing"}
        services.checkin_submit(checkin_round=round_, membership=membership, answers=answers)
    services.checkin_round_close(checkin_round=round_)
    section = work_pack(work).works[0]
    assert section.checkin_round == "Spring"
    first = section.aspects[0]
    assert first.staff == "Informing"
    assert first.partners.startswith("Not shown (fewer than 3 answers)")


def _period(start: dt.date, end: dt.date) -> str:
    return (
        f"?from-day={start.day}&from-month={start.month}&from-year={start.year}"
        f"&to-day={end.day}&to-month={end.month}&to-year={end.year}"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?from-day=&from-month=&from-year=&to-day=1&to-month=2&to-year=2026",
            "Enter the date the period starts",
        ),
        (
            "?from-day=1&from-month=&from-year=2026&to-day=1&to-month=2&to-year=2026",
            "The date the period starts must include a month",
        ),
        (
            "?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026",
            "The date the period starts must be a real date",
        ),
        (
            _period(dt.date(2026, 3, 1), dt.date(2026, 2, 1)),
            "The date the period ends must be the same as or after the date it starts",
        ),
    ],
)
def test_a_wrong_period_is_explained_in_an_error_summary(query, message, client_for, members):
    client = client_for(members["staff"])
    url = reverse("packs:organisation", kwargs={"org_slug": "example"}) + query
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert not AuditEvent.objects.filter(action="made_evidence_pack").exists()


def test_the_organisation_pack_holds_the_work_of_the_period_the_reader_may_see(
    client_for, members, organisation
):
    def make(title, level, starts_on, ends_on):
        return services.work_create(
            organisation=organisation,
            title=title,
            level=level,
            starts_on=starts_on,
            ends_on=ends_on,
            leads=[members["staff"]],
        )

    make("Carers' strategy", "strategic", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    make("Old strategy", "strategic", dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    make("Jo's support plan", "individual", dt.date(2026, 1, 1), None)
    url = reverse("packs:organisation", kwargs={"org_slug": "example"})
    period = _period(dt.date(2026, 2, 1), dt.date(2026, 3, 31))

    body = client_for(members["partner"]).get(url + period).content.decode()
    assert "Carers&#x27; strategy" in body
    assert "Old strategy" not in body
    assert "Jo&#x27;s support plan" not in body  # individual-level: not in the partner's group
    assert (
        "Jo&#x27;s support plan" in client_for(members["admin"]).get(url + period).content.decode()
    )


def test_the_organisation_pdf_is_made_in_the_background_for_its_asker_alone(
    client_for, members, organisation, django_capture_on_commit_callbacks
):
    services.work_create(
        organisation=organisation,
        title="Carers' strategy",
        level="strategic",
        starts_on=dt.date(2026, 1, 1),
        leads=[members["staff"]],
    )
    client = client_for(members["partner"])
    period = {
        "from-day": "1",
        "from-month": "2",
        "from-year": "2026",
        "to-day": "31",
        "to-month": "3",
        "to-year": "2026",
    }
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            reverse("packs:organisation-pdf", kwargs={"org_slug": "example"}), period
        )
    job = PackJob.objects.get()
    assert asked.status_code == 302
    assert asked["Location"] == reverse(
        "packs:job", kwargs={"org_slug": "example", "job_pk": job.pk}
    )
    assert job.status == "done" and job.work_count == 1
    page = client.get(asked["Location"]).content.decode()
    assert "Your evidence pack is ready" in page and job.checksum in page
    pdf_url = reverse("packs:job-pdf", kwargs={"org_slug": "example", "job_pk": job.pk})
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "strategy" in text
    assert client_for(members["staff"]).get(pdf_url).status_code == 404
    # Running the task again changes nothing.
    pack_job_run(job_id=job.pk)
    assert PackJob.objects.get().finished_at == job.finished_at


def test_the_work_page_offers_the_pack(client_for, members, work):
    body = (
        client_for(members["partner"])
        .get(reverse("works:detail", kwargs={"org_slug": "example", "pk": work.pk}))
        .content.decode()
    )
    assert reverse("packs:work-pdf", kwargs={"org_slug": "example", "pk": work.pk}) in body
    overview = (
        client_for(members["partner"])
        .get(reverse("organisations:dashboard", kwargs={"org_slug": "example"}))
        .content.decode()
    )
    assert 'id="overview-from-day"' in overview


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pdf", "x.pdf"], "Give either --work ID or --organisation SLUG"),
        (["--work", "1", "--organisation", "example", "--pdf", "x.pdf"], "not both"),
        (["--work", "999999", "--pdf", "x.pdf"], "no piece of work with the id 999999"),
        (
            [
                "--organisation",
                "nowhere",
                "--from",
                "2026-01-01",
                "--to",
                "2026-02-01",
                "--pdf",
                "x.pdf",
            ],
            "no organisation with the slug 'nowhere'",
        ),
        (["--organisation", "example", "--pdf", "x.pdf"], "needs a period"),
        (
            [
                "--organisation",
                "example",
                "--from",
                "2026-02-30",
                "--to",
                "2026-03-01",
                "--pdf",
                "x.pdf",
            ],
            "--from: '2026-02-30' is not a date",
        ),
        (
            [
                "--organisation",
                "example",
                "--from",
                "2026-03-01",
                "--to",
                "2026-02-01",
                "--pdf",
                "x.pdf",
            ],
            "must end on or after its start",
        ),
        (
            [
                "--organisation",
                "example",
                "--from",
                "2026-01-01",
                "--to",
                "2026-02-01",
                "--pdf",
                "/no/such/folder/x.pdf",
            ],
            "the folder /no/such/folder does not exist",
        ),
    ],
)
def test_the_command_refuses_bad_input_with_exit_status_2(args, message, organisation, tmp_path):
    args = [str(tmp_path / a) if a == "x.pdf" else a for a in args]
    with pytest.raises(CommandError) as refused:
        call_command("evidence-pack", *args)
    assert refused.value.returncode == 2
    assert message in str(refused.value)


def test_the_command_writes_a_pdf_of_a_piece_of_work(work, tmp_path):
    out = io.StringIO()
    target = tmp_path / "pack.pdf"
    call_command("evidence-pack", "--work", str(work.pk), "--pdf", str(target), stdout=out)
    reader = PdfReader(target)
    assert work.title in reader.pages[0].extract_text()
    assert work_pack(work).checksum in out.getvalue()


def test_the_api_gives_the_pdf_with_its_checksum_and_explains_a_bad_period(client, members, work):
    from withpeople.accounts.services import api_token_create

    _token, raw = api_token_create(user=members["partner"].user, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    response = client.get(
        f"/api/v1/organisations/example/works/{work.pk}/evidence-pack", headers=headers
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Record-SHA256"] == work_pack(work).checksum
    bad = client.get(
        "/api/v1/organisations/example/evidence-pack?from=2026-02-01&to=2026-01-01",
        headers=headers,
    )
    assert bad.status_code == 422
    assert "must end on or after its start" in bad.json()["errors"][0]


def test_an_organisation_pack_costs_the_same_queries_for_one_piece_of_work_or_four(
    organisation,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from withpeople.packs.pack import organisation_pack

    def add_work(number):
        work = services.work_create(
            organisation=organisation, title=f"Work {number}", level="strategic"
        )
        services.activity_save(
            work=work, aspect=work.aspects.first(), date=dt.date(2026, 1, 5), kind="meeting"
        )
        services.decision_save(
            work=work,
            aspect=work.aspects.last(),
            date=dt.date(2026, 1, 6),
            summary="Agreed the plan",
            decided_by="jointly",
        )

    def queries() -> int:
        works = Work.objects.for_organisation(organisation)
        with CaptureQueriesContext(connection) as captured:
            pack = organisation_pack(
                organisation, works, dt.date(2026, 1, 1), dt.date(2026, 12, 31)
            )
        assert len(pack.works) == works.count()
        return len(captured)

    add_work(1)
    one = queries()
    for number in (2, 3, 4):
        add_work(number)
    assert queries() == one
