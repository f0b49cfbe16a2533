"""An SMTP server on loopback that keeps what it receives, for the reminder tests."""

from __future__ import annotations

import contextlib
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """The aiosmtpd handler: keeps every message accepted; can refuse the first few with a
    temporary failure (451), as a busy mail server does, or keep the next few and drop the
    connection before acknowledging them, as a server that dies at that moment does."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.refuse_next = 0
        self.refused = 0
        self.drop_after_keeping_next = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            if self.refuse_next:
                self.refuse_next -= 1
                self.refused += 1
                return "451 Requested action aborted: try again later"
            # Kept raw: parsing here would slow the server down for the 1 000-message test.
            self.received.append(envelope.content)
            if self.drop_after_keeping_next:
                self.drop_after_keeping_next -= 1
                # The client never reads the reply below.
                server.transport.abort()
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=policy.default) for raw in self.received]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on 127.0.0.1, and the app configured to send through it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    handler.controller = controller
    yield handler
    # A test may have stopped it already.
    with contextlib.suppress(AssertionError, RuntimeError):
        controller.stop()
