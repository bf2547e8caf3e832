"""How fast one worker sends notification emails to a local SMTP server.

Starts an SMTP server on 127.0.0.1 (aiosmtpd, in this process) and one `withpeople worker`
process, on a throwaway SQLite database (or the PostgreSQL in DATABASE_URL). Then:

1. "notify 200 people": one notify() call for 200 people with accounts, committed; prints the
   time from the call to the last of the 200 messages received by the SMTP server;
2. "invite 200 people": a meeting of a group of 200 planned and everyone invited, each email
   with its calendar event; prints the time from planning to the last invitation received;
3. 500 emails queued at once: prints how many messages per second the one worker sends.

    DEBUG=1 uv run python benchmarks/email_sending.py [--people 200] [--queued 500]

Every message goes through the whole path: the outbox row, the task on the queue, the claim,
SMTP to the server, and the mark that it was sent.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this folder off the path, so `import email` finds the standard library's package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import argparse  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

WORKER = [sys.executable, "-m", "withpeople.cli", "worker"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--queued", type=int, default=500)
    args = parser.parse_args()

    from withpeople.testing.smtp import SmtpServer

    data_dir = tempfile.mkdtemp(prefix="wp-email-bench-")
    server = SmtpServer().__enter__()
    os.environ.update(
        {
            "WITHPEOPLE_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "withpeople.settings",
            "DEBUG": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(server.port),
            "LOG_LEVEL": "WARNING",
        }
    )
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from withpeople.accounts.models import User
    from withpeople.background.models import Worker
    from withpeople.notifications.kinds import NotificationKind
    from withpeople.notifications.models import OutgoingEmail
    from withpeople.notifications.services import Recipient, notify
    from withpeople.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(slug="bench", name="Benchmark Council")
    users = User.objects.bulk_create(
        User(email=f"person{n}@example.org", name=f"Person {n}") for n in range(args.people)
    )

    def start_worker() -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 (our own command, no input from anyone)
            [*WORKER, "--interval", "0.05", "--no-startup-delay"],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while not Worker.objects.filter(pid=process.pid).exists():
            time.sleep(0.05)
        return process

    def stop_worker(process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)

    worker = start_worker()
    try:

        def tell(recipients, key):
            return notify(
                kind=NotificationKind.SECOND_FACTOR_RESET,
                organisation=organisation,
                recipients=recipients,
                template="security/notifications/second_factor_reset",
                context={"organisation": organisation, "actor_name": "An admin"},
                url="http://127.0.0.1:8000/account/",
                key=key,
            )

        def wait_for(count, timeout=600):
            deadline = time.monotonic() + timeout
            while server.handler.count() < count:
                if time.monotonic() > deadline:
                    raise SystemExit(f"Only {server.handler.count()} of {count} arrived.")
                time.sleep(0.005)

        started = time.perf_counter()
        with transaction.atomic():
            tell([Recipient.of_user(u) for u in users], "bench-people")
        committed = time.perf_counter()
        wait_for(args.people)
        last = time.perf_counter()
        print(
            f"notify {args.people} people: notify() and commit {committed - started:.2f} s; "
            f"last message received {last - started:.2f} s after the call"
        )

        # A meeting of a group of 200 planned, everyone invited with the event attached.
        import datetime as dt

        from django.utils import timezone

        from withpeople.meetings.services import meeting_plan
        from withpeople.works.services import work_create, work_member_add

        work = work_create(organisation=organisation, title="Benchmark", level="strategic")
        members = [
            work_member_add(work=work, name=f"Guest {n}", perspective="lived_experience")
            for n in range(args.people)
        ]
        for n, member in enumerate(members):
            member.contact = f"guest{n}@example.org"
            member.save(update_fields=["contact"])
        before = server.handler.count()
        starts = timezone.now() + dt.timedelta(days=14)
        started = time.perf_counter()
        with transaction.atomic():
            meeting_plan(
                group=work.group,
                invitees=members,
                title="Benchmark meeting",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                place="Town Hall",
            )
        committed = time.perf_counter()
        wait_for(before + args.people)
        last = time.perf_counter()
        print(
            f"invite {args.people} people to a meeting: planned and committed "
            f"{committed - started:.2f} s; last invitation received {last - started:.2f} s "
            "after planning"
        )

        # Queued first, then sent by the one worker: its rate.
        before = server.handler.count()
        stop_worker(worker)
        with transaction.atomic():
            tell([Recipient(email=f"queued{n}@example.org") for n in range(args.queued)], "q")
        worker = start_worker()
        wait_for(before + args.queued)
        received = [r.at for r in server.handler.received[before:]]
        span = max(received) - min(received)
        print(
            f"one worker sent {args.queued} queued messages in {span:.2f} s: "
            f"{args.queued / span:.0f} messages per second"
        )
        # The last "sent" is committed just after the server takes the last message.
        while OutgoingEmail.objects.exclude(status="sent").exists():
            time.sleep(0.01)
        sent = OutgoingEmail.objects.filter(status="sent").count()
        print(
            f"outbox: {sent} sent of {OutgoingEmail.objects.count()}; "
            f"SMTP server received {server.handler.count()}"
        )
    finally:
        if worker.poll() is None:
            stop_worker(worker)
        server.__exit__(None, None, None)


if __name__ == "__main__":
    main()
