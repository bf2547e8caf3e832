"""The client's address behind the proxies, as sign-in throttling and the rate limit see it."""

import re

import pytest

from withpeople.core.network import client_ip
from withpeople.feedback.models import Response
from withpeople.feedback.tests.helpers import i_keys, make_cycle
from withpeople.testing.factories import PASSWORD, UserFactory

PROXY = "10.0.0.5"  # REMOTE_ADDR: the reverse proxy, the same for everyone behind it


def _request(rf, forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_a_proxy_the_forwarded_header_is_ignored(rf, settings):
    settings.PROXY_COUNT = 0
    assert client_ip(_request(rf, "203.0.113.1", remote="198.51.100.9")) == "198.51.100.9"


def test_one_proxy_gives_the_entry_it_appended(rf, settings):
    settings.PROXY_COUNT = 1
    assert client_ip(_request(rf, "203.0.113.1")) == "203.0.113.1"


def test_a_spoofed_left_most_entry_is_ignored(rf, settings):
    settings.PROXY_COUNT = 1
    assert client_ip(_request(rf, "192.0.2.66, 203.0.113.1")) == "203.0.113.1"
    assert client_ip(_request(rf, "not an address, 203.0.113.1")) == "203.0.113.1"


def test_two_proxies_give_the_entry_two_places_from_the_right(rf, settings):
    settings.PROXY_COUNT = 2
    forwarded = "192.0.2.66, 203.0.113.1, 10.0.0.2"
    assert client_ip(_request(rf, forwarded)) == "203.0.113.1"


@pytest.mark.parametrize("forwarded", [None, "", "nonsense"])
def test_a_request_that_missed_the_proxy_gives_remote_addr(rf, settings, forwarded):
    settings.PROXY_COUNT = 1
    assert client_ip(_request(rf, forwarded)) == PROXY


def test_ipv6_entries(rf, settings):
    settings.PROXY_COUNT = 1
    assert client_ip(_request(rf, "2001:db8::1")) == "2001:db8::1"


# The public feedback form, behind one proxy.


def _send_feedback(client, cycle, forwarded: str):
    extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}
    page = client.get(f"/f/{cycle.public_code}/", **extra).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answers = {"token": token, f"answer-{i_keys(cycle)[0]}": "always"}
    return client.post(f"/f/{cycle.public_code}/", answers, **extra)


@pytest.mark.django_db
def test_feedback_rate_limit_counts_each_forwarded_address_separately(
    client, organisation, settings
):
    settings.PROXY_COUNT = 1
    settings.FEEDBACK_RATE_LIMIT = "2/h"
    cycle = make_cycle(organisation)
    for _ in range(2):
        assert _send_feedback(client, cycle, "203.0.113.1").status_code == 302
    assert _send_feedback(client, cycle, "203.0.113.1").status_code == 429
    # Someone else behind the same proxy is not held back.
    assert _send_feedback(client, cycle, "203.0.113.2").status_code == 302
    # Nor does a made-up left-most entry let the first address send more.
    assert _send_feedback(client, cycle, "192.0.2.77, 203.0.113.1").status_code == 429
    assert Response.objects.filter(cycle=cycle).count() == 3


# Sign-in throttling, behind one proxy. Throttling is per email address and client address.


def _sign_in(client, forwarded, password):
    return client.post(
        "/account/sign-in/",
        {"username": "victim@example.org", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_sign_in_throttling_uses_the_forwarded_address(client, settings):
    settings.PROXY_COUNT = 1
    UserFactory(email="victim@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # A different made-up left-most entry each time changes nothing.
        _sign_in(client, f"192.0.2.{n}, 203.0.113.1", "a wrong guess")
    assert _sign_in(client, "203.0.113.1", PASSWORD).status_code == 429
    assert _sign_in(client, "192.0.2.99, 203.0.113.1", PASSWORD).status_code == 429
    # The person themselves, from their own address behind the same proxy, can still sign in.
    assert _sign_in(client, "203.0.113.2", PASSWORD).status_code == 302

    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.1"}
