"""Rate limits hold when many requests arrive at once: the count is one conditional UPDATE."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from withpeople.core import rate_limit
from withpeople.core.models import RateCount


def test_a_rate_is_read_as_a_limit_and_a_window():
    assert rate_limit.parse_rate("10/h") == (10, 3600)
    assert rate_limit.parse_rate("3/15m") == (3, 900)
    with pytest.raises(ValueError, match="10/h"):
        rate_limit.parse_rate("ten an hour")


@pytest.mark.django_db
def test_the_limit_is_reached_and_a_new_window_starts_afresh():
    taken = [rate_limit.take(group="g", key="1.2.3.4", rate="3/h", now=7200) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    assert rate_limit.reached(group="g", key="1.2.3.4", rate="3/h", now=7200)
    assert not rate_limit.reached(group="g", key="5.6.7.8", rate="3/h", now=7200)
    assert rate_limit.take(group="g", key="1.2.3.4", rate="3/h", now=10800)
    # Only a hash of the key is kept.
    assert not RateCount.objects.filter(key_hash__contains="1.2.3.4").exists()
    assert rate_limit.counts_purge(now=10800 + 3 * 86400) == 2


@pytest.mark.django_db(transaction=True)
def test_fifty_public_form_sends_at_once_let_through_exactly_the_limit(organisation, settings):
    if connection.vendor == "sqlite":
        pytest.skip("threads need a database that queues writers: run it on PostgreSQL")
    from django.test import Client

    from withpeople.feedback.models import Response
    from withpeople.feedback.public_views import _new_token
    from withpeople.feedback.tests.helpers import i_keys, make_cycle

    settings.FEEDBACK_RATE_LIMIT = "10/h"
    cycle = make_cycle(organisation)
    key = i_keys(cycle)[0]
    # Fifty different forms (each its own token) from one address, all sent at once.
    forms = [{"token": _new_token(cycle), f"answer-{key}": "always"} for _ in range(50)]
    start = threading.Barrier(len(forms))

    def send(data: dict) -> int:
        try:
            client = Client(REMOTE_ADDR="203.0.113.9")
            start.wait(timeout=60)
            return client.post(f"/f/{cycle.public_code}/", data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        statuses = list(pool.map(send, forms))
    assert statuses.count(302) == 10
    assert statuses.count(429) == 40
    assert Response.objects.filter(cycle=cycle).count() == 10
