"""Reminders: exactly the due ones are queued, each once, however often the check runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from portal_app.domain.vocabulary import AppointmentStatus, Forum, OutboxStatus
from portal_app.models import EmailOutbox
from portal_app.services.reminders import queue_due_reminders
from portal_app.services.status_moves import move_status
from tests.factories import make_practice_setup

NOW = datetime(2026, 10, 31, 14, 0, tzinfo=UTC)
CONFIRMED = AppointmentStatus.CONFIRMED


def reminded_appointment_ids(session) -> list[int]:
    rows = session.exec(select(EmailOutbox).where(EmailOutbox.kind == "reminder")).all()
    return sorted(row.appointment_id for row in rows)


def test_exactly_the_due_reminders_are_queued_each_once(db_session):
    oak = make_practice_setup(db_session, reminder_hours_before=24)
    elm = make_practice_setup(
        db_session, slug="elm", client_email="sam@example.com", name="Elm Therapy", reminder_hours_before=48
    )
    quiet = make_practice_setup(
        db_session,
        slug="quiet",
        client_email="kim@example.com",
        name="Quiet Practice",
        reminder_hours_before=0,
    )

    def book(setup, hours_from_now, status=CONFIRMED):
        return setup.appointment(
            db_session, starts_at=NOW + timedelta(hours=hours_from_now), status=status
        ).id

    due = [
        book(oak, 0.25),  # starts soon
        book(oak, 24),  # exactly at the edge of the window
        book(elm, 30),  # inside the other practice's longer window
    ]
    book(oak, 24.25)  # not yet
    book(oak, 0)  # starting now: too late for a reminder
    book(oak, -2)  # already over
    book(oak, 3, status=AppointmentStatus.REQUESTED)  # not confirmed
    book(oak, 3, status=AppointmentStatus.CANCELLED)
    book(elm, 49)  # outside even the longer window
    book(quiet, 1)  # that practice sends no reminders

    first_round = queue_due_reminders(session=db_session, now=NOW)
    db_session.commit()
    second_round = queue_due_reminders(session=db_session, now=NOW + timedelta(minutes=1))
    db_session.commit()

    assert first_round == 3
    assert second_round == 0
    assert reminded_appointment_ids(db_session) == sorted(due)


def test_reminder_names_the_time_and_place_and_goes_to_the_client(db_session):
    setup = make_practice_setup(db_session, client_time_zone="Europe/London")
    setup.appointment(
        db_session,
        starts_at=datetime(2026, 11, 1, 13, 0, tzinfo=UTC),
        status=CONFIRMED,
        forum=Forum.TELEHEALTH,
    )

    queue_due_reminders(session=db_session, now=NOW)
    db_session.commit()

    (reminder,) = db_session.exec(select(EmailOutbox)).all()
    assert reminder.to_address == "alex@example.com"
    assert reminder.subject == "Appointment reminder — Oak Street Counseling"
    assert "Sun, Nov 1, 2026, 1:00 PM – 1:50 PM GMT (Europe/London)" in reminder.body_text
    assert "Where: Telehealth" in reminder.body_text
    assert reminder.dedupe_key == "reminder:1:2026-11-01T13:00:00+00:00"


def test_a_moved_appointment_gets_a_reminder_for_its_new_time(db_session):
    setup = make_practice_setup(db_session)
    appointment = setup.appointment(db_session, starts_at=NOW + timedelta(hours=5), status=CONFIRMED)
    queue_due_reminders(session=db_session, now=NOW)
    db_session.commit()

    appointment.starts_at += timedelta(hours=2)
    appointment.ends_at += timedelta(hours=2)
    db_session.commit()
    queued = queue_due_reminders(session=db_session, now=NOW)

    assert queued == 1
    assert reminded_appointment_ids(db_session) == [appointment.id, appointment.id]


def test_a_waiting_reminder_is_never_sent_for_a_cancelled_appointment(db_session):
    setup = make_practice_setup(db_session)
    appointment = setup.appointment(db_session, starts_at=NOW + timedelta(hours=5), status=CONFIRMED)
    queue_due_reminders(session=db_session, now=NOW)
    db_session.commit()

    move_status(
        session=db_session,
        appointment=appointment,
        to_status=AppointmentStatus.CANCELLED,
        actor_user_id=None,
        now=NOW,
    )
    db_session.commit()

    reminder = db_session.exec(select(EmailOutbox).where(EmailOutbox.kind == "reminder")).one()
    assert reminder.status == OutboxStatus.NOT_SENT
    assert "cancelled" in reminder.last_error
    assert queue_due_reminders(session=db_session, now=NOW) == 0
