"""Importing a CSV of answers: checked first, every problem by line, all or nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from withpeople.feedback import services
from withpeople.feedback.models import Answer, ImportJob, ImportStatus, Response, Story
from withpeople.feedback.tests.helpers import i_keys, make_cycle, we_key

pytestmark = pytest.mark.django_db
HEADER = "response_id,submitted_on,perspective,statement,answer,story\n"


@pytest.fixture
def cycle(organisation):
    return make_cycle(organisation)


def good_csv(cycle) -> str:
    a, b, c = i_keys(cycle)[:3]
    return HEADER + (
        f"r1,2026-03-01,carer,{a},mostly,The day centre helps.\n"
        f"r1,2026-03-01,carer,{b},never,\n"
        f"r2,2026-03-02,,{a},always,\n"
        f"r2,2026-03-02,,{c},not_applicable,\n"
    )


def test_a_good_file_is_imported(cycle):
    parsed = services.responses_check(cycle=cycle, data=good_csv(cycle).encode())
    assert services.responses_import(cycle=cycle, parsed=parsed) == (2, 4)
    responses = Response.objects.filter(cycle=cycle).order_by("import_ref")
    assert [(r.import_ref, r.perspective, str(r.submitted_on)) for r in responses] == [
        ("r1", "carer", "2026-03-01"),
        ("r2", "", "2026-03-02"),
    ]
    assert Answer.objects.filter(response__cycle=cycle).count() == 4
    assert Story.objects.get().theme.key == "wellbeing-and-independence"


def test_a_we_statement_is_an_error_naming_the_line(cycle):
    bad = good_csv(cycle) + f"r3,2026-03-02,,{we_key(cycle)},always,\n"
    with pytest.raises(services.ResponsesInvalid) as raised:
        services.responses_check(cycle=cycle, data=bad.encode())
    assert raised.value.errors == [
        f'line 6, column "statement": "{we_key(cycle)}" is a We statement; '
        "only I statements can be answered"
    ]


def test_a_date_after_today_is_refused(cycle):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = good_csv(cycle) + f"r3,{tomorrow},,{i_keys(cycle)[0]},always,\n"
    with pytest.raises(services.ResponsesInvalid) as raised:
        services.responses_check(cycle=cycle, data=bad.encode())
    assert raised.value.errors == [
        f'line 6, column "submitted_on": "{tomorrow}" is after today; feedback cannot have '
        "been given in the future"
    ]


ALREADY = (
    "is already in this review cycle, from a file imported before; take out the responses "
    "already imported, or give them new ids"
)


def test_the_same_file_twice_is_refused_naming_each_response(cycle):
    data = good_csv(cycle).encode()
    services.responses_import(cycle=cycle, parsed=services.responses_check(cycle=cycle, data=data))
    with pytest.raises(services.ResponsesInvalid) as raised:
        services.responses_check(cycle=cycle, data=data)
    assert raised.value.errors == [
        f'line 2, column "response_id": response "r1" {ALREADY}',
        f'line 4, column "response_id": response "r2" {ALREADY}',
    ]
    assert Response.objects.filter(cycle=cycle).count() == 2
    # The same ids in another cycle are other people.
    other = make_cycle(cycle.organisation, "autumn")
    services.responses_import(cycle=other, parsed=services.responses_check(cycle=other, data=data))
    assert Response.objects.filter(cycle=other).count() == 2


def test_a_file_saved_by_another_import_since_it_was_checked_is_refused_whole(cycle):
    data = good_csv(cycle).encode()
    first = services.responses_check(cycle=cycle, data=data)
    # Both checked before either is saved, as two imports running side by side would be.
    extra = good_csv(cycle) + f"r3,2026-03-02,,{i_keys(cycle)[0]},always,\n"
    second = services.responses_check(cycle=cycle, data=extra.encode())
    services.responses_import(cycle=cycle, parsed=first)
    with pytest.raises(services.ResponsesInvalid) as raised:
        services.responses_import(cycle=cycle, parsed=second)
    assert raised.value.errors == [
        f'line 2, column "response_id": response "r1" {ALREADY}',
        f'line 4, column "response_id": response "r2" {ALREADY}',
    ]
    assert not Response.objects.filter(cycle=cycle, import_ref="r3").exists()
    assert Response.objects.filter(cycle=cycle).count() == 2


def test_a_job_for_a_file_already_imported_fails_and_saves_nothing(cycle):
    first = _run_job(cycle, good_csv(cycle))
    again = _run_job(cycle, good_csv(cycle))
    assert first.status == ImportStatus.DONE
    assert again.status == ImportStatus.FAILED
    assert again.errors[0] == f'line 2, column "response_id": response "r1" {ALREADY}'
    assert Response.objects.count() == 2


def _run_job(cycle, text: str, user=None) -> ImportJob:
    job = services.import_job_create(cycle=cycle, data=text.encode(), created_by=user)
    return services.import_job_run(job.pk)


def test_a_job_with_one_bad_line_saves_nothing(cycle):
    bad = good_csv(cycle) + f"r3,2026-02-30,,{i_keys(cycle)[0]},often,\n"
    job = _run_job(cycle, bad)
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        'line 6, column "submitted_on": "2026-02-30" is not a real date',
        'line 6, column "answer": "often" is not an answer; use always, mostly, sometimes, '
        "rarely, never or not_applicable",
    ]
    assert not Response.objects.exists()
    assert not job.file  # the file, which may hold stories, is not kept


def test_a_job_imports_and_counts(cycle):
    job = _run_job(cycle, good_csv(cycle))
    assert (job.status, job.responses_created, job.answers_created) == (ImportStatus.DONE, 2, 4)
    assert job.rows_total == job.rows_done == 4
    # Running it again does nothing: a job runs once.
    services.import_job_run(job.pk)
    assert Response.objects.count() == 2


def _job_with_file(cycle, **fields) -> ImportJob:
    from django.core.files.base import ContentFile

    job = ImportJob.objects.create(
        organisation=cycle.organisation, cycle=cycle, rows_total=4, **fields
    )
    job.file.save("x.csv", ContentFile(good_csv(cycle).encode()))
    return job


def test_an_upload_enqueues_its_import_once_committed(cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.import_job_create(
            cycle=cycle, data=good_csv(cycle).encode(), created_by=None
        )
    # Nothing is enqueued, or run, before the upload is committed.
    job.refresh_from_db()
    assert (job.status, job.task_id) == (ImportStatus.QUEUED, "")
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.task_id
    assert (job.status, job.responses_created) == (ImportStatus.DONE, 2)


@pytest.mark.parametrize("status", [ImportStatus.CHECKING, ImportStatus.SAVING])
def test_a_job_stopped_part_way_is_finished_when_its_task_runs_again(cycle, status):
    """A worker killed mid-import leaves the job checking or saving, and nothing saved: the
    save and "done" are one transaction. The task, run again, finishes it."""
    stopped = _job_with_file(cycle, status=status, attempts=1)
    done = services.import_job_run(stopped.pk, attempt=2)
    assert (done.status, done.attempts, done.responses_created) == (ImportStatus.DONE, 2, 2)
    assert Response.objects.filter(cycle=cycle).count() == 2


def test_a_crash_between_saving_and_marking_done_saves_nothing(cycle, monkeypatch):
    """What used to leave every row saved and the job later marked failed."""
    job = _job_with_file(cycle)
    finish = services._finish

    def crash_when_done(job, status, **kwargs):
        if status == ImportStatus.DONE:
            raise SystemExit("the worker stops here")
        return finish(job, status, **kwargs)

    monkeypatch.setattr(services, "_finish", crash_when_done)
    with pytest.raises(SystemExit):
        services.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.SAVING
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    monkeypatch.undo()
    again = services.import_job_run(job.pk, attempt=2)
    assert (again.status, again.responses_created, again.answers_created) == ("done", 2, 4)
    assert Response.objects.count() == 2


def test_a_run_of_a_finished_job_changes_nothing(cycle):
    job = _run_job(cycle, good_csv(cycle))
    assert job.status == ImportStatus.DONE
    # A second run of its task, and a late word from a run taken for lost, change nothing.
    assert services.import_job_run(job.pk, attempt=2).attempts == 1
    late = services._finish(job, ImportStatus.FAILED, errors=["late"])
    assert (late.status, late.errors, late.responses_created) == (ImportStatus.DONE, [], 2)
    assert Response.objects.count() == 2


def test_a_job_whose_task_keeps_stopping_is_failed(cycle):
    job = _job_with_file(cycle, status=ImportStatus.SAVING, attempts=3)
    failed = services.import_job_run(job.pk, attempt=services.IMPORT_MAX_ATTEMPTS + 1)
    assert failed.status == ImportStatus.FAILED
    assert failed.errors == ["The import stopped before it finished, more than once. Try again."]
    assert not Response.objects.exists()


def test_tick_enqueues_an_import_whose_enqueueing_was_lost(cycle):
    from datetime import timedelta

    from django.utils import timezone

    from withpeople.background.services import tick

    lost = _job_with_file(cycle, created_at=timezone.now() - timedelta(minutes=2))
    just_uploaded = _job_with_file(cycle)  # its on-commit enqueueing may be under way
    tick()
    lost.refresh_from_db()
    just_uploaded.refresh_from_db()
    assert (lost.status, lost.responses_created) == (ImportStatus.DONE, 2)
    assert lost.task_id
    assert (just_uploaded.status, just_uploaded.task_id) == (ImportStatus.QUEUED, "")


def test_the_upload_page_runs_the_job_and_shows_the_result(
    django_app, cycle, members, django_capture_on_commit_callbacks
):
    user = members["staff"].user
    page = django_app.get(f"/o/example/making-it-real/cycles/{cycle.slug}/imports/new/", user=user)
    form = next(f for f in page.forms.values() if "file" in f.fields)
    form["file"] = ("answers.csv", good_csv(cycle).encode())
    with django_capture_on_commit_callbacks(execute=True):
        submitted = form.submit()
    result = submitted.follow()
    assert "Imported" in result
    assert "2 responses with 4 answers" in result
    assert 'http-equiv="refresh"' not in result.text
    assert Response.objects.count() == 2
    # Who imported the answers is kept with them, and the upload is audited.
    assert set(Response.objects.values_list("entered_by", flat=True)) == {user.pk}
    from withpeople.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="uploaded_feedback_responses")
    assert (event.actor, event.subject_id) == (user, str(ImportJob.objects.get().pk))


def test_a_running_job_page_refreshes_itself(django_app, cycle, members):
    job = ImportJob.objects.create(
        organisation=cycle.organisation,
        cycle=cycle,
        status=ImportStatus.CHECKING,
        rows_total=100_000,
        rows_done=25_000,
    )
    page = django_app.get(
        f"/o/example/making-it-real/cycles/{cycle.slug}/imports/{job.pk}/",
        user=members["staff"].user,
    )
    assert page.html.select_one('meta[http-equiv="refresh"]')["content"] == "2"
    assert "25000 of about 100000 rows checked (25%)" in page.text.replace(",", "")


def test_a_bad_upload_lists_every_problem_by_line(django_app, cycle, members):
    page = django_app.get(
        f"/o/example/making-it-real/cycles/{cycle.slug}/imports/new/", user=members["staff"].user
    )
    form = next(f for f in page.forms.values() if "file" in f.fields)
    form["file"] = ("answers.csv", (good_csv(cycle) + "r9,2026-03-01,,nope,always,\n").encode())
    result = form.submit()
    # The on_commit callback does not run inside the test's transaction; run the job by hand.
    job = ImportJob.objects.get()
    services.import_job_run(job.pk)
    result = result.follow()
    assert "The file was not imported" in result
    assert 'line 6, column "statement": unknown statement "nope"' in result.text.replace(
        "&#x27;", "'"
    ).replace("&quot;", '"')
    assert not Response.objects.exists()


# --- the command line ----------------------------------------------------------------------


def test_import_command(cycle, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(good_csv(cycle))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "mir", "import-responses", str(path), "--organisation", "example", "--cycle", cycle.slug,
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "Imported 2 responses with 4 answers" in out.getvalue()
    assert Response.objects.count() == 2


def test_import_command_refuses_a_bad_file_with_status_2(cycle, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(good_csv(cycle) + f"r3,2026-03-02,,{i_keys(cycle)[0]},sometime,\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "mir", "import-responses", str(path), "--organisation", "example",
            "--cycle", cycle.slug, stderr=err,
        )  # fmt: skip
    assert raised.value.returncode == 2
    assert 'line 6, column "answer": "sometime" is not an answer' in err.getvalue()
    assert not Response.objects.exists()
