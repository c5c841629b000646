"""A real SMTP server (aiosmtpd) on a free local port, which a test takes down and brings back."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from portal_app.mail_config import SmtpSecurity, SmtpSettings


class Inbox:
    """An aiosmtpd handler that keeps every message and refuses chosen recipients."""

    def __init__(self):
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.raw: list[bytes] = []
        self.refused: set[str] = set()
        self._arrived = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content or envelope.content)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append((list(envelope.rcpt_tos), message))
            self._arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, to: str, subject_start: str, *, timeout: float = 30) -> EmailMessage:
        """The first message to ``to`` whose subject starts so, waiting for it to arrive."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self.received(to, subject_start), timeout=timeout):
                raise AssertionError(f"no email {subject_start!r} to {to} arrived within {timeout} s")
            return self.received(to, subject_start)[0]

    def received(self, to: str, subject_start: str) -> list[EmailMessage]:
        return [
            message
            for recipients, message in self.messages
            if recipients == [to] and message["Subject"].startswith(subject_start)
        ]


class SmtpServer:
    """A real SMTP server on a free local port that a test can take down and bring back."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self._controller: Controller | None = None
        self.settings = SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            security=SmtpSecurity.NONE,
            from_address="office@oak-street.example",
            timeout_seconds=5,
        )

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
