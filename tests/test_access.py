"""Every URL in the project, opened by every kind of person, gives the status it should.

Anonymous people are sent to sign in; a member of another organisation gets 404 and nothing
else; each of the seven kinds of person (`withpeople.testing.access.ACTORS`) gets what its case
says. A URL with no case fails the test. Every URL about one piece of work is tried again with
the work at the `individual` level, which only its group and admins may see.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from withpeople.testing.access import ACTORS, SIGN_IN, Case, Context, make_context
from withpeople.testing.people import (
    client_in_session,
    make_members,
    make_organisation,
    make_outsider,
    shared_rows,
    signed_in_session,
)
from withpeople.testing.snapshot import every_row


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry}>"


def all_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("withpeople."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_cases")
        except ModuleNotFoundError:
            continue
        for name, case in module.CASES.items():
            assert name not in cases, f"{name} has two access cases"
            cases[name] = case
    return cases


def test_every_url_has_an_access_case():
    names = all_url_names()
    cases = all_cases()
    missing = sorted(names - set(cases))
    assert not missing, f"URLs with no access case: {missing}"
    stale = sorted(set(cases) - names)
    assert not stale, f"Access cases for URLs that do not exist: {stale}"


@pytest.fixture(autouse=True)
def _pdf_layout_skipped(monkeypatch):
    """Who may download a pack is decided before it is laid out, so the walk keeps the pack's
    HTML and skips WeasyPrint's layout (about a second each, some 25 times). The PDF itself is
    checked in `withpeople/packs/tests/test_pack.py`."""
    from withpeople.packs import render

    monkeypatch.setattr(render, "html_pdf", lambda html: b"%PDF-1.7\n" + html.encode())


def _people() -> tuple[Context, dict[str, str]]:
    """The organisation, its members as the walk's actors, an outsider, and a signed-in
    session for each of them but the anonymous one."""
    organisation = make_organisation()
    ctx = make_context(organisation, make_members(organisation), make_outsider())
    sessions = {
        actor: signed_in_session(
            ctx.outsider.user if actor == "outsider" else ctx.members[actor].user
        )
        for actor in ACTORS
        if actor != "anonymous"
    }
    return ctx, sessions


@pytest.fixture(scope="module")
def _shared(django_db_setup, django_db_blocker):
    """The walk's people and their sessions, made once for the module: every test tries one
    URL, and making seven people and signing six of them in took longer than the requests."""
    with shared_rows(django_db_blocker, _people) as people:
        yield people


@pytest.fixture
def walk(db, _shared) -> tuple[Context, dict[str, str]]:
    return _shared()


def _send(client: Client, case: Case, url: str, ctx: Context):
    if case.method == "get":
        return client.get(url)
    send = getattr(client, case.method)  # post, or patch and delete for the API
    if case.content_type:
        return send(url, case.data(ctx), content_type=case.content_type)
    return send(url, case.data(ctx))


def _snapshot() -> dict[str, str]:
    """Every row of every table, to show that a request saved nothing."""
    return every_row()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(all_cases()))
def test_access(url_name, walk):
    case = all_cases()[url_name]
    _walk_one(url_name, case, case.expect, *walk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", sorted(name for name, case in all_cases().items() if case.about_work)
)
def test_access_to_individual_level_work(url_name, walk):
    """One person's own support: members of the organisation outside its group find nothing."""
    case = all_cases()[url_name]
    context, sessions = walk
    context.extra["level"] = "individual"
    _walk_one(url_name, case, case.at_individual_level(), context, sessions)


def test_the_walk_tries_work_at_the_individual_level():
    about_work = [name for name, case in all_cases().items() if case.about_work]
    assert "works:detail" in about_work and "api:get_work_record" in about_work


def _walk_one(
    url_name: str, case: Case, expect: dict, context: Context, sessions: dict[str, str]
) -> None:
    assert set(expect) == set(ACTORS), f"{url_name}: say what every actor gets"
    url = reverse(url_name, kwargs=case.kwargs(context)) + case.query
    problems = []
    # Everyone signed in before the test (`_shared`), so nothing here but the request writes.
    clients = {actor: client_in_session(sessions.get(actor)) for actor in ACTORS}
    # GET pages may write (an audit record of an export, say); an empty POST must not.
    before = _snapshot() if case.method != "get" else {}
    for actor in ACTORS:
        response = _send(clients[actor], case, url, context)
        expected = expect[actor]
        if expected == SIGN_IN:
            ok = response.status_code == 302 and response["Location"].startswith(
                reverse("accounts:sign-in")
            )
        else:
            ok = response.status_code == expected
        if not ok:
            problems.append(f"{actor}: expected {expected}, got {response.status_code}")
        # Public pages (open to anonymous people) may name the organisation; no other page
        # that an outsider can open may.
        if actor == "outsider" and response.status_code == 200 and case.expect["anonymous"] != 200:
            body = response.content.decode(errors="replace")
            assert context.organisation.name not in body, f"{url_name} leaks to an outsider"
    assert not problems, f"{url_name} ({url}): " + "; ".join(problems)
    if case.method != "get":
        after = _snapshot()
        changed = sorted(model for model in before if before[model] != after[model])
        assert not changed, f"{url_name}: an empty POST changed {changed}"
