"""Delivery through a real SMTP server (aiosmtpd on 127.0.0.1): each message once, none lost."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from portal_app.domain.vocabulary import AppointmentStatus, OutboxStatus
from portal_app.models import EmailOutbox, WorkerLease
from portal_app.services import email_sender
from portal_app.services.email_sender import (
    SENDER_LEASE,
    WAITING_FOR_MAIL_SERVER,
    deliver_due,
    start_background_sender,
)
from portal_app.services.notifications import enqueue_request_received, list_outbox, retry_message
from portal_app.services.reminders import queue_due_reminders
from portal_app.services.status_moves import move_status
from tests.factories import make_practice_setup
from tests.smtp_server import SmtpServer

# The day after New York falls back: 10:00 EST on Monday is 15:00 UTC (it was 14:00 UTC in EDT).
START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)
PRACTICE_TIME = "Mon, Nov 2, 2026, 10:00 AM – 10:50 AM EST (America/New_York)"
CLINICIAN = "maya-chen@clinic.test"
CLIENT = "alex@example.com"


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def session_factory(engine):
    return lambda: Session(engine)


def deliver(session_factory, smtp, now, **options):
    return deliver_due(session_factory=session_factory, now=now, smtp_settings=smtp.settings, **options)


def statuses(session) -> list[OutboxStatus]:
    session.expire_all()
    return [row.status for row in session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all()]


def calendar_attachment(message: EmailMessage) -> tuple[str, Calendar]:
    (part,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    return part.get_param("method"), Calendar.from_ical(part.get_content())


def test_each_message_type_arrives_with_recipient_subject_and_time(db_session, session_factory, smtp):
    setup = make_practice_setup(db_session, phone="(617) 555-0148")
    requested, confirmed = AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED

    def move(from_status, to_status, actor, note=""):
        appointment = setup.appointment(db_session, starts_at=START, status=from_status)
        move_status(
            session=db_session,
            appointment=appointment,
            to_status=to_status,
            actor_user_id=actor,
            now=NOW,
            note=note,
        )

    new = setup.appointment(db_session, starts_at=START)
    enqueue_request_received(session=db_session, appointment=new, now=NOW)
    move(requested, confirmed, setup.clinician.user_id)
    move(requested, AppointmentStatus.DECLINED, setup.clinician.user_id, note="Could you do Thursday?")
    move(confirmed, AppointmentStatus.CANCELLED, setup.client.user_id)
    move(requested, AppointmentStatus.WITHDRAWN, setup.client.user_id)
    assert queue_due_reminders(session=db_session, now=NOW) == 1  # for the confirmed one
    db_session.commit()
    smtp.start()

    report = deliver(session_factory, smtp, NOW)

    assert report.sent == 8
    assert set(statuses(db_session)) == {OutboxStatus.SENT}
    expected = [
        (CLIENT, "Appointment request received — Oak Street Counseling"),
        (CLINICIAN, "New appointment request — Oak Street Counseling"),
        (CLIENT, "Appointment confirmed — Oak Street Counseling"),
        (CLIENT, "Appointment request declined — Oak Street Counseling"),
        (CLIENT, "Appointment cancelled — Oak Street Counseling"),
        (CLINICIAN, "Appointment cancelled — Oak Street Counseling"),
        (CLINICIAN, "Appointment request withdrawn — Oak Street Counseling"),
        (CLIENT, "Appointment reminder — Oak Street Counseling"),
    ]
    for to, subject in expected:
        (message,) = smtp.inbox.received(to, subject)
        assert message["From"] == "Oak Street Counseling <office@oak-street.example>"
        assert PRACTICE_TIME in message.get_body(("plain",)).get_content()
        assert PRACTICE_TIME in message.get_body(("html",)).get_content()

    (declined,) = smtp.inbox.received(CLIENT, "Appointment request declined")
    assert "Could you do Thursday?" in declined.get_body(("plain",)).get_content()
    (accepted,) = smtp.inbox.received(CLIENT, "Appointment confirmed")
    method, invitation = calendar_attachment(accepted)
    assert (method, invitation["METHOD"]) == ("REQUEST", "REQUEST")
    assert invitation.events[0].start == START
    (cancelled,) = smtp.inbox.received(CLIENT, "Appointment cancelled")
    method, removal = calendar_attachment(cancelled)
    assert (method, removal["METHOD"], removal.events[0]["STATUS"]) == ("CANCEL", "CANCEL", "CANCELLED")
    assert removal.events[0].start == START


def header_names(raw: bytes) -> list[str]:
    """The names of a message's headers as sent, one per header line (folded lines joined)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    return [line.split(":", 1)[0] for line in head.split("\r\n") if not line.startswith((" ", "\t"))]


def test_names_typed_with_line_breaks_stay_on_one_header_line(db_session, session_factory, smtp):
    setup = make_practice_setup(db_session, name="Oak Street\r\nBcc: x@evil.example\nX-Evil: 1")
    setup.client.full_name = "Eve\r\nBcc: x@evil.example"
    db_session.add(setup.client)
    appointment = setup.appointment(db_session, starts_at=START)
    enqueue_request_received(session=db_session, appointment=appointment, now=NOW)
    db_session.commit()
    smtp.start()

    report = deliver(session_factory, smtp, NOW)

    assert report.sent == 2  # to the client and to the clinician, neither refused
    assert sorted(recipients for recipients, _ in smtp.inbox.messages) == [[CLIENT], [CLINICIAN]]
    for raw in smtp.inbox.raw:
        names = header_names(raw)
        assert [names.count(name) for name in ("Subject", "From", "To")] == [1, 1, 1]
        assert not {"Bcc", "X-Evil"} & set(names)
    (to_client,) = smtp.inbox.received(CLIENT, "Appointment request received")
    assert to_client["Subject"] == "Appointment request received — Oak Street Bcc: x@evil.example X-Evil: 1"
    assert to_client["From"].addresses[0].display_name == "Oak Street Bcc: x@evil.example X-Evil: 1"
    (to_clinician,) = smtp.inbox.received(CLINICIAN, "New appointment request")
    assert "Eve" in to_clinician.get_body(("plain",)).get_content()


def queue_requests(session, count: int, *, client_email: str = CLIENT) -> int:
    """Queue ``count`` new requests (two emails each); returns the practice's id."""
    setup = make_practice_setup(session, client_email=client_email)
    for index in range(count):
        appointment = setup.appointment(session, starts_at=START + timedelta(hours=index))
        enqueue_request_received(session=session, appointment=appointment, now=NOW)
    session.commit()
    return setup.practice.id


def test_server_down_then_up_delivers_each_message_once(db_session, session_factory, smtp):
    practice_id = queue_requests(db_session, 2)  # four messages

    down = deliver(session_factory, smtp, NOW)
    too_early = deliver(session_factory, smtp, NOW + timedelta(seconds=59))
    smtp.start()
    back_up = deliver(session_factory, smtp, NOW + timedelta(minutes=1))
    much_later = deliver(session_factory, smtp, NOW + timedelta(days=1))

    assert (down.retrying, too_early.sent + too_early.retrying) == (4, 0)
    assert (back_up.sent, much_later.sent) == (4, 0)
    message_ids = [message["Message-ID"] for _, message in smtp.inbox.messages]
    assert len(message_ids) == len(set(message_ids)) == 4
    rows = list_outbox(session=db_session, practice_id=practice_id)
    assert all(row.status == OutboxStatus.SENT and row.attempts == 2 for row in rows)
    assert all(row.sent_at == NOW + timedelta(minutes=1) for row in rows)


def test_gives_up_after_the_last_retry_and_shows_the_error_until_retried(db_session, session_factory, smtp):
    practice_id = queue_requests(db_session, 1)
    one_retry = (timedelta(minutes=1),)

    deliver(session_factory, smtp, NOW, retry_delays=one_retry)
    report = deliver(session_factory, smtp, NOW + timedelta(minutes=1), retry_delays=one_retry)

    assert report.failed == 2
    rows = list_outbox(session=db_session, practice_id=practice_id)
    assert all(row.status == OutboxStatus.FAILED and row.attempts == 2 for row in rows)
    assert all("Connection refused" in row.last_error for row in rows)

    later = NOW + timedelta(hours=1)
    for row in rows:
        assert retry_message(session=db_session, practice_id=practice_id, message_id=row.id, now=later)
    db_session.commit()
    smtp.start()
    assert deliver(session_factory, smtp, later).sent == 2
    assert len(smtp.inbox.messages) == 2


def test_a_refused_recipient_fails_at_once_and_the_others_still_go(db_session, session_factory, smtp):
    practice_id = queue_requests(db_session, 1, client_email="nobody@example.com")
    smtp.inbox.refused.add("nobody@example.com")
    smtp.start()

    report = deliver(session_factory, smtp, NOW)

    assert (report.sent, report.failed) == (1, 1)
    failed = next(
        row
        for row in list_outbox(session=db_session, practice_id=practice_id)
        if row.status == OutboxStatus.FAILED
    )
    assert failed.to_address == "nobody@example.com"
    assert failed.attempts == 1
    assert "550" in failed.last_error


def test_without_a_mail_server_messages_wait_and_go_out_once_one_is_configured(
    db_session, session_factory, smtp
):
    practice_id = queue_requests(db_session, 1)

    for minutes in (0, 30, 24 * 60):  # however long the practice runs without a mail server
        report = deliver_due(
            session_factory=session_factory, now=NOW + timedelta(minutes=minutes), smtp_settings=None
        )
        assert report.waiting == 2
    rows = list_outbox(session=db_session, practice_id=practice_id)
    assert [row.status for row in rows] == [OutboxStatus.PENDING, OutboxStatus.PENDING]
    assert {row.subject for row in rows} == {
        "Appointment request received — Oak Street Counseling",
        "New appointment request — Oak Street Counseling",
    }
    assert all(row.attempts == 0 and row.last_error == WAITING_FOR_MAIL_SERVER for row in rows)

    smtp.start()
    report = deliver(session_factory, smtp, NOW + timedelta(days=2))

    assert report.sent == 2
    assert len(smtp.inbox.received(CLIENT, "Appointment request received")) == 1
    assert statuses(db_session) == [OutboxStatus.SENT, OutboxStatus.SENT]
    assert all(row.last_error == "" for row in list_outbox(session=db_session, practice_id=practice_id))


def run_two_senders(engine, smtp) -> int:
    start_together = threading.Barrier(2)
    sent = []

    def sender():
        start_together.wait()
        while report := deliver(lambda: Session(engine), smtp, NOW, batch_size=3):
            if not (report.sent or report.retrying or report.failed):
                return
            sent.append(report.sent)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sum(sent)


@pytest.mark.parametrize(
    "engine_fixture", ["sqlite_file_engine", pytest.param("postgres_engine", marks=pytest.mark.postgres)]
)
def test_two_senders_at_once_send_each_message_once(engine_fixture, request, smtp):
    engine = request.getfixturevalue(engine_fixture)
    with Session(engine) as session:
        queue_requests(session, 15)  # thirty messages
    smtp.start()

    total_sent = run_two_senders(engine, smtp)

    assert total_sent == 30
    message_ids = [message["Message-ID"] for _, message in smtp.inbox.messages]
    assert len(message_ids) == len(set(message_ids)) == 30
    with Session(engine) as session:
        assert set(statuses(session)) == {OutboxStatus.SENT}


def test_background_sender_queues_reminders_and_delivers_them_once(sqlite_file_engine, smtp):
    with Session(sqlite_file_engine) as session:
        setup = make_practice_setup(session)
        setup.appointment(session, starts_at=START, status=AppointmentStatus.CONFIRMED)
    smtp.start()

    sender = start_background_sender(
        session_factory=lambda: Session(sqlite_file_engine),
        smtp_settings=smtp.settings,
        interval=timedelta(milliseconds=20),
        clock=lambda: NOW,
    )
    deadline = time.monotonic() + 10
    while not smtp.inbox.messages and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)  # a few more rounds, which must not send it again
    sender.stop(timeout_seconds=10)

    assert not sender.is_alive()
    assert [message["Subject"] for _, message in smtp.inbox.messages] == [
        "Appointment reminder — Oak Street Counseling"
    ]


def test_with_three_workers_one_sender_works_and_each_email_goes_out_once(
    sqlite_file_engine, smtp, monkeypatch
):
    with Session(sqlite_file_engine) as session:
        setup = make_practice_setup(session)
        setup.appointment(session, starts_at=START, status=AppointmentStatus.CONFIRMED)
    smtp.start()
    # Each worker's clock is a microsecond apart, so a round tells which worker worked it.
    worked: list[datetime] = []
    real_round = email_sender._run_round

    def recorded_round(*args, now, **kwargs):
        worked.append(now)
        return real_round(*args, now=now, **kwargs)

    monkeypatch.setattr(email_sender, "_run_round", recorded_round)
    senders = [
        start_background_sender(
            session_factory=lambda: Session(sqlite_file_engine),
            smtp_settings=smtp.settings,
            interval=timedelta(milliseconds=20),
            clock=lambda index=index: NOW + timedelta(microseconds=index),
            holder=f"worker-{index}",
        )
        for index in range(3)
    ]
    deadline = time.monotonic() + 10
    while not smtp.inbox.messages and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # more rounds, which must not send it again
    for sender in senders:
        sender.stop(timeout_seconds=10)

    assert [message["Subject"] for _, message in smtp.inbox.messages] == [
        "Appointment reminder — Oak Street Counseling"
    ]
    with Session(sqlite_file_engine) as session:
        holder = session.get(WorkerLease, SENDER_LEASE).holder
    assert len(worked) >= 3
    assert {now - NOW for now in worked} == {timedelta(microseconds=int(holder.removeprefix("worker-")))}
