"""The mail server away and back, with a real SMTP server (aiosmtpd) and the real background sender:
every email is delivered exactly once; meanwhile the admin's outbox says each one is waiting
(for a mail server, or to retry), never "Not sent" or "Failed"; mail written while no server was
configured goes out once one is; a sender that stops (a restart) leaves nothing behind."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portal_app import database, routes
from portal_app.domain.vocabulary import OutboxStatus
from portal_app.models import Appointment, EmailOutbox
from portal_app.seed import seed_demo_practice
from portal_app.services.email_sender import start_background_sender
from portal_app.services.notifications import enqueue_request_received
from portal_app.state.outbox import WAITING_FOR_SERVER_LABEL, WAITING_TO_RETRY_LABEL, OutboxState
from tests.security.conftest import FIGURES
from tests.smtp_server import SmtpServer
from tests.state.conftest import browser_for, run

T0 = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
ROUND = timedelta(milliseconds=20)


class Clock:
    """The senders' clock, moved by the test: rounds run often, but time passes only when told."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def portal(sqlite_file_engine) -> Iterator[None]:
    """The demo practice on a SQLite file; its own emails are due and no mail server has seen them."""
    database.use_engine(sqlite_file_engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=T0)
    yield
    database.use_engine(None)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


def _rows() -> list[EmailOutbox]:
    with database.open_session() as session:
        return list(session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all())


def _wait_until(condition: Callable[[list[EmailOutbox]], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition(_rows()):
        if time.monotonic() > deadline:
            pytest.fail(f"the sender did not get there in 30 s: {what}")
        time.sleep(0.02)


def _labels_the_admin_reads() -> Counter[str]:
    page = browser_for("office@example.org").state(OutboxState, path=routes.OUTBOX)
    run(page, "load")
    return Counter(row.status_label for row in page.messages)


def _sender(clock: Clock, smtp_settings, name: str):
    return start_background_sender(
        session_factory=lambda: database.open_session(for_writing=True),
        smtp_settings=smtp_settings,
        interval=ROUND,
        clock=clock,
        holder=name,
    )


def test_every_email_is_delivered_exactly_once_through_an_outage_and_a_restart(portal, smtp):
    clock = Clock(T0)
    with database.open_session(for_writing=True) as session:
        # One more email written during the outage, as a new request would.
        appointment = session.exec(select(Appointment).order_by(Appointment.id)).first()
        enqueue_request_received(session=session, appointment=appointment, now=T0)
        session.commit()
    written = len(_rows())
    assert written > 3

    # No mail server configured: every round leaves them waiting; none is given up or spent.
    sender = _sender(clock, None, "worker-1")
    _wait_until(lambda rows: all(row.last_error for row in rows), "all marked as waiting")
    time.sleep(10 * ROUND.total_seconds())  # more rounds, which must not give up on any
    sender.stop(timeout_seconds=10)
    assert {(row.status, row.attempts) for row in _rows()} == {(OutboxStatus.PENDING, 0)}
    assert _labels_the_admin_reads() == {WAITING_FOR_SERVER_LABEL: written}

    # A server configured, but down: each attempt fails and is retried later, never given up.
    sender = _sender(clock, smtp.settings, "worker-1")
    _wait_until(lambda rows: all(row.attempts == 1 and row.last_error for row in rows), "first attempts")
    clock.now = T0 + timedelta(minutes=1)
    _wait_until(lambda rows: all(row.attempts == 2 and row.last_error for row in rows), "second attempts")
    assert _labels_the_admin_reads() == {WAITING_TO_RETRY_LABEL: written}
    assert not smtp.inbox.messages

    # The worker goes away (a restart); the server comes back; another worker takes over.
    sender.stop(timeout_seconds=10)
    smtp.start()
    clock.now = T0 + timedelta(minutes=6)  # the second retry is due; the old lease has lapsed
    sender = _sender(clock, smtp.settings, "worker-2")
    _wait_until(lambda rows: all(row.status == OutboxStatus.SENT for row in rows), "all sent")
    time.sleep(10 * ROUND.total_seconds())  # more rounds, which must not send any again
    clock.now = T0 + timedelta(days=1)
    time.sleep(10 * ROUND.total_seconds())
    sender.stop(timeout_seconds=10)

    delivered = Counter(message["Message-ID"] for _, message in smtp.inbox.messages)
    figures = FIGURES.setdefault("mail outage", Counter())
    figures["emails written"] += written
    figures["delivered"] += len(delivered)
    figures["lost"] += written - len(delivered)
    figures["doubled"] += sum(count - 1 for count in delivered.values())
    assert len(delivered) == written
    assert set(delivered.values()) == {1}
    assert _labels_the_admin_reads() == {"Sent": written}
