"""Staff changes to confirmed appointments: cancel with a message, attended or no-show."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlmodel import select

from portal_app.domain.vocabulary import AppointmentStatus, Role
from portal_app.models import Appointment, AuditEvent, EmailOutbox
from portal_app.services.auth import Viewer
from portal_app.services.outcome import Outcome
from portal_app.services.session_records import cancel_by_staff, record_attendance
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))


def _status(session, appointment_id: int) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def _confirmed(session, setup, starts_at=TUESDAY_10) -> int:
    return insert_appointment(session, setup, starts_at, status=AppointmentStatus.CONFIRMED)


def test_a_clinician_cancels_with_a_message_the_client_reads(db_session):
    setup = make_bookable(db_session)
    appointment_id = _confirmed(db_session, setup)

    result = cancel_by_staff(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=appointment_id,
        message="I'm unwell that day — please pick another time.",
        now=NOW,
    )

    assert result.outcome == Outcome.CANCELLED
    assert setup.client_user_ids[0] in result.concerns
    assert _status(db_session, appointment_id) == AppointmentStatus.CANCELLED
    assert db_session.get(Appointment, appointment_id).clinician_message.startswith("I'm unwell")
    emails = db_session.exec(select(EmailOutbox).where(EmailOutbox.appointment_id == appointment_id)).all()
    # The client is told, with the message and a calendar CANCEL; the clinician did it, so no notice.
    assert [email.kind for email in emails] == ["cancelled"]
    assert "Message from" in emails[0].body_text
    assert "I'm unwell that day" in emails[0].body_text
    assert "METHOD:CANCEL" in emails[0].ics
    audit = db_session.exec(select(AuditEvent).where(AuditEvent.appointment_id == appointment_id)).one()
    assert (audit.from_status, audit.to_status, audit.actor_user_id) == (
        "confirmed",
        "cancelled",
        setup.clinician_user_id,
    )


def test_staff_cannot_cancel_a_session_that_has_started_or_one_not_confirmed(db_session):
    setup = make_bookable(db_session)
    started = _confirmed(db_session, setup, starts_at=NOW - timedelta(minutes=5))
    pending = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(hours=2))

    for appointment_id, outcome in ((started, Outcome.NOT_UPCOMING), (pending, Outcome.ALREADY_ANSWERED)):
        result = cancel_by_staff(
            session=db_session,
            viewer=setup.clinician_viewer(),
            appointment_id=appointment_id,
            message="",
            now=NOW,
        )
        assert result.outcome == outcome
    assert _status(db_session, started) == AppointmentStatus.CONFIRMED
    assert _status(db_session, pending) == AppointmentStatus.REQUESTED


def test_another_practices_clinician_and_a_client_are_told_not_found(db_session):
    setup = make_bookable(db_session)
    other = make_bookable(db_session, name="b")
    appointment_id = _confirmed(db_session, setup)

    for viewer in (other.clinician_viewer(), setup.client_viewer()):
        result = cancel_by_staff(
            session=db_session, viewer=viewer, appointment_id=appointment_id, message="", now=NOW
        )
        assert result.outcome == Outcome.NOT_FOUND
        result = record_attendance(
            session=db_session,
            viewer=viewer,
            appointment_id=appointment_id,
            attended=True,
            now=NOW + timedelta(days=2),
        )
        assert result.outcome == Outcome.NOT_FOUND
    assert _status(db_session, appointment_id) == AppointmentStatus.CONFIRMED


def test_an_admin_of_the_practice_may_cancel_any_clinicians_session(db_session):
    setup = make_bookable(db_session)
    appointment_id = _confirmed(db_session, setup)
    admin = Viewer(
        user_id=setup.clinician_user_id, role=Role.ADMIN, display_name="Office", practice_id=setup.practice_id
    )

    result = cancel_by_staff(
        session=db_session, viewer=admin, appointment_id=appointment_id, message="", now=NOW
    )

    assert result.outcome == Outcome.CANCELLED


@pytest.mark.parametrize(
    ("attended", "status", "outcome"),
    [
        (True, AppointmentStatus.COMPLETED, Outcome.ATTENDED),
        (False, AppointmentStatus.NO_SHOW, Outcome.NO_SHOW),
    ],
)
def test_after_the_start_staff_record_attended_or_no_show_once(db_session, attended, status, outcome):
    setup = make_bookable(db_session)
    appointment_id = _confirmed(db_session, setup)
    later = TUESDAY_10 + timedelta(minutes=55)

    first = record_attendance(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=appointment_id,
        attended=attended,
        now=later,
    )
    again = record_attendance(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=appointment_id,
        attended=not attended,
        now=later,
    )

    assert first.outcome == outcome
    assert (again.outcome, again.status) == (Outcome.ALREADY_ANSWERED, status)
    assert _status(db_session, appointment_id) == status
    # Recording attendance emails nobody.
    assert (
        db_session.exec(select(EmailOutbox).where(EmailOutbox.appointment_id == appointment_id)).all() == []
    )


def test_attendance_cannot_be_recorded_before_the_session_starts(db_session):
    setup = make_bookable(db_session)
    appointment_id = _confirmed(db_session, setup)

    result = record_attendance(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=appointment_id,
        attended=False,
        now=NOW,
    )

    assert result.outcome == Outcome.NOT_STARTED
    assert _status(db_session, appointment_id) == AppointmentStatus.CONFIRMED
