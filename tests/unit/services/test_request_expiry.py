"""Unanswered requests and proposals expire after the practice's hours, or when their time comes."""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import select

from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, AuditEvent, EmailOutbox, Practice
from portal_app.services.request_decisions import accept_request
from portal_app.services.request_expiry import expire_overdue
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

NEXT_WEEK = at(7, time(10))


def _made(
    session, setup, *, hours_ago: float, starts_at=NEXT_WEEK, status=AppointmentStatus.REQUESTED
) -> int:
    appointment_id = insert_appointment(session, setup, starts_at, status=status)
    appointment = session.get(Appointment, appointment_id)
    appointment.created_at = NOW - timedelta(hours=hours_ago)
    session.add(appointment)
    session.commit()
    return appointment_id


def _status(session, appointment_id: int) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def test_a_request_expires_after_the_practices_hours_and_both_are_told(db_session):
    setup = make_bookable(db_session)
    practice = db_session.get(Practice, setup.practice_id)
    practice.request_expiry_hours = 48
    db_session.add(practice)
    db_session.commit()
    overdue = _made(db_session, setup, hours_ago=48)
    fresh = _made(db_session, setup, hours_ago=47, starts_at=NEXT_WEEK + timedelta(hours=2))

    expired = expire_overdue(session=db_session, now=NOW)

    assert expired == [overdue]
    assert _status(db_session, overdue) == AppointmentStatus.EXPIRED
    assert _status(db_session, fresh) == AppointmentStatus.REQUESTED
    kinds = sorted(
        e.kind for e in db_session.exec(select(EmailOutbox).where(EmailOutbox.appointment_id == overdue))
    )
    assert kinds == ["expired", "expired_notice"]
    audit = db_session.exec(select(AuditEvent).where(AuditEvent.appointment_id == overdue)).one()
    assert (audit.to_status, audit.actor_user_id) == ("expired", None)


def test_a_request_whose_time_has_come_expires_whatever_its_age(db_session):
    setup = make_bookable(db_session)
    started = _made(db_session, setup, hours_ago=1, starts_at=NOW - timedelta(minutes=1))

    assert expire_overdue(session=db_session, now=NOW) == [started]


def test_a_proposed_time_expires_too_and_the_email_says_so(db_session):
    setup = make_bookable(db_session)
    proposal = _made(db_session, setup, hours_ago=100, status=AppointmentStatus.PROPOSED)

    expire_overdue(session=db_session, now=NOW)

    assert _status(db_session, proposal) == AppointmentStatus.EXPIRED
    email = db_session.exec(select(EmailOutbox).where(EmailOutbox.kind == "expired")).one()
    assert "was not accepted in time" in email.body_text


def test_confirmed_appointments_never_expire_and_an_expired_request_cannot_be_accepted(db_session):
    setup = make_bookable(db_session)
    confirmed = _made(db_session, setup, hours_ago=500, status=AppointmentStatus.CONFIRMED)
    overdue = _made(db_session, setup, hours_ago=500, starts_at=NEXT_WEEK + timedelta(hours=3))
    expire_overdue(session=db_session, now=NOW)

    late = accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=overdue,
        now=NOW,
    )

    assert _status(db_session, confirmed) == AppointmentStatus.CONFIRMED
    assert (late.outcome.value, late.status) == ("already_answered", AppointmentStatus.EXPIRED)
