"""Notifications leave by real SMTP, sent by real `withpeople worker` processes.

A real SMTP server (aiosmtpd) listens on 127.0.0.1; workers run as separate processes against
the test database, as in production. Every message that arrives is parsed as email. The tests
commit, so they run on their own: `serial` (see tests/test_worker.py).
"""

from __future__ import annotations

import email
import os
import signal
import time
from email import policy

import pytest
from django.db import connection, transaction
from django.test import Client

from tests import test_worker
from withpeople.notifications import services
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.models import EmailStatus, OutgoingEmail
from withpeople.notifications.services import Recipient, notify
from withpeople.notifications.tests.helpers import TEMPLATE, test_templates  # noqa: F401
from withpeople.testing.smtp import SmtpServer

pytestmark = [
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("test_templates"),
]


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def workers(smtp, transactional_db, settings, tmp_path, monkeypatch):
    """Workers that send by SMTP to `smtp`, retry after a fraction of a second, and hold an
    email they are sending for 3 seconds."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    environment = test_worker._environment()
    monkeypatch.setattr(
        test_worker,
        "_environment",
        lambda: (
            environment
            | {
                "WITHPEOPLE_TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp.port),
                "EMAIL_TIMEOUT": "5",
                "NOTIFICATIONS_RETRY_DELAYS": "0.2,0.2,0.2",
                "NOTIFICATIONS_SEND_LEASE_SECONDS": "3",
            }
        ),
    )
    pool = test_worker.Workers(tmp_path)
    yield pool
    pool.stop()


def _tell(recipients, *, key: str, organisation=None) -> int:
    return notify(
        kind=NotificationKind.CHECKIN_ROUND_OPENED,
        organisation=organisation,
        recipients=recipients,
        template=TEMPLATE,
        context={"thing": "A check-in round"},
        url="http://127.0.0.1:8000/o/example/",
        key=key,
    )


def _parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)


def test_messages_arrive_by_smtp_and_a_failing_server_ends_in_the_admins_list(
    smtp, workers, members
):
    organisation = members["admin"].organisation
    workers.start(1)
    people = [
        Recipient.of_user(members["partner"].user),
        Recipient.of_user(members["staff"].user),
        Recipient(email="sam@example.org", name="Sam"),  # no account
    ]
    assert _tell(people, key="round-1", organisation=organisation) == 3
    workers.wait_for("3 messages to arrive", lambda: smtp.handler.count() == 3)
    by_id = {e.message_id: e for e in OutgoingEmail.objects.all()}
    for received in smtp.handler.received:
        message = _parse(received.data)
        assert message["Message-ID"] in by_id
        assert by_id[message["Message-ID"]].to_email in received.rcpt_tos
        assert "A check-in round happened" in message.get_body(("plain",)).get_content()
        assert message.get_body(("html",)) is not None
        unsubscribe = " ".join(str(message["List-Unsubscribe"]).split())
        assert unsubscribe.startswith("<http://127.0.0.1:8000/n/unsubscribe/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    workers.wait_for(
        "them to be marked sent",
        lambda: set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"},
    )

    # The server goes away: the email is tried 4 times, then shown to the admins.
    smtp.handler.refusing = True
    _tell([Recipient(email="alex@example.org", name="Alex")], key="r2", organisation=organisation)
    failing = OutgoingEmail.objects.get(to_email="alex@example.org")
    workers.wait_for(
        "the email to fail",
        lambda: OutgoingEmail.objects.filter(pk=failing.pk, status=EmailStatus.FAILED).exists(),
    )
    failing.refresh_from_db()
    assert failing.attempts == 4
    assert "451" in failing.last_error
    assert smtp.handler.count() == 3
    admin = Client()
    admin.force_login(members["admin"].user)
    page = admin.get("/o/example/emails-not-sent/")
    assert "alex@example.org" in page.text
    # The server is back; the admin tries again.
    smtp.handler.refusing = False
    admin.post(f"/o/example/emails-not-sent/{failing.pk}/try-again/")
    workers.wait_for("the email to arrive", lambda: smtp.handler.count() == 4)
    assert _parse(smtp.handler.received[-1].data)["Message-ID"] == failing.message_id


def _send_task_of(email_id: int):
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.running():
        if result.args_kwargs.get("kwargs", {}).get("email_id") == email_id:
            return result
    return None


def test_two_workers_deliver_500_messages_each_exactly_once_when_one_is_killed_mid_send(
    smtp, workers
):
    if connection.vendor != "postgresql":
        pytest.skip("Two workers sending at once are tested on PostgreSQL.")
    from withpeople.background.models import Worker

    # The first message's first delivery is held at RCPT for 30 s: its worker is killed there.
    smtp.handler.hold_first["slow@example.org"] = 30
    _tell([Recipient(email="slow@example.org")], key="slow")
    with transaction.atomic():
        _tell([Recipient(email=f"person{n}@example.org") for n in range(500)], key="many")
    slow = OutgoingEmail.objects.get(to_email="slow@example.org")
    workers.start(2)
    workers.wait_for("the slow message to be held", lambda: "slow@example.org" in smtp.handler.held)
    workers.wait_for("its task to be seen running", lambda: _send_task_of(slow.pk) is not None)
    holder = Worker.objects.get(worker_id=_send_task_of(slow.pk).worker_ids[-1]).pid
    os.kill(holder, signal.SIGKILL)
    killed = next(p for p in workers.processes if p.pid == holder)
    assert killed.wait(timeout=10) == -signal.SIGKILL
    assert OutgoingEmail.objects.get(pk=slow.pk).status == EmailStatus.SENDING

    def all_sent() -> bool:
        services.outbox_sweep()  # what `withpeople tick` does every minute
        return not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists()

    workers.wait_for("every message to be sent", all_sent, timeout=300)
    time.sleep(1)  # anything sent twice would have arrived by now
    ids = [_parse(r.data)["Message-ID"] for r in smtp.handler.received]
    assert len(ids) == 501
    assert set(ids) == set(OutgoingEmail.objects.values_list("message_id", flat=True))
    slow.refresh_from_db()
    assert slow.attempts == 2  # the killed worker's, then the other's
