"""Schemathesis runs every check it has against the whole API, with a real token.

It reads /api/v1/openapi.json, makes requests for every operation (valid ones and broken ones:
wrong types, missing fields, odd strings, NUL), sends them to the app through WSGI, and checks
each answer: never a 500, a status the document lists, a body matching the documented schema,
the documented content type, authentication enforced, and so on. A failure here means the API
does something its own document does not say.

Examples are capped so the whole run stays within about a minute on a busy machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from withpeople.accounts.services import api_token_create

#: Examples per operation and phase: enough to try each parameter broken in a few ways.
EXAMPLES = 8


#: Every check is on. A request that fits the document may still get 422 where the document
#: cannot say what is valid: an answer to a statement the framework does not have, a work
#: record that is JSON of the right shape but not a valid record, or text with a control
#: character (withpeople.domain.input_text). So "valid data is accepted" allows 422 too.
CHECKS = {
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "422"]}
    }
}
# Read once, when the tests are collected: the document needs no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", WSGIHandler(), config=SchemathesisConfig.from_dict(CHECKS)
)
#: The same, within the caller's own organisation and its open review cycle, so that requests
#: get past "no such organisation" to the endpoints themselves.
in_the_organisation = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    WSGIHandler(),
    config=SchemathesisConfig.from_dict(
        CHECKS | {"parameters": {"path.slug": "example", "path.cycle": "spring"}}
    ),
)


@pytest.fixture
def wsgi_keeps_the_connection():
    """As Django's test client does: a request must not close the test's database connection
    (with it would go the test's transaction, and an in-memory SQLite database)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_headers(members, organisation):
    from withpeople.feedback.tests.helpers import make_cycle

    make_cycle(organisation)
    _token, raw = api_token_create(user=members["staff"].user, name="schemathesis")
    # The app compresses what it sends to clients that ask; this client does not unpack it.
    return {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        # The database and the token are the same for every example, on purpose.
        HealthCheck.function_scoped_fixture,
    ],
)
@pytest.mark.django_db
def test_the_api_does_what_its_document_says(case, token_headers, wsgi_keeps_the_connection):
    case.call_and_validate(headers=token_headers)


@in_the_organisation.parametrize()
@settings(
    max_examples=EXAMPLES,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
@pytest.mark.django_db
def test_the_api_of_ones_own_organisation_does_what_its_document_says(
    case, token_headers, wsgi_keeps_the_connection
):
    case.call_and_validate(headers=token_headers)
