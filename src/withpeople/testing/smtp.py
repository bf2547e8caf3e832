"""A real SMTP server on 127.0.0.1 for tests and benchmarks, which keeps what it receives.

It can refuse everything for a while (a mail server that is away), and hold one recipient's
first delivery at RCPT for some seconds, so a test can kill the worker in the middle of a send.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    at: float


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refusing: bool = False
    #: Recipient -> seconds: their first RCPT is answered only after this long.
    hold_first: dict[str, float] = field(default_factory=dict)
    held: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "451 4.3.0 Try again later"
        if address in self.hold_first and address not in self.held:
            with self.lock:
                self.held.add(address)
            await asyncio.sleep(self.hold_first[address])
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Try again later"
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, time.time())
            )
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """Start with `with SmtpServer() as server:`; `server.port`, `server.handler.received`."""

    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
