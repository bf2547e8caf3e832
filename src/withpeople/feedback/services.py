"""Writes to Making It Real data: frameworks, review cycles, responses, imports and pictures.

Each write is one transaction and saves nothing when any part of it is wrong.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.core import once, rate_limit
from withpeople.core.models import UsedFormToken
from withpeople.core.tokens import hash_token
from withpeople.domain.ladder import PERSPECTIVE_SLUGS
from withpeople.domain.mir import framework as mir
from withpeople.domain.mir.responses_csv import (
    PROGRESS_EVERY,
    ParsedResponses,
    ResponsesInvalid,
    already_imported_problem,
    cell_problem,
    problem_list,
    read_responses_csv_bytes,
    stories_by_theme,
)
from withpeople.domain.mir.results import ANSWERS
from withpeople.feedback.models import (
    Answer,
    Channel,
    CycleStatus,
    Framework,
    ImportJob,
    ImportStatus,
    Response,
    ReviewCycle,
    Statement,
    StatementKind,
    StatementPicture,
    Story,
    Theme,
)
from withpeople.feedback.steps import results_step_publish
from withpeople.feedback.tallies import TallyKey, tallies_apply
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import Recipient, notify, site_url
from withpeople.organisations.models import Membership, Organisation

logger = logging.getLogger(__name__)

#: Rows written to the database at a time when importing.
BATCH_SIZE = 2_000
#: The largest responses file accepted, from the web page or the API: about a million answers.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_PICTURE_BYTES = 2 * 1024 * 1024


#: How long a public form's one-time token is accepted after the form was opened.
FORM_TOKEN_MAX_AGE = timedelta(days=1)


class FrameworkInUse(ValidationError):
    """A framework that a review cycle uses cannot be replaced: the cycle's answers need it."""


class AlreadySubmitted(Exception):
    """The form's one-time token was used already: these answers were saved once."""


# --- frameworks ----------------------------------------------------------------------------


@transaction.atomic
def framework_import(*, source: str, organisation: Organisation | None = None) -> Framework:
    """Load a framework from YAML text: site-wide when no organisation, else the organisation's.

    A framework with the same key is replaced only when no review cycle uses it. Raises
    `mir.FrameworkInvalid` (every problem, by path) or `FrameworkInUse`; saves nothing then.
    """
    parsed = mir.load_framework_yaml(source)
    existing = Framework.objects.filter(organisation=organisation, key=parsed.key).first()
    if existing is not None:
        if existing.cycles.exists():
            raise FrameworkInUse(
                _(
                    'The framework "%(key)s" is used by a review cycle, so it cannot be replaced. '
                    "Give the new framework a different key."
                )
                % {"key": parsed.key}
            )
        existing.delete()
    framework = Framework(
        organisation=organisation, key=parsed.key, title=parsed.title, source=source
    )
    framework.full_clean()
    framework.save()
    for theme_position, theme in enumerate(parsed.themes):
        saved = Theme(
            framework=framework, key=theme.key, title=theme.title, position=theme_position
        )
        saved.full_clean()
        saved.save()
        statements = [
            Statement(
                theme=saved,
                key=statement.key,
                kind=StatementKind(statement.kind.value),
                text=statement.text,
                easy_read=statement.easy_read or "",
                position=position,
            )
            for position, statement in enumerate(theme.statements)
        ]
        for statement in statements:
            statement.full_clean(exclude=["theme"])
        Statement.objects.bulk_create(statements)
    return framework


def default_framework() -> Framework:
    """The site-wide default framework, loaded from the shipped file if it is not there.

    A data migration loads it; this also covers a database emptied since (as tests do).
    """
    from withpeople.frameworks import default_framework_path

    existing = Framework.objects.filter(organisation__isnull=True, key="default").first()
    if existing is not None:
        return existing
    return framework_import(source=default_framework_path().read_text(encoding="utf-8"))


# --- review cycles -------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    organisation: Organisation,
    slug: str,
    name: str,
    framework: Framework,
    starts_on: date | None = None,
    ends_on: date | None = None,
    look_again_on: date | None = None,
) -> ReviewCycle:
    _check_framework_available(organisation, framework)
    if ReviewCycle.objects.for_organisation(organisation).filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("There is already a review cycle with this short name. Choose another.")}
        )
    cycle = ReviewCycle(
        organisation=organisation,
        slug=slug,
        name=name,
        framework=framework,
        starts_on=starts_on,
        ends_on=ends_on,
        look_again_on=look_again_on,
    )
    _check_dates(cycle)
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def cycle_update(
    *,
    cycle: ReviewCycle,
    name: str,
    framework: Framework,
    starts_on: date | None,
    ends_on: date | None,
    look_again_on: date | None = None,
) -> ReviewCycle:
    _check_framework_available(cycle.organisation, framework)
    if framework.pk != cycle.framework_id and cycle.responses.exists():
        raise ValidationError(
            {
                "framework": _(
                    "People have already answered this cycle's statements, so its framework "
                    "cannot be changed."
                )
            }
        )
    cycle.name = name
    cycle.framework = framework
    cycle.starts_on = starts_on
    cycle.ends_on = ends_on
    cycle.look_again_on = look_again_on
    _check_dates(cycle)
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def cycle_set_look_again(*, cycle: ReviewCycle, look_again_on: date | None) -> ReviewCycle:
    """Set when the organisation will ask people again, which You said, we did shows."""
    cycle.look_again_on = look_again_on
    _check_dates(cycle)
    cycle.full_clean()
    cycle.save(update_fields=["look_again_on"])
    return cycle


def _check_framework_available(organisation: Organisation, framework: Framework) -> None:
    if not Framework.objects.available_to(organisation).filter(pk=framework.pk).exists():
        raise ValidationError({"framework": _("Select a framework from the list.")})


def _check_dates(cycle: ReviewCycle) -> None:
    errors: dict[str, str] = {}
    if cycle.starts_on and cycle.ends_on and cycle.ends_on < cycle.starts_on:
        errors["ends_on"] = _("The end date must be the same as or after the start date.")
    # Looking again means asking people again after this cycle: not before it has ended.
    look_again_on = cycle.look_again_on
    if look_again_on and cycle.ends_on and look_again_on < cycle.ends_on:
        errors["look_again_on"] = _(
            "The date you will look again must be the same as or after the end date."
        )
    elif look_again_on and cycle.starts_on and look_again_on < cycle.starts_on:
        errors["look_again_on"] = _(
            "The date you will look again must be the same as or after the start date."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cycle_set_status(*, cycle: ReviewCycle, status: str) -> ReviewCycle:
    """Open a cycle for feedback, or close it. A closed cycle can be opened again.

    Closing a cycle also forgets used form tokens too old to be sent again, in every cycle, and
    publishes the next step of its results (by the same rule as the daily refresh).
    """
    if status not in CycleStatus.values:
        raise ValidationError(_("Choose whether the cycle is open or closed."))
    was = ReviewCycle.objects.filter(pk=cycle.pk).values_list("status", flat=True).first()
    cycle.status = status
    cycle.full_clean()
    cycle.save(update_fields=["status"])
    if status == CycleStatus.OPEN and was != CycleStatus.OPEN:
        _tell_members(
            cycle, NotificationKind.REVIEW_CYCLE_OPENED, "cycle_opened", f"cycle-{cycle.pk}-opened"
        )
    if status == CycleStatus.CLOSED:
        form_tokens_purge(today=timezone.localdate())
        results_step_publish(cycle)
    return cycle


def _tell_members(cycle: ReviewCycle, kind: NotificationKind, template: str, key: str) -> int:
    """Tell every member of the organisation about its review cycle."""
    organisation = cycle.organisation
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    return notify(
        kind=kind,
        organisation=organisation,
        recipients=[Recipient.of_user(m.user) for m in members],
        template=f"feedback/notifications/{template}",
        context={"cycle": cycle, "organisation": organisation},
        url=site_url(
            reverse(
                "feedback:cycle", kwargs={"org_slug": organisation.slug, "cycle_slug": cycle.slug}
            )
        ),
        key=key,
    )


#: Members are told this many days before an open review cycle ends.
CLOSING_SOON_DAYS = 7


def cycles_closing_notify(*, today: date) -> int:
    """Tell members of each open cycle that ends within a week, once per end date."""
    told = 0
    closing = ReviewCycle.objects.filter(
        status=CycleStatus.OPEN,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=CLOSING_SOON_DAYS),
    ).select_related("organisation")
    for cycle in closing:
        with transaction.atomic():
            told += _tell_members(
                cycle,
                NotificationKind.REVIEW_CYCLE_CLOSING,
                "cycle_closing",
                f"cycle-{cycle.pk}-closing-{cycle.ends_on.isoformat()}",
            )
    return told


def form_tokens_purge(*, today: date) -> int:
    """Forget used form tokens that are too old to be accepted anyway. Returns how many."""
    # A day more than the token's life, as a token used late on one day was made the day before.
    # core.once keeps every form's used tokens, this one's too, for two days: the token's
    # life (FORM_TOKEN_MAX_AGE) and a day more. The rate counts go on the same daily round.
    return once.used_tokens_purge(today=today) + rate_limit.counts_purge()


def form_token_used(token: str) -> bool:
    return UsedFormToken.objects.filter(token_hash=hash_token(token)).exists()


def _use_form_token(token: str) -> None:
    """Record the token as used, or raise AlreadySubmitted if it was, even a moment ago.

    In the table every form's one-time tokens go in (withpeople.core.once), keyed by the
    token's hash alone and with no page to go back to: nothing links it to the response.
    """
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(token_hash=hash_token(token))
    except IntegrityError:
        raise AlreadySubmitted from None


# --- responses -----------------------------------------------------------------------------


PUBLIC_CHANNELS = frozenset({Channel.ONLINE, Channel.EASY_READ})


@transaction.atomic
def response_submit(
    *,
    cycle: ReviewCycle,
    answers: Mapping[str, str],
    stories: Mapping[str, str] | None = None,
    perspective: str = "",
    channel: str,
    entered_by=None,
    once_token: str = "",
) -> Response:
    """Save one person's anonymous answers to the I statements, and any stories by theme.

    `answers` maps statement keys to answers; `stories` maps theme keys to text. Nothing that
    says who gave it is kept: only the date, the optional perspective and how it reached us.
    `once_token`, from the public form, is used up in the same transaction: if it was used
    already, AlreadySubmitted is raised and nothing is saved.
    """
    if channel in PUBLIC_CHANNELS and cycle.status != CycleStatus.OPEN:
        raise ValidationError(_("This review cycle is not open for feedback."))
    statements = {
        s.key: s
        for s in Statement.objects.filter(theme__framework=cycle.framework_id, kind=StatementKind.I)
    }
    errors: dict[str, list[str]] = {}
    for key, answer in answers.items():
        if key not in statements:
            errors.setdefault("answers", []).append(
                _('"%(key)s" is not an I statement of this framework.') % {"key": key}
            )
        elif answer not in ANSWERS:
            errors.setdefault("answers", []).append(
                _('"%(answer)s" is not an answer to "%(key)s".') % {"answer": answer, "key": key}
            )
    if not answers:
        errors.setdefault("answers", []).append(_("Answer at least one statement."))
    if perspective and perspective not in PERSPECTIVE_SLUGS:
        errors.setdefault("perspective", []).append(_("Select a perspective from the list."))
    themes = {t.key: t for t in Theme.objects.filter(framework=cycle.framework_id)}
    stories = {key: text.strip() for key, text in (stories or {}).items() if text and text.strip()}
    for key in stories:
        if key not in themes:
            errors.setdefault("stories", []).append(
                _('"%(key)s" is not a theme of this framework.') % {"key": key}
            )
    if errors:
        raise ValidationError(errors)
    if once_token:
        _use_form_token(once_token)
    response = Response(
        cycle=cycle,
        submitted_on=timezone.localdate(),
        perspective=perspective,
        channel=channel,
        entered_by=entered_by,
    )
    response.full_clean()
    response.save()
    Answer.objects.bulk_create(
        Answer(response=response, statement=statements[key], answer=answer)
        for key, answer in answers.items()
    )
    Story.objects.bulk_create(
        Story(response=response, cycle_id=response.cycle_id, theme=themes[key], text=text)
        for key, text in stories.items()
    )
    tallies_apply(
        cycle_id=cycle.pk,
        answers=Counter(
            (statements[key].pk, perspective, answer) for key, answer in answers.items()
        ),
        responses={perspective: 1},
    )
    return response


def cycle_statement_keys(cycle: ReviewCycle) -> tuple[list[str], list[str]]:
    """The keys of the cycle's I statements and We statements, in framework order."""
    rows = Statement.objects.filter(theme__framework=cycle.framework_id).order_by(
        "theme__position", "position", "id"
    )
    i_keys, we_keys = [], []
    for key, kind in rows.values_list("key", "kind"):
        (i_keys if kind == StatementKind.I else we_keys).append(key)
    return i_keys, we_keys


def responses_check(
    *, cycle: ReviewCycle, data: bytes, on_progress: Callable[[int], None] | None = None
) -> ParsedResponses:
    """Read a responses CSV against the cycle's framework; ResponsesInvalid lists every problem.

    A response id already imported into the cycle is a problem: importing the same file twice
    would otherwise count the same people twice.
    """
    i_keys, we_keys = cycle_statement_keys(cycle)
    return read_responses_csv_bytes(
        data,
        i_keys,
        today=timezone.localdate(),
        on_progress=on_progress,
        we_statement_keys=we_keys,
        already_imported=_imported_refs(cycle),
    )


def _imported_refs(cycle: ReviewCycle, among: list[str] | None = None) -> set[str]:
    refs = Response.objects.filter(cycle=cycle).exclude(import_ref="")
    if among is not None:
        refs = refs.filter(import_ref__in=among)
    return set(refs.values_list("import_ref", flat=True))


@transaction.atomic
def response_enter(
    *,
    cycle: ReviewCycle,
    answers: Mapping[str, str],
    stories: Mapping[str, str] | None = None,
    perspective: str = "",
    channel: str,
    entered_by,
    detail: str,
) -> Response:
    """A response entered by staff on someone's behalf, or sent through the API: saved as
    `response_submit` saves it, and who entered it is audited in the same transaction."""
    response = response_submit(
        cycle=cycle,
        answers=answers,
        stories=stories,
        perspective=perspective,
        channel=channel,
        entered_by=entered_by,
    )
    audit_record(
        organisation=cycle.organisation,
        actor=entered_by,
        action=AuditEventKind.ENTERED_FEEDBACK_RESPONSE,
        subject=response,
        detail=detail,
    )
    return response


@transaction.atomic
def responses_import(
    *,
    cycle: ReviewCycle,
    parsed: ParsedResponses,
    channel: str = Channel.IMPORTED,
    entered_by=None,
    on_progress: Callable[[int], None] | None = None,
    audit_detail: str = "",
) -> tuple[int, int]:
    """Save every response of a checked file, all or nothing. Returns (responses, answers).

    `entered_by` is the member of staff who imported the file, kept with each response.
    Responses, then their answers and stories, are written with bulk_create in batches.
    `on_progress(rows_saved)` is called after every PROGRESS_EVERY answers or so. Raises
    ResponsesInvalid, saving nothing, if a response id is already in the cycle: the file was
    checked before, but another import may have saved the same file since. With
    `audit_detail` (an import sent straight through the API), the import is audited; a file
    uploaded on the site was audited when it was uploaded (`import_job_create`).
    """
    # One import into a cycle at a time, so two imports of one file cannot both pass the check.
    ReviewCycle.objects.select_for_update().filter(pk=cycle.pk).first()
    _refuse_imported_again(cycle, parsed)
    framework = cycle.framework
    statements = dict(
        Statement.objects.filter(theme__framework=framework, kind=StatementKind.I).values_list(
            "key", "id"
        )
    )
    themes = dict(Theme.objects.filter(framework=framework).values_list("key", "id"))
    from withpeople.feedback.selectors import framework_as_domain

    domain = framework_as_domain(framework)
    answers_saved = 0
    next_report = PROGRESS_EVERY
    insert_answers = _answer_insert_sql()
    kept_answers: Counter[TallyKey] = Counter()
    kept_responses: Counter[str] = Counter()
    for start in range(0, len(parsed.responses), BATCH_SIZE):
        batch = parsed.responses[start : start + BATCH_SIZE]
        saved = Response.objects.bulk_create(
            Response(
                cycle=cycle,
                submitted_on=item.submitted_on,
                perspective=item.perspective or "",
                channel=channel,
                entered_by=entered_by,
                import_ref=item.id,
            )
            for item in batch
        )
        answers: list[tuple[int, int, str]] = []
        stories: list[Story] = []
        for response, item in zip(saved, batch, strict=True):
            answers.extend(
                (response.pk, statements[key], answer) for key, answer in item.answers.items()
            )
            perspective = item.perspective or ""
            kept_responses[perspective] += 1
            kept_answers.update(
                (statements[key], perspective, answer) for key, answer in item.answers.items()
            )
            if item.stories:
                for theme_key, text in stories_by_theme(item, domain).items():
                    stories.append(
                        Story(
                            response_id=response.pk,
                            cycle_id=response.cycle_id,
                            theme_id=themes[theme_key],
                            text=text,
                        )
                    )
        _insert_answers(answers, insert_answers)
        Story.objects.bulk_create(stories, batch_size=BATCH_SIZE)
        answers_saved += len(answers)
        if on_progress is not None and answers_saved >= next_report:
            on_progress(answers_saved)
            next_report = (answers_saved // PROGRESS_EVERY + 1) * PROGRESS_EVERY
    # The kept counts change with the answers, in this transaction: all or nothing together.
    tallies_apply(cycle_id=cycle.pk, answers=kept_answers, responses=kept_responses)
    if audit_detail:
        audit_record(
            organisation=cycle.organisation,
            actor=entered_by,
            action=AuditEventKind.IMPORTED_FEEDBACK_RESPONSES,
            subject=cycle,
            detail=f"{len(parsed.responses)} responses with {answers_saved} answers {audit_detail}",
        )
    return len(parsed.responses), answers_saved


def _refuse_imported_again(cycle: ReviewCycle, parsed: ParsedResponses) -> None:
    ids = [item.id for item in parsed.responses]
    found: set[str] = set()
    for start in range(0, len(ids), BATCH_SIZE):  # SQLite limits the parameters in a query
        found |= _imported_refs(cycle, ids[start : start + BATCH_SIZE])
    if found:
        raise ResponsesInvalid(
            problem_list(
                cell_problem(item.line, "response_id", already_imported_problem(item.id))
                for item in parsed.responses
                if item.id in found
            )
        )


def _insert_answers(rows: list[tuple[int, int, str]], insert_sql: str) -> None:
    """Write checked answers as plain rows, not model objects, which would cost far more than
    the database does for 100,000 of them: COPY on PostgreSQL, executemany on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            meta = Answer._meta
            quote = connection.ops.quote_name
            columns = ", ".join(
                quote(meta.get_field(name).column) for name in ("response", "statement", "answer")
            )
            copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(insert_sql, rows)


def _answer_insert_sql() -> str:
    quote = connection.ops.quote_name
    meta = Answer._meta
    columns = [meta.get_field(name).column for name in ("response", "statement", "answer")]
    return "INSERT INTO {} ({}) VALUES (%s, %s, %s)".format(  # noqa: S608 - names from the model
        quote(meta.db_table), ", ".join(quote(c) for c in columns)
    )


# --- import jobs ---------------------------------------------------------------------------


def import_job_create(*, cycle: ReviewCycle, data: bytes, created_by) -> ImportJob:
    """Keep an uploaded responses file and enqueue its import once the upload is committed.

    If the process stops between the commit and the enqueueing, `withpeople tick` enqueues it
    (`import_jobs_enqueue_lost`).
    """
    from withpeople.feedback.tasks import import_run

    with transaction.atomic():
        job = ImportJob(
            organisation=cycle.organisation,
            cycle=cycle,
            created_by=created_by,
            rows_total=_rough_row_count(data),
        )
        job.file.save("responses.csv", ContentFile(data), save=False)
        job.full_clean()
        job.save()
        audit_record(
            organisation=cycle.organisation,
            actor=created_by,
            action=AuditEventKind.UPLOADED_FEEDBACK_RESPONSES,
            subject=job,
            detail=f"responses file of {len(data):,} bytes for {cycle.slug}",
        )
        transaction.on_commit(partial(_enqueue_import, import_run, job.pk))
    return job


def _enqueue_import(import_task, job_id: int) -> None:
    # Recorded before the task may run, so the job never shows a task that has not been made.
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().filter(pk=job_id, task_id="").exists()
        if not locked:
            return
        result = import_task.enqueue(job_id=job_id)
        ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def import_jobs_enqueue_lost(*, now: datetime | None = None) -> int:
    """Enqueue each import job waiting with no task, a minute after its upload: the process
    stopped between saving the upload and enqueueing its task. Run by `withpeople tick`."""
    from withpeople.feedback.tasks import import_run

    before = (now or timezone.now()) - timedelta(minutes=1)
    lost = ImportJob.objects.filter(status=ImportStatus.QUEUED, task_id="", created_at__lt=before)
    count = 0
    for job_id in lost.values_list("pk", flat=True):
        _enqueue_import(import_run, job_id)
        count += 1
    return count


def _rough_row_count(data: bytes) -> int:
    """Lines after the header, for the progress bar; a story over several lines counts more."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(lines - 1, 0)


#: An import whose task has been started this many times without finishing (its worker died each
#: time) is failed rather than tried again: the file may be what stops it.
IMPORT_MAX_ATTEMPTS = 3

_UNFINISHED = [ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING]


def import_job_run(job_id: int, *, attempt: int = 1) -> ImportJob:
    """Check then import the job's file, writing progress to the job; exactly once.

    The answers and the job's "done" (status and counts) are saved in one transaction, so a run
    that stops part-way leaves nothing saved and the job unfinished, for the task to be run again;
    and a run of a job already finished, or finished meanwhile by another run, does nothing.
    """
    unfinished = ImportJob.objects.filter(pk=job_id, status__in=_UNFINISHED)
    started = unfinished.update(
        status=ImportStatus.CHECKING,
        progress_at=timezone.now(),
        attempts=models.F("attempts") + 1,
        rows_done=0,
    )
    if not started:
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("cycle__framework", "created_by").get(pk=job_id)
    if attempt > IMPORT_MAX_ATTEMPTS:
        return _finish(
            job,
            ImportStatus.FAILED,
            errors=[_("The import stopped before it finished, more than once. Try again.")],
        )

    def checked(rows: int) -> None:
        unfinished.update(rows_done=rows, progress_at=timezone.now())

    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        parsed = responses_check(cycle=job.cycle, data=data, on_progress=checked)
    except ResponsesInvalid as invalid:
        return _finish(job, ImportStatus.FAILED, errors=invalid.errors)
    except Exception:
        if not unfinished.exists():  # another run finished it, and deleted the file
            return ImportJob.objects.get(pk=job_id)
        logger.exception("Import %s could not be read", job_id)
        _finish(job, ImportStatus.FAILED, errors=[_("The file could not be read. Try again.")])
        raise
    # Saving is one transaction (all or nothing), so its progress is shown only as "saving".
    unfinished.update(
        status=ImportStatus.SAVING,
        rows_total=parsed.rows,
        rows_done=parsed.rows,
        progress_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            # Whoever locks the job first saves it; a second run then finds it done.
            if not unfinished.select_for_update().exists():
                return ImportJob.objects.get(pk=job_id)
            responses, answers = responses_import(
                cycle=job.cycle, parsed=parsed, entered_by=job.created_by
            )
            return _finish(job, ImportStatus.DONE, responses=responses, answers=answers)
    except ResponsesInvalid as invalid:
        return _finish(job, ImportStatus.FAILED, errors=invalid.errors)
    except Exception:
        logger.exception("Import %s could not be saved", job_id)
        _finish(job, ImportStatus.FAILED, errors=[_("The answers could not be saved. Try again.")])
        raise


def _finish(
    job: ImportJob,
    status: str,
    *,
    errors: list[str] | None = None,
    responses: int = 0,
    answers: int = 0,
) -> ImportJob:
    """Mark an unfinished job done or failed; a job already finished is left as it is.

    Inside the import's transaction, "done" is saved with the answers or not at all.
    """
    finished = (
        ImportJob.objects.filter(pk=job.pk, status__in=_UNFINISHED).update(
            status=status,
            errors=errors or [],
            responses_created=responses,
            answers_created=answers,
            finished_at=timezone.now(),
            file="",
        )
        > 0
    )
    # The file may hold people's stories: it is not kept once it has been imported or refused.
    if finished and job.file:
        name, storage = job.file.name, job.file.storage
        transaction.on_commit(partial(storage.delete, name))
    return ImportJob.objects.get(pk=job.pk)


def import_job_fail_stopped(*, job_id: int) -> None:
    """Mark a job failed whose task was given up (its worker kept stopping)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        _finish(
            job,
            ImportStatus.FAILED,
            errors=[_("The import stopped before it finished, more than once. Try again.")],
        )


# --- review cycles that have ended ---------------------------------------------------------


def cycles_close_ended(*, today: date) -> int:
    """Close every open review cycle whose end date is before today. Returns how many.

    Safe to run twice: a cycle already closed is left alone.
    """
    closed = 0
    ended = ReviewCycle.objects.filter(status=CycleStatus.OPEN, ends_on__lt=today)
    for cycle_id in ended.values_list("pk", flat=True):
        with transaction.atomic():
            cycle = ReviewCycle.objects.select_for_update().filter(pk=cycle_id).first()
            if cycle is None or cycle.status != CycleStatus.OPEN:
                continue
            cycle.status = CycleStatus.CLOSED
            cycle.full_clean()
            cycle.save(update_fields=["status"])
            results_step_publish(cycle)
            closed += 1
    if closed:
        form_tokens_purge(today=today)
    return closed


# --- pictures ------------------------------------------------------------------------------


def picture_type(data: bytes) -> str | None:
    """The picture's type from its first bytes (not its name): PNG or JPEG, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


@transaction.atomic
def picture_save(
    *, organisation: Organisation, statement: Statement, data: bytes, alt_text: str
) -> StatementPicture:
    """Add or replace the picture beside a statement's easy-read wording."""
    errors: dict[str, str] = {}
    content_type = picture_type(data)
    if len(data) > MAX_PICTURE_BYTES:
        errors["image"] = _("The picture must be smaller than 2 MB.")
    elif content_type is None:
        errors["image"] = _("The picture must be a PNG or JPEG.")
    if not alt_text.strip():
        errors["alt_text"] = _("Describe what the picture shows.")
    if errors:
        raise ValidationError(errors)
    old = (
        StatementPicture.objects.for_organisation(organisation).filter(statement=statement).first()
    )
    if old is not None:
        old.image.delete(save=False)
        old.delete()
    picture = StatementPicture(
        organisation=organisation,
        statement=statement,
        content_type=content_type,
        alt_text=alt_text.strip(),
    )
    picture.image.save("picture", ContentFile(data), save=False)
    picture.full_clean()
    picture.save()
    return picture


@transaction.atomic
def picture_delete(*, picture: StatementPicture) -> None:
    picture.image.delete(save=False)
    picture.delete()
