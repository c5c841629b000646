"""The outbox is written in the transaction of the change it reports, and only then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from portal_app.domain.vocabulary import AppointmentStatus, OutboxStatus
from portal_app.models import EmailOutbox
from portal_app.services.notifications import (
    appointment_calendar_file,
    enqueue_request_received,
    list_outbox,
    retry_message,
)
from portal_app.services.status_moves import move_status
from tests.factories import make_practice_setup

NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def setup(db_session):
    return make_practice_setup(db_session, client_time_zone="America/Chicago")


def outbox(session) -> list[EmailOutbox]:
    return list(session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all())


def moved(session, setup, *, from_status, to_status, actor_user_id=None, note=""):
    appointment = setup.appointment(session, starts_at=START, status=from_status)
    move_status(
        session=session,
        appointment=appointment,
        to_status=to_status,
        actor_user_id=actor_user_id,
        now=NOW,
        note=note,
    )
    session.commit()
    return appointment


def test_new_request_queues_a_receipt_for_the_client_and_a_notice_for_the_clinician(db_session, setup):
    appointment = setup.appointment(db_session, starts_at=START)

    enqueue_request_received(session=db_session, appointment=appointment, now=NOW)
    db_session.commit()

    rows = outbox(db_session)
    assert [(row.kind, row.to_address) for row in rows] == [
        ("request_received", "alex@example.com"),
        ("new_request", "maya-chen@clinic.test"),
    ]
    assert all(row.status == OutboxStatus.PENDING and row.next_attempt_at == NOW for row in rows)
    # The client reads their own zone; the clinician reads the practice's.
    assert "9:00 AM – 9:50 AM CST (America/Chicago)" in rows[0].body_text
    assert "10:00 AM – 10:50 AM EST (America/New_York)" in rows[1].body_text


def test_accepting_queues_a_confirmation_with_a_calendar_invitation(db_session, setup):
    moved(
        db_session,
        setup,
        from_status=AppointmentStatus.REQUESTED,
        to_status=AppointmentStatus.CONFIRMED,
        actor_user_id=setup.clinician.user_id,
    )

    (row,) = outbox(db_session)
    assert (row.kind, row.to_address) == ("accepted", "alex@example.com")
    calendar = Calendar.from_ical(row.ics)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.events[0].start == START


def test_declining_passes_the_clinicians_message_to_the_client(db_session, setup):
    moved(
        db_session,
        setup,
        from_status=AppointmentStatus.REQUESTED,
        to_status=AppointmentStatus.DECLINED,
        actor_user_id=setup.clinician.user_id,
        note="I'm fully booked that week.",
    )

    (row,) = outbox(db_session)
    assert (row.kind, row.to_address) == ("declined", "alex@example.com")
    assert "I'm fully booked that week." in row.body_text
    assert row.ics is None


def test_client_cancelling_tells_the_client_with_a_removal_and_the_clinician(db_session, setup):
    moved(
        db_session,
        setup,
        from_status=AppointmentStatus.CONFIRMED,
        to_status=AppointmentStatus.CANCELLED,
        actor_user_id=setup.client.user_id,
    )

    rows = outbox(db_session)
    assert [(row.kind, row.to_address) for row in rows] == [
        ("cancelled", "alex@example.com"),
        ("cancellation_notice", "maya-chen@clinic.test"),
    ]
    assert Calendar.from_ical(rows[0].ics)["METHOD"] == "CANCEL"


def test_clinician_cancelling_is_not_told_about_their_own_cancellation(db_session, setup):
    moved(
        db_session,
        setup,
        from_status=AppointmentStatus.CONFIRMED,
        to_status=AppointmentStatus.CANCELLED,
        actor_user_id=setup.clinician.user_id,
    )

    assert [row.kind for row in outbox(db_session)] == ["cancelled"]


def test_withdrawing_tells_the_clinician(db_session, setup):
    moved(
        db_session,
        setup,
        from_status=AppointmentStatus.REQUESTED,
        to_status=AppointmentStatus.WITHDRAWN,
        actor_user_id=setup.client.user_id,
    )

    assert [(row.kind, row.to_address) for row in outbox(db_session)] == [
        ("withdrawn", "maya-chen@clinic.test")
    ]


def test_completing_sends_nothing(db_session, setup):
    moved(db_session, setup, from_status=AppointmentStatus.CONFIRMED, to_status=AppointmentStatus.COMPLETED)

    assert outbox(db_session) == []


def test_a_status_change_that_rolls_back_leaves_no_message(db_session, setup):
    appointment = setup.appointment(db_session, starts_at=START)

    move_status(
        session=db_session,
        appointment=appointment,
        to_status=AppointmentStatus.CONFIRMED,
        actor_user_id=setup.clinician.user_id,
        now=NOW,
    )
    assert len(outbox(db_session)) == 1  # written inside the transaction...
    db_session.rollback()

    assert outbox(db_session) == []  # ...and gone with it
    db_session.refresh(appointment)
    assert appointment.status == AppointmentStatus.REQUESTED


def test_calendar_sequence_grows_with_each_change(db_session, setup):
    appointment = moved(
        db_session,
        setup,
        from_status=AppointmentStatus.REQUESTED,
        to_status=AppointmentStatus.CONFIRMED,
    )
    move_status(
        session=db_session,
        appointment=appointment,
        to_status=AppointmentStatus.CANCELLED,
        actor_user_id=setup.client.user_id,
        now=NOW + timedelta(hours=1),
    )
    db_session.commit()

    invitation, removal = (Calendar.from_ical(row.ics).events[0] for row in outbox(db_session) if row.ics)
    download = Calendar.from_ical(
        appointment_calendar_file(session=db_session, appointment=appointment, now=NOW)
    )
    assert invitation["UID"] == removal["UID"] == download.events[0]["UID"]
    assert invitation["SEQUENCE"] < removal["SEQUENCE"]
    assert download["METHOD"] == "PUBLISH"
    assert download.events[0]["STATUS"] == "CANCELLED"


def test_outbox_lists_the_practices_messages_newest_first(db_session, setup):
    other = make_practice_setup(db_session, slug="other", client_email="sam@example.com", name="Elm Therapy")
    first = setup.appointment(db_session, starts_at=START)
    second = setup.appointment(db_session, starts_at=START + timedelta(days=1))
    elsewhere = other.appointment(db_session, starts_at=START)
    enqueue_request_received(session=db_session, appointment=first, now=NOW)
    enqueue_request_received(session=db_session, appointment=second, now=NOW + timedelta(minutes=5))
    enqueue_request_received(session=db_session, appointment=elsewhere, now=NOW + timedelta(minutes=9))
    db_session.commit()

    listed = list_outbox(session=db_session, practice_id=setup.practice.id)

    assert [(row.appointment_id, row.kind) for row in listed] == [
        (second.id, "new_request"),
        (second.id, "request_received"),
        (first.id, "new_request"),
        (first.id, "request_received"),
    ]


def test_only_failed_or_not_sent_messages_of_the_practice_can_be_retried(db_session, setup):
    other = make_practice_setup(db_session, slug="other", client_email="sam@example.com", name="Elm Therapy")
    enqueue_request_received(
        session=db_session, appointment=setup.appointment(db_session, starts_at=START), now=NOW
    )
    failed, pending = outbox(db_session)
    failed.status, failed.attempts, failed.last_error = OutboxStatus.FAILED, 5, "SMTPDataError: 554"
    db_session.commit()
    later = NOW + timedelta(hours=2)

    assert not retry_message(
        session=db_session, practice_id=other.practice.id, message_id=failed.id, now=later
    )
    assert not retry_message(
        session=db_session, practice_id=setup.practice.id, message_id=pending.id, now=later
    )
    assert retry_message(session=db_session, practice_id=setup.practice.id, message_id=failed.id, now=later)
    db_session.commit()

    db_session.refresh(failed)
    assert (failed.status, failed.attempts, failed.last_error) == (OutboxStatus.PENDING, 0, "")
    assert failed.next_attempt_at == later
