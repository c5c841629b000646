"""The practice admin's email outbox: what was sent, what failed, and retrying it."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from portal_app.domain.time_display import moment_label
from portal_app.domain.vocabulary import OutboxStatus, Role
from portal_app.models import EmailOutbox
from portal_app.services.auth import Viewer
from portal_app.services.email_sender import WAITING_FOR_MAIL_SERVER
from portal_app.services.notifications import list_outbox, outbox_message, retry_message
from portal_app.state import wording
from portal_app.state.access import Flag, RecordId, in_worker, open_to_all, requires
from portal_app.state.session import SessionState

STATUS_LABELS = {
    OutboxStatus.PENDING: "Pending",
    OutboxStatus.SENT: "Sent",
    OutboxStatus.FAILED: "Failed",
    OutboxStatus.NOT_SENT: "Not sent",
}
RETRYABLE = frozenset({OutboxStatus.FAILED, OutboxStatus.NOT_SENT})
# A pending message that could not go out yet is not given up on; say what it waits for.
WAITING_FOR_SERVER_LABEL = "Waiting for a mail server"
WAITING_TO_RETRY_LABEL = "Waiting to retry"


def status_label(message: EmailOutbox) -> str:
    """How the outbox names a message's state: pending ones say why they have not gone yet."""
    if message.status == OutboxStatus.PENDING and message.last_error == WAITING_FOR_MAIL_SERVER:
        return WAITING_FOR_SERVER_LABEL
    if message.status == OutboxStatus.PENDING and message.last_error:
        return WAITING_TO_RETRY_LABEL
    return STATUS_LABELS[message.status]


@dataclass(frozen=True)
class MessageRow:
    """One email in the outbox list (and, with ``body``, in the reading dialog)."""

    id: int = 0
    when: str = ""
    recipient: str = ""
    subject: str = ""
    status: str = ""
    status_label: str = ""
    attempts: int = 0
    last_error: str = ""
    can_retry: bool = False
    body: str = ""
    attachment: str = ""

    @classmethod
    def of(cls, message: EmailOutbox, zone: str, *, with_body: bool = False) -> MessageRow:
        """The row for one outbox message, in the admin's zone."""
        return cls(
            id=message.id,
            when=moment_label(message.created_at, zone),
            recipient=message.to_address,
            subject=message.subject,
            status=message.status.value,
            status_label=status_label(message),
            attempts=message.attempts,
            last_error=message.last_error,
            can_retry=message.status in RETRYABLE,
            body=message.body_text if with_body else "",
            attachment="appointment.ics" if with_body and message.ics else "",
        )


class OutboxState(SessionState):
    """Every email of the practice, newest first; for practice admins only."""

    messages: list[MessageRow] = []
    loaded: bool = False
    notice: str = ""
    reading: MessageRow = MessageRow()
    reading_open: bool = False
    reading_error: str = ""

    async def _reload(self, viewer: Viewer) -> None:
        messages = await in_worker(list_outbox, practice_id=viewer.practice_id)
        zone = self._display_zone(viewer)
        self.messages = [MessageRow.of(message, zone) for message in messages]
        self.loaded = True

    @rx.event
    @requires(Role.ADMIN)
    async def load(self, viewer: Viewer):
        """Read the practice's outbox."""
        self.notice = ""
        await self._reload(viewer)

    @rx.event
    @requires(Role.ADMIN)
    async def retry(self, viewer: Viewer, message_id: RecordId):
        """Queue a failed or not-sent message of the practice again."""
        queued = await in_worker(
            retry_message,
            writing=True,
            practice_id=viewer.practice_id,
            message_id=message_id,
            now=self._now(),
        )
        self.notice = wording.MESSAGE_RETRY_QUEUED if queued else wording.MESSAGE_NOT_RETRIED
        await self._reload(viewer)

    @rx.event
    @requires(Role.ADMIN)
    async def open_message(self, viewer: Viewer, message_id: RecordId):
        """Show one of the practice's messages as its recipient reads it (plain text)."""
        message = await in_worker(outbox_message, practice_id=viewer.practice_id, message_id=message_id)
        if message is None:
            self.reading, self.reading_error = MessageRow(), wording.MESSAGE_NOT_FOUND
        else:
            self.reading = MessageRow.of(message, self._display_zone(viewer), with_body=True)
            self.reading_error = ""
        self.reading_open = True

    @rx.event
    @open_to_all
    async def set_reading_open(self, is_open: Flag):
        """Close (or reopen) the message dialog."""
        self.reading_open = is_open and bool(self.reading.id or self.reading_error)
