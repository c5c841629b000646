"""The practice admin's email outbox: what was sent, what failed, and retrying it."""

from __future__ import annotations

import reflex as rx

from portal_app.database import open_session
from portal_app.domain.time_display import moment_label
from portal_app.domain.vocabulary import OutboxStatus, Role
from portal_app.models import EmailOutbox
from portal_app.services.auth import Viewer
from portal_app.services.notifications import list_outbox, outbox_message, retry_message
from portal_app.state.session import SessionState

STATUS_LABELS = {
    OutboxStatus.PENDING: "Pending",
    OutboxStatus.SENT: "Sent",
    OutboxStatus.FAILED: "Failed",
    OutboxStatus.NOT_SENT: "Not sent",
}
RETRYABLE = frozenset({OutboxStatus.FAILED, OutboxStatus.NOT_SENT})
NOT_FOUND = "That message could not be found."


def _as_row(message: EmailOutbox, zone: str) -> dict[str, str]:
    return {
        "id": str(message.id),
        "when": moment_label(message.created_at, zone),
        "to": message.to_address,
        "subject": message.subject,
        "status": message.status.value,
        "status_label": STATUS_LABELS[message.status],
        "attempts": str(message.attempts),
        "last_error": message.last_error,
        # Strings only in these rows; the page tests this flag against "yes".
        "can_retry": "yes" if message.status in RETRYABLE else "",
    }


def _message_id(value: object) -> int | None:
    # Any browser can send any value here; only a plain positive id is looked up.
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).isdigit():
        return None
    return int(value)


class OutboxState(SessionState):
    """Every email of the practice, newest first; for practice admins only."""

    messages: list[dict[str, str]] = []
    loaded: bool = False
    notice: str = ""
    reading: dict[str, str] = {}
    reading_open: bool = False
    reading_error: str = ""

    def _require_admin(self) -> Viewer | None:
        viewer = self._require_user(Role.ADMIN)
        if viewer is None or viewer.practice_id is None:
            return None
        return viewer

    def _reload(self, viewer: Viewer) -> None:
        zone = self._display_zone(viewer)
        with open_session() as session:
            messages = list_outbox(session=session, practice_id=viewer.practice_id)
            self.messages = [_as_row(message, zone) for message in messages]
        self.loaded = True

    @rx.event
    def load(self):
        """Read the practice's outbox."""
        viewer = self._require_admin()
        if viewer is None:
            return self._refusal()
        self.notice = ""
        self._reload(viewer)
        return None

    @rx.event
    def retry(self, message_id: str):
        """Queue a failed or not-sent message of the practice again."""
        viewer = self._require_admin()
        if viewer is None:
            return self._refusal()
        wanted = _message_id(message_id)
        queued = False
        if wanted is not None:
            with open_session(for_writing=True) as session:
                queued = retry_message(
                    session=session, practice_id=viewer.practice_id, message_id=wanted, now=self._now()
                )
                session.commit()
        self.notice = (
            "The message is queued and will be sent shortly."
            if queued
            else "That message cannot be retried: it is gone, or already being sent."
        )
        self._reload(viewer)
        return None

    @rx.event
    def open_message(self, message_id: str):
        """Show one of the practice's messages as its recipient reads it (plain text)."""
        viewer = self._require_admin()
        if viewer is None:
            return self._refusal()
        self.reading, self.reading_error = {}, ""
        wanted = _message_id(message_id)
        with open_session() as session:
            message = (
                outbox_message(session=session, practice_id=viewer.practice_id, message_id=wanted)
                if wanted is not None
                else None
            )
            if message is None:
                self.reading_error = NOT_FOUND
            else:
                self.reading = _as_row(message, self._display_zone(viewer)) | {
                    "body": message.body_text,
                    "attachment": "appointment.ics" if message.ics else "",
                }
        self.reading_open = True
        return None

    @rx.event
    def set_reading_open(self, is_open: bool):
        """Close (or reopen) the message dialog."""
        self.reading_open = bool(is_open) and bool(self.reading or self.reading_error)
