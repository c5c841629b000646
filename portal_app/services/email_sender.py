"""Delivering the email outbox over SMTP: once each, with retries, from a background thread.

"None lost, none doubled" across several workers rests on three steps:

1. **Claim** (one short transaction): each due message is taken with a compare-and-set on its
   attempt counter (``UPDATE ... WHERE id = ? AND status = 'pending' AND attempts = <read>``),
   which also pushes ``next_attempt_at`` one lease ahead. Only one sender's update can match,
   on SQLite and on PostgreSQL alike, and other senders no longer see the row as due.
2. **Send** outside any transaction, so blocking SMTP never holds a database lock.
3. **Record** each result at once: sent, due again after a backoff, or failed for good. A
   sender that dies before recording leaves the row claimed only until the lease ends; then
   another sender picks it up, so nothing is lost.

Without a mail server configured nothing is claimed or given up on: messages stay pending,
marked as waiting, and go out on the first round after a server is configured.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import cast

from icalendar import Calendar
from sqlalchemy import Row, func, update
from sqlmodel import Session, col, select

from portal_app.domain.email_messages import header_text
from portal_app.domain.vocabulary import OutboxStatus
from portal_app.mail_config import SmtpSecurity, SmtpSettings
from portal_app.models import EmailOutbox, Practice
from portal_app.services.data_retention import PRUNE_EVERY, prune_expired
from portal_app.services.leases import hold_lease
from portal_app.services.reminders import queue_due_reminders
from portal_app.services.request_expiry import expire_overdue

logger = logging.getLogger(__name__)

# Wait after the 1st, 2nd, ... failed attempt; one attempt more than delays, then FAILED.
DEFAULT_RETRY_DELAYS: tuple[timedelta, ...] = tuple(timedelta(minutes=minutes) for minutes in (1, 5, 15, 60))
SENDER_LEASE = "email-sender"
# How long a claim keeps other senders away. It must outlast a whole batch's sending
# (batch size x SMTP timeout), or a slow batch could be claimed and sent a second time.
CLAIM_LEASE = timedelta(minutes=15)
BATCH_SIZE = 20
_MAX_ERROR_LENGTH = 2000
WAITING_FOR_MAIL_SERVER = "Waiting: no mail server is configured yet."

SessionFactory = Callable[[], Session]


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery round did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0


def deliver_due(
    *,
    session_factory: SessionFactory,
    now: datetime,
    smtp_settings: SmtpSettings | None,
    retry_delays: Sequence[timedelta] = DEFAULT_RETRY_DELAYS,
    batch_size: int = BATCH_SIZE,
    lease: timedelta = CLAIM_LEASE,
) -> DeliveryReport:
    """Send the messages that are due at ``now``, each once.

    Args:
        session_factory: Opens a new session; on SQLite it should take the write lock at
            BEGIN (``lambda: open_session(for_writing=True)``).
        now: The current instant.
        smtp_settings: Where to send; None when no server is configured, in which case due
            messages stay pending (marked as waiting in the admin's outbox view) and use up no
            attempts, so they are sent once a server is configured.
        retry_delays: The wait after each failed attempt; when they run out, FAILED.
        batch_size: At most this many messages per round.
        lease: How long a claimed message stays away from other senders.

    Returns:
        How many messages were sent, will be retried, failed for good, or wait for a server.
    """
    if smtp_settings is None:
        return DeliveryReport(waiting=_mark_waiting(session_factory, now))
    claimed = _claim_due(session_factory, now=now, batch_size=batch_size, lease=lease)
    if not claimed:
        return DeliveryReport()
    outgoing = _load(session_factory, claimed)

    def failed(message: EmailOutbox, error: Exception, *, permanent: bool) -> OutboxStatus:
        return _record_failure(
            session_factory, message, error, permanent=permanent, now=now, retry_delays=retry_delays
        )

    try:
        connection = _connect(smtp_settings)
    except (OSError, smtplib.SMTPException) as error:
        # The server, not the message, is at fault (down, bad password): worth retrying.
        return _report([failed(message, error, permanent=False) for message, _ in outgoing])
    outcomes = []
    try:
        for message, practice_name in outgoing:
            try:
                connection.send_message(_mime_message(message, practice_name, smtp_settings, now=now))
            except (OSError, smtplib.SMTPException, ValueError) as error:
                outcomes.append(failed(message, error, permanent=_is_permanent(error)))
            else:
                outcomes.append(_record_sent(session_factory, message, now=now))
    finally:
        _close(connection)
    return _report(outcomes)


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        # Everything is recorded already; a server that hung up early changes nothing.
        connection.close()


def _report(outcomes: list[OutboxStatus]) -> DeliveryReport:
    return DeliveryReport(
        sent=outcomes.count(OutboxStatus.SENT),
        retrying=outcomes.count(OutboxStatus.PENDING),
        failed=outcomes.count(OutboxStatus.FAILED),
    )


def _mark_waiting(session_factory: SessionFactory, now: datetime) -> int:
    """Say why due messages are not going out, without giving up on any of them.

    A missing setting is the server's state, not the message's: the status, attempts and due
    time stay as they are, so the first round after a mail server is configured sends them.

    Returns:
        How many messages are due and waiting.
    """
    due = (col(EmailOutbox.status) == OutboxStatus.PENDING, col(EmailOutbox.next_attempt_at) <= now)
    with session_factory() as session:
        waiting = session.exec(select(func.count()).select_from(EmailOutbox).where(*due)).one()
        # Only rows not yet marked are written, so an idle portal does not rewrite them each round.
        session.exec(
            update(EmailOutbox)
            .where(*due, col(EmailOutbox.last_error) != WAITING_FOR_MAIL_SERVER)
            .values(last_error=WAITING_FOR_MAIL_SERVER)
        )
        session.commit()
        return waiting


def _claim_due(
    session_factory: SessionFactory, *, now: datetime, batch_size: int, lease: timedelta
) -> list[int]:
    """Claim due messages; returns the ids of those this sender now owns."""
    claimed: list[int] = []
    with session_factory() as session:
        rows = session.exec(
            select(EmailOutbox.id, EmailOutbox.attempts)
            .where(
                EmailOutbox.status == OutboxStatus.PENDING,
                col(EmailOutbox.next_attempt_at) <= now,
            )
            .order_by(col(EmailOutbox.next_attempt_at), col(EmailOutbox.id))
            .limit(batch_size)
        ).all()
        # The id column allows None only for rows not yet flushed; these were read from the table.
        due = cast(Sequence[Row[int, int]], rows)
        for message_id, attempts in due:
            result = session.exec(
                update(EmailOutbox)
                .where(
                    col(EmailOutbox.id) == message_id,
                    col(EmailOutbox.status) == OutboxStatus.PENDING,
                    col(EmailOutbox.attempts) == attempts,
                )
                .values(attempts=attempts + 1, next_attempt_at=now + lease)
            )
            if result.rowcount == 1:
                claimed.append(message_id)
        session.commit()
    return claimed


def _load(session_factory: SessionFactory, claimed: list[int]) -> list[tuple[EmailOutbox, str]]:
    """The claimed messages, each with its practice's name (the sender's display name)."""
    with session_factory() as session:
        rows = session.exec(
            select(EmailOutbox, Practice.name)
            .join(Practice, col(Practice.id) == EmailOutbox.practice_id)
            .where(col(EmailOutbox.id).in_(claimed))
            .order_by(col(EmailOutbox.id))
        ).all()
        return [(message, practice_name) for message, practice_name in rows]


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    connection: smtplib.SMTP
    if settings.security is SmtpSecurity.SSL:
        connection = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=settings.timeout_seconds,
            context=ssl.create_default_context(),
        )
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
    try:
        if settings.security is SmtpSecurity.STARTTLS:
            connection.starttls(context=ssl.create_default_context())
        if settings.user:
            connection.login(settings.user, settings.password or "")
    except BaseException:
        connection.close()
        raise
    return connection


def _mime_message(
    message: EmailOutbox, practice_name: str, settings: SmtpSettings, *, now: datetime
) -> EmailMessage:
    domain = settings.from_address.rpartition("@")[2]
    mime = EmailMessage()
    # Every header is one line whatever was typed into the names it carries (see header_text).
    mime["Subject"] = header_text(message.subject)
    mime["From"] = formataddr((header_text(settings.from_name or practice_name), settings.from_address))
    mime["To"] = header_text(message.to_address)
    mime["Date"] = format_datetime(now)
    # The same id on every attempt lets receiving servers drop a repeat of the same message.
    mime["Message-ID"] = f"<outbox-{message.id}-{int(message.created_at.timestamp())}@{domain}>"
    mime.set_content(message.body_text)
    mime.add_alternative(message.body_html, subtype="html")
    if message.ics:
        method = str(Calendar.from_ical(message.ics).get("METHOD", "PUBLISH"))
        mime.add_attachment(
            message.ics, subtype="calendar", filename="appointment.ics", params={"method": method}
        )
    return mime


def _record_sent(session_factory: SessionFactory, message: EmailOutbox, *, now: datetime) -> OutboxStatus:
    # Not conditional on the attempt number: it went out, whoever holds the claim now.
    with session_factory() as session:
        session.exec(
            update(EmailOutbox)
            .where(col(EmailOutbox.id) == message.id, col(EmailOutbox.status) == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENT, sent_at=now, last_error="")
        )
        session.commit()
    return OutboxStatus.SENT


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message (bad address, refused content) will not change."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    # A message that cannot even be built fails the same way every time.
    return isinstance(error, ValueError)


def _record_failure(
    session_factory: SessionFactory,
    message: EmailOutbox,
    error: Exception,
    *,
    permanent: bool,
    now: datetime,
    retry_delays: Sequence[timedelta],
) -> OutboxStatus:
    last_error = f"{type(error).__name__}: {error}"[:_MAX_ERROR_LENGTH]
    values: dict[str, OutboxStatus | datetime]
    if permanent or message.attempts > len(retry_delays):
        status, values = OutboxStatus.FAILED, {"status": OutboxStatus.FAILED}
    else:
        status = OutboxStatus.PENDING
        values = {"next_attempt_at": now + retry_delays[message.attempts - 1]}
    with session_factory() as session:
        # Conditional on our attempt: a sender that took over after our lease ran out owns it.
        session.exec(
            update(EmailOutbox)
            .where(
                col(EmailOutbox.id) == message.id,
                col(EmailOutbox.status) == OutboxStatus.PENDING,
                col(EmailOutbox.attempts) == message.attempts,
            )
            .values(last_error=last_error, **values)
        )
        session.commit()
    logger.warning("Email %s not delivered (attempt %s): %s", message.id, message.attempts, last_error)
    return status


class BackgroundSender:
    """A running background sender; ``stop()`` ends it after the current round."""

    def __init__(self, thread: threading.Thread, stop_event: threading.Event):
        self._thread = thread
        self._stop_event = stop_event

    def stop(self, timeout_seconds: float | None = None) -> None:
        """Ask the thread to finish and wait for it (up to ``timeout_seconds``)."""
        self._stop_event.set()
        self._thread.join(timeout_seconds)

    def is_alive(self) -> bool:
        """Whether the thread is still running."""
        return self._thread.is_alive()


def _wall_clock() -> datetime:
    return datetime.now(UTC)


def start_background_sender(
    *,
    session_factory: SessionFactory,
    smtp_settings: SmtpSettings | None,
    interval: timedelta = timedelta(seconds=30),
    retry_delays: Sequence[timedelta] = DEFAULT_RETRY_DELAYS,
    clock: Callable[[], datetime] = _wall_clock,
    holder: str | None = None,
) -> BackgroundSender:
    """Queue due reminders and deliver due emails every ``interval`` in a daemon thread.

    Blocking SMTP runs in this thread, never on the event loop. Every worker process starts
    one, but only the holder of the ``email-sender`` lease works a round: one sender, one
    reminder scan and, once an hour, one pruning of old sign-in rows per deployment. A holder
    that dies loses the lease after three intervals and another worker takes over (claims
    still keep a message from going out twice meanwhile).

    Args:
        session_factory: Opens a new session (see ``deliver_due``).
        smtp_settings: Where to send; None keeps messages pending until a server is configured.
        interval: The pause between rounds.
        retry_delays: The wait after each failed attempt.
        clock: The current instant; tests pass a fixed or stepping clock.
        holder: Who this sender is, for the lease (default: a new random name per process).

    Returns:
        The running sender, to stop at shutdown.
    """
    stop_event = threading.Event()
    me = holder or f"sender-{uuid.uuid4().hex[:12]}"

    def run() -> None:
        prune_at: datetime | None = None  # the first round this worker works prunes
        while True:
            now = clock()
            if _holds_the_lease(session_factory, me, now, lasts=3 * interval):
                _run_round(session_factory, smtp_settings, retry_delays=retry_delays, now=now)
                if prune_at is None or now >= prune_at:
                    _prune(session_factory, now)
                    prune_at = now + PRUNE_EVERY
            if stop_event.wait(interval.total_seconds()):
                return

    thread = threading.Thread(target=run, name="email-outbox-sender", daemon=True)
    thread.start()
    return BackgroundSender(thread, stop_event)


def _holds_the_lease(
    session_factory: SessionFactory, holder: str, now: datetime, *, lasts: timedelta
) -> bool:
    try:
        with session_factory() as session:
            return hold_lease(session=session, name=SENDER_LEASE, holder=holder, now=now, lasts=lasts)
    except Exception:
        # A database hiccup: no round this time, the next one asks again.
        logger.exception("Could not check the email sender's lease")
        return False


def _run_round(
    session_factory: SessionFactory,
    smtp_settings: SmtpSettings | None,
    *,
    retry_delays: Sequence[timedelta],
    now: datetime,
) -> None:
    try:
        with session_factory() as session:
            expire_overdue(session=session, now=now)
            queue_due_reminders(session=session, now=now)
            session.commit()
        deliver_due(
            session_factory=session_factory,
            now=now,
            smtp_settings=smtp_settings,
            retry_delays=retry_delays,
        )
    except Exception:
        # The thread must outlive a database hiccup; the next round tries again.
        logger.exception("Email outbox round failed")


def _prune(session_factory: SessionFactory, now: datetime) -> None:
    try:
        with session_factory() as session:
            report = prune_expired(session=session, now=now)
            session.commit()
    except Exception:
        # Nothing depends on it this hour; the next pruning deletes the same rows.
        logger.exception("Pruning old sign-in rows failed")
        return
    if report.total:
        logger.info("Pruned old sign-in rows: %s", report)
