"""Request a new time for a confirmed appointment: it stays until the new time is accepted."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import Session, select

from portal_app.domain.appointment_status import HOLDS_TIME
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, AuditEvent, EmailOutbox
from portal_app.services.appointment_requests import cancel_appointment, request_appointment
from portal_app.services.outcome import Outcome
from portal_app.services.request_decisions import accept_request, decline_request
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
TUESDAY_10_30 = at(1, time(10, 30))
WEDNESDAY_9 = at(2, time(9))


def _move(session, setup, old_id: int, starts_at, *, key="move-key-0001", client=0):
    return request_appointment(
        session=session,
        viewer=setup.client_viewer(client),
        request_key=key,
        now=NOW,
        replaces_id=old_id,
        **setup.request_args(starts_at),
    )


def _status(session, appointment_id: int) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def _confirmed(session, setup, starts_at=TUESDAY_10, client=0) -> int:
    return insert_appointment(session, setup, starts_at, status=AppointmentStatus.CONFIRMED, client=client)


def test_the_new_time_may_overlap_the_old_and_the_old_stays_booked(db_session):
    setup = make_bookable(db_session)
    old = _confirmed(db_session, setup)

    result = _move(db_session, setup, old, TUESDAY_10_30)

    assert result.outcome == Outcome.NEW_TIME_REQUESTED
    new = db_session.get(Appointment, result.appointment_id)
    assert (new.status, new.replaces_id) == (AppointmentStatus.REQUESTED, old)
    assert _status(db_session, old) == AppointmentStatus.CONFIRMED
    emails = {e.to_address: e for e in db_session.exec(select(EmailOutbox)).all()}
    to_clinician = next(e for e in emails.values() if e.kind == "new_request")
    assert to_clinician.subject.startswith("Request to move an appointment")
    assert "Accepting it releases the old time." in to_clinician.body_text


def test_one_new_time_at_a_time(db_session):
    setup = make_bookable(db_session)
    old = _confirmed(db_session, setup)
    assert _move(db_session, setup, old, TUESDAY_10_30).ok

    again = _move(db_session, setup, old, WEDNESDAY_9, key="move-key-0002")

    assert again.outcome == Outcome.NEW_TIME_PENDING


@pytest.mark.parametrize("status", [AppointmentStatus.REQUESTED, AppointmentStatus.CANCELLED])
def test_only_a_confirmed_appointment_can_be_moved(db_session, status):
    setup = make_bookable(db_session)
    old = insert_appointment(db_session, setup, TUESDAY_10, status=status)

    assert _move(db_session, setup, old, WEDNESDAY_9).outcome == Outcome.NOT_UPCOMING


def test_another_clients_appointment_cannot_be_moved(db_session):
    setup = make_bookable(db_session, clients=2)
    theirs = _confirmed(db_session, setup, client=1)

    assert _move(db_session, setup, theirs, WEDNESDAY_9).outcome == Outcome.NOT_FOUND
    assert db_session.exec(select(Appointment).where(Appointment.replaces_id == theirs)).all() == []


def test_accepting_swaps_the_times_in_one_transaction(db_session):
    setup = make_bookable(db_session)
    old = _confirmed(db_session, setup)
    new = _move(db_session, setup, old, TUESDAY_10_30).appointment_id

    result = accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=new,
        now=NOW,
    )

    assert result.outcome == Outcome.ACCEPTED
    assert (_status(db_session, new), _status(db_session, old)) == (
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.CANCELLED,
    )
    moves = db_session.exec(select(AuditEvent).where(AuditEvent.to_status != "requested")).all()
    # Both moves carry the same instant: they were written, and committed, together.
    assert {(m.appointment_id, m.to_status) for m in moves} == {(new, "confirmed"), (old, "cancelled")}
    assert len({m.at for m in moves}) == 1
    cancelled = db_session.exec(select(EmailOutbox).where(EmailOutbox.kind == "cancelled")).one()
    assert "Moved to" in cancelled.body_text


def test_a_refused_accept_changes_neither(db_session):
    setup = make_bookable(db_session, clients=2)
    old = _confirmed(db_session, setup)
    new = _move(db_session, setup, old, WEDNESDAY_9).appointment_id
    # Someone else's confirmed session now sits on the new time (written directly, as an import would).
    _confirmed(db_session, setup, starts_at=WEDNESDAY_9, client=1)

    result = accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=new,
        now=NOW,
    )

    assert result.outcome == Outcome.OVERLAPS_CONFIRMED
    assert (_status(db_session, new), _status(db_session, old)) == (
        AppointmentStatus.REQUESTED,
        AppointmentStatus.CONFIRMED,
    )


def test_declining_keeps_the_confirmed_appointment_and_says_so(db_session):
    setup = make_bookable(db_session)
    old = _confirmed(db_session, setup)
    new = _move(db_session, setup, old, WEDNESDAY_9).appointment_id

    decline_request(
        session=db_session, viewer=setup.clinician_viewer(), appointment_id=new, message="", now=NOW
    )

    assert _status(db_session, old) == AppointmentStatus.CONFIRMED
    declined = db_session.exec(select(EmailOutbox).where(EmailOutbox.kind == "declined")).one()
    assert "stays as it is" in declined.body_text


def test_cancelling_the_appointment_withdraws_the_request_to_move_it(db_session):
    setup = make_bookable(db_session)
    old = _confirmed(db_session, setup)
    new = _move(db_session, setup, old, WEDNESDAY_9).appointment_id

    result = cancel_appointment(session=db_session, viewer=setup.client_viewer(), appointment_id=old, now=NOW)

    assert result.outcome == Outcome.CANCELLED
    assert _status(db_session, new) == AppointmentStatus.WITHDRAWN


def _held(engine) -> list[Appointment]:
    with Session(engine) as session:
        return list(session.exec(select(Appointment).where(Appointment.status.in_(HOLDS_TIME))))


def test_another_client_gets_the_old_time_only_once_it_is_released(sqlite_file_engine, all_at_once):
    """Accept of a move races another client's request for the old time: whichever order the
    clinician's lock gives them, the old and the new are never both free, nor both lost."""
    with Session(sqlite_file_engine) as session:
        setup = make_bookable(session, clients=2)
        old = _confirmed(session, setup)
        new = _move(session, setup, old, WEDNESDAY_9).appointment_id

    def accept(session):
        return accept_request(
            link_base="https://portal.test",
            session=session,
            viewer=setup.clinician_viewer(),
            appointment_id=new,
            now=NOW,
        )

    def take_old_time(session):
        return request_appointment(
            session=session,
            viewer=setup.client_viewer(1),
            request_key="other-client-0001",
            now=NOW,
            **setup.request_args(TUESDAY_10),
        )

    accepted, other = all_at_once(sqlite_file_engine, [accept, take_old_time])

    assert accepted.outcome == Outcome.ACCEPTED
    assert other.outcome in (Outcome.SENT, Outcome.TAKEN)
    held = {(a.id, a.status) for a in _held(sqlite_file_engine)}
    assert (new, AppointmentStatus.CONFIRMED) in held
    assert (old, AppointmentStatus.CONFIRMED) not in held
    on_old_time = [a for a in _held(sqlite_file_engine) if a.starts_at == TUESDAY_10]
    assert len(on_old_time) == (1 if other.outcome == Outcome.SENT else 0)
