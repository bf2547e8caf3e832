"""Exactly once: every form that creates something saves it once, however often it is sent.

`CREATING_FORMS` lists every creating form: the URL, who sends it, what it must fill in and the
table it adds to. `test_every_creating_url_is_listed_and_saves_once` fails for a creating URL
(one wrapped in `@once`, or named like one) that is missing, so a new form cannot miss it.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from withpeople.core.models import UsedFormToken
from withpeople.core.once import FIELD
from withpeople.testing.access import Context

#: A URL named like this creates something.
CREATING_NAME = re.compile(r"(^|[:-])(create|add|new|invite|enter|open|import|upload)$")
#: Named like a creating URL, but creating nothing: opening a review cycle changes its status;
#: opening a notification marks it read.
NOT_CREATING = {"feedback:cycle-open", "notifications:open"}
#: Creating, but sent once by their own key rather than a form's token: a passkey comes from
#: the browser's WebAuthn script, and its credential id is unique, so sending it again finds the
#: one already kept (accounts.passkeys.passkey_register).
ONCE_BY_THEIR_OWN_KEY = {"accounts:passkey-add"}


@dataclass(frozen=True)
class Form:
    model: str  # "app_label.Model", the table the form adds one row to
    actor: str = "admin"  # who sends it: an actor of tests/test_access.py's context
    data: Callable[[Context], dict[str, Any]] = lambda ctx: {}
    files: Callable[[], dict[str, Any]] = dict
    check: tuple[str, ...] = ()  # groups of checkboxes: the first box of each is ticked
    prepare: Callable[[Context], None] = lambda ctx: None  # what must exist first
    shows_result: bool = False  # the first send shows its result rather than redirecting
    #: The URL name of the page that holds the form, when it is not the form's own address.
    page: str | None = None


def _cases() -> dict[str, Any]:
    from tests.test_access import all_cases

    return all_cases()


def _work_record() -> dict[str, Any]:
    import json

    from withpeople.domain.tests.test_work_record import valid_record

    record = json.dumps(valid_record()).encode()
    return {"file": SimpleUploadedFile("work.json", record, "application/json")}


def _framework_file() -> dict[str, Any]:
    from pathlib import Path

    import withpeople.frameworks

    shipped = next(Path(withpeople.frameworks.__file__).parent.glob("*.yaml"))
    text = shipped.read_text(encoding="utf-8").replace("key: ", "key: own-", 1)
    return {"file": SimpleUploadedFile("own.yaml", text.encode(), "application/x-yaml")}


def _responses_csv() -> dict[str, Any]:
    from withpeople.feedback.models import Statement, StatementKind

    key = Statement.objects.filter(kind=StatementKind.I).order_by("pk").first().key
    header = "response_id,submitted_on,perspective,statement,answer,story\n"
    csv = f"{header}r1,2026-03-01,,{key},always,\n"
    return {"file": SimpleUploadedFile("answers.csv", csv.encode(), "text/csv")}


def _picture() -> dict[str, Any]:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
    return {"image": SimpleUploadedFile("p.png", png, "image/png")}


def _in_a_group(ctx: Context) -> None:
    from withpeople.testing.access import join_work_group
    from withpeople.works.services import work_create

    join_work_group(
        ctx, work_create(organisation=ctx.organisation, title="Day centres", level="service_design")
    )


def _in_a_group_with_a_category(ctx: Context) -> None:
    from withpeople.recognition.models import ExpenseCategory

    _in_a_group(ctx)
    ExpenseCategory.objects.create(
        organisation=ctx.organisation, name="Bus fares", receipt_required=False
    )


def _first_i_statement(ctx: Context) -> dict[str, Any]:
    from withpeople.feedback.models import Statement, StatementKind

    key = Statement.objects.filter(kind=StatementKind.I).order_by("pk").first().key
    return {f"answer-{key}": "always"}


CREATING_FORMS: dict[str, Form] = {
    # A file made in the background, and the organisation's evidence pack: one job each.
    "packs:export-file": Form("packs.ExportJob", actor="lead"),
    "packs:organisation-pdf": Form("packs.PackJob", actor="member", page="packs:organisation"),
    "accounts:token-create": Form(
        "accounts.ApiToken", data=lambda ctx: {"name": "Reports"}, shows_result=True
    ),
    "organisations:member-invite": Form(
        "organisations.Invitation", data=lambda ctx: {"email": "new.person@example.org"}
    ),
    "groups:create": Form("groups.Group", data=lambda ctx: {"name": "A new group"}),
    "groups:member-add": Form("groups.GroupMember", data=lambda ctx: {"name": "Sam Taylor"}),
    "works:create": Form("works.Work", data=lambda ctx: {"title": "A new service"}),
    "works:import": Form("works.Work", files=_work_record),
    "works:aspect-add": Form("works.Aspect", actor="lead", data=lambda ctx: {"name": "Testing"}),
    "works:person-add": Form(
        "groups.GroupMember", actor="lead", data=lambda ctx: {"name": "Sam Taylor"}
    ),
    "works:activity-add": Form(
        "works.Activity",
        actor="lead",
        data=lambda ctx: {"title": "A workshop", "date": "2026-03-01"},
    ),
    "works:decision-add": Form(
        "works.Decision",
        actor="lead",
        data=lambda ctx: {"summary": "We chose the second option", "date": "2026-03-01"},
    ),
    "works:round-open": Form(
        "works.CheckinRound", actor="lead", data=lambda ctx: {"name": "First round"}
    ),
    "feedback:cycle-create": Form(
        "feedback.ReviewCycle", data=lambda ctx: {"name": "Spring", "slug": "spring-once"}
    ),
    "feedback:response-enter": Form("feedback.Response", data=_first_i_statement),
    "feedback:import": Form("feedback.ImportJob", files=_responses_csv),
    "feedback:framework-upload": Form("feedback.Framework", files=_framework_file),
    "feedback:picture-upload": Form(
        "feedback.StatementPicture",
        data=lambda ctx: {"alt_text": "A person smiling"},
        files=_picture,
    ),
    "improvement:action-create": Form(
        "improvement.Action",
        data=lambda ctx: {"title": "Shorter letters", "description": "We will."},
        check=("statements", "owners"),
    ),
    "recognition:category-add": Form(
        "recognition.ExpenseCategory", data=lambda ctx: {"name": "Taxi fares"}
    ),
    "recognition:payment-add": Form(
        "recognition.Payment",
        data=lambda ctx: {"amount": "20.00", "over_policy_reason": "A workshop"},
    ),
    "recognition:time-add": Form(
        "recognition.TimeRecord",
        actor="member",
        data=lambda ctx: {"hours": "2", "date": "2026-03-01"},
        prepare=_in_a_group,
    ),
    "recognition:claim-add": Form(
        "recognition.ExpenseClaim",
        actor="member",
        data=lambda ctx: {"amount": "5.00", "date": "2026-03-01", "description": "Bus fare"},
        prepare=_in_a_group_with_a_category,
    ),
    "meetings:create": Form(
        "meetings.Meeting",
        actor="lead",
        data=lambda ctx: {
            "title": "Planning together",
            "date": f"{dt.date.today() + dt.timedelta(days=30):%d/%m/%Y}",
            "start_time": "2pm",
            "end_time": "4pm",
            "place": "Town Hall",
        },
    ),
    "diversity:category-create": Form(
        "diversity.DiversityCategory",
        data=lambda ctx: {"name": "Languages spoken", "question": "Which languages do you speak?"},
    ),
    "diversity:option-create": Form(
        "diversity.DiversityOption", data=lambda ctx: {"label": "Welsh"}
    ),
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def _saves_once(view) -> bool:
    return bool(getattr(view, "saves_once", False))


def _innermost(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def test_every_creating_url_is_listed_and_saves_once():
    once_urls, named_like_creating, views = set(), set(), {}
    for name, view in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name.startswith("api:"):
            continue
        views[name] = _innermost(view)
        if _saves_once(view):
            once_urls.add(name)
        if CREATING_NAME.search(name) and name not in NOT_CREATING | ONCE_BY_THEIR_OWN_KEY:
            named_like_creating.add(name)
    assert not named_like_creating - once_urls, "creating URLs without @once"
    assert not set(CREATING_FORMS) - once_urls, "listed forms without @once"
    # The rest are edit pages drawn by the same view as a listed creating form (its changes
    # are sent once too, which does no harm).
    creating_views = {views[name] for name in CREATING_FORMS}
    unlisted = {
        name for name in once_urls - set(CREATING_FORMS) if views[name] not in creating_views
    }
    assert not unlisted, "CREATING_FORMS must list every creating URL with @once"


@pytest.fixture
def context(organisation, members, outsider):
    from withpeople.testing.access import make_context

    return make_context(organisation, members, outsider)


def _filled(django_app, name: str, form: Form, ctx: Context) -> tuple[str, dict[str, list[str]]]:
    """The form's URL and what a person's browser sends: the page's fields, filled in."""
    case = _cases()[name]
    form.prepare(ctx)
    url = reverse(name, kwargs=case.kwargs(ctx)) + ("" if form.page else case.query)
    page_case = _cases()[form.page] if form.page else case
    page_url = reverse(form.page or name, kwargs=page_case.kwargs(ctx)) + page_case.query
    page = django_app.get(page_url, user=ctx.members[form.actor].user)
    html_form = next(f for f in page.forms.values() if FIELD in f.fields)
    for field_name, fields in html_form.fields.items():
        for index, one in enumerate(fields):
            options = [value for value, *_rest in getattr(one, "options", ())]
            if options and not one.value and any(options):
                # The first real choice of a select or a group of radios.
                html_form.set(field_name, next(o for o in options if o), index=index)
    for field_name in form.check:
        html_form.get(field_name, index=0).checked = True
    data: dict[str, list[str]] = {}
    for field_name, value in html_form.submit_fields():
        data.setdefault(field_name, []).append(value)
    for key, value in form.data(ctx).items():
        data[key] = value if isinstance(value, list) else [value]
    return url, data


def _errors(response) -> list[str]:
    """The error messages a form page shows, to say what a case must fill in."""
    html = response.content.decode()
    return re.findall(r"Error:</span>\s*([^<]*)", html) or [html[:500]]


def _count(model: str) -> int:
    return apps.get_model(model)._base_manager.count()


def _send(ctx: Context, form: Form, url: str, data: dict[str, list[str]]):
    client = Client()
    client.force_login(ctx.members[form.actor].user)
    return client, {**data, **form.files()}


def _browser_tabs(ctx: Context, form: Form, data: dict[str, list[str]], count: int):
    """`count` clients of one signed-in browser, each with its own copy of the form's data."""
    signed_in = Client()
    signed_in.force_login(ctx.members[form.actor].user)
    tabs = []
    for _ in range(count):
        tab = Client()
        tab.cookies = signed_in.cookies
        tabs.append((tab, {**data, **form.files()}))
    return tabs


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CREATING_FORMS))
def test_sending_a_creating_form_twice_saves_once(name, context, django_app):
    """A double click or a resent page, one after the other, on SQLite and PostgreSQL."""
    form = CREATING_FORMS[name]
    url, data = _filled(django_app, name, form, context)
    before = _count(form.model)
    client, sent = _send(context, form, url, data)
    first = client.post(url, sent)
    assert first.status_code == (200 if form.shows_result else 302), _errors(first)
    client, sent = _send(context, form, url, data)
    second = client.post(url, sent)
    result = UsedFormToken.objects.get().result_url
    assert second.status_code == 302 and second["Location"] == result
    if not form.shows_result:
        assert result == first["Location"]
    assert _count(form.model) == before + 1
    assert UsedFormToken.objects.count() == 1


SENDS_AT_ONCE = 50


def _all_at_once(pool: ThreadPoolExecutor, url: str, tabs) -> list[str]:
    """Send every tab's form at the same moment, each from its own thread (and database
    connection); where each send was sent on ("" if nowhere)."""
    start = threading.Barrier(len(tabs))

    def send(client: Client, sent: dict) -> str:
        start.wait(timeout=60)
        response = client.post(url, sent)
        return response["Location"] if response.status_code == 302 else ""

    return list(pool.map(lambda tab: send(*tab), tabs))


def _close_connection(barrier: threading.Barrier) -> None:
    barrier.wait(timeout=60)  # so that every thread of the pool closes its own
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_fifty_sends_at_once_of_each_creating_form_save_once(context, django_app, settings):
    """50 identical sends of each creating form at the same moment save one row.

    One test for every form, as each transactional test empties the database at its end,
    which on PostgreSQL takes longer than sending the forms. Each form is still checked on
    its own, and every failure is reported.
    """
    if connection.vendor == "sqlite":
        # The in-memory test database refuses a second thread's write ("table is locked")
        # rather than queuing it as a database file does; the test above sends in turn.
        pytest.skip("threads need a database that queues writers: run it on PostgreSQL")
    # Background work is queued, as in production, not run inside the request: a form that
    # asks for a PDF answers at once, and the test counts the jobs asked for, not their files.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    failures = {}
    # One pool of threads for every form, so each thread opens its database connection once.
    with ThreadPoolExecutor(max_workers=SENDS_AT_ONCE) as pool:
        try:
            for name, form in sorted(CREATING_FORMS.items()):
                failures |= _check_at_once(pool, name, form, context, django_app)
        finally:
            closing = threading.Barrier(SENDS_AT_ONCE)
            list(pool.map(lambda _: _close_connection(closing), range(SENDS_AT_ONCE)))
    assert not failures


def _check_at_once(pool, name: str, form: Form, context: Context, django_app) -> dict:
    url, data = _filled(django_app, name, form, context)
    before = _count(form.model)
    places = _all_at_once(pool, url, _browser_tabs(context, form, data, SENDS_AT_ONCE))
    shown = set(places) - {""} if form.shows_result else set(places)
    saved = _count(form.model) - before
    if len(places) != SENDS_AT_ONCE or len(shown) != 1 or not all(shown) or saved != 1:
        return {name: {"saved": saved, "shown": shown, "answered": len(places)}}
    return {}


@pytest.mark.django_db
def test_a_send_that_waits_too_long_for_the_first_goes_back_to_the_form_page(
    context, django_app, monkeypatch
):
    """If the first send of a token is still at work when a second has waited its time, the
    second is sent back to the page the form was on (not to a button's POST-only address),
    and saves nothing."""
    from withpeople.core import once as once_module
    from withpeople.core.tokens import hash_token

    monkeypatch.setattr(once_module, "WAIT_FOR_FIRST_SEND", 0.2)
    form = CREATING_FORMS["packs:organisation-pdf"]
    url, data = _filled(django_app, "packs:organisation-pdf", form, context)
    user = context.members[form.actor].user
    # The first send has claimed the token and not finished.
    UsedFormToken.objects.create(token_hash=hash_token(f"{user.pk}|{url}|{data[FIELD][0]}"))
    before = _count(form.model)
    client, sent = _send(context, form, url, data)
    page = "http://testserver" + reverse(
        "packs:organisation", kwargs={"org_slug": context.organisation.slug}
    )
    waited = client.post(url, sent, HTTP_REFERER=page)
    assert waited.status_code == 302 and waited["Location"] == page
    # A referring page elsewhere is not followed: the form's own address is used.
    elsewhere = client.post(url, sent, HTTP_REFERER="https://elsewhere.example/")
    assert elsewhere["Location"] == url
    assert _count(form.model) == before
