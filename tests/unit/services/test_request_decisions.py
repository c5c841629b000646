"""Staff decisions: Accept is race-proof, Decline frees the time, conflicts are marked."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from sqlmodel import Session, select

from portal_app import database
from portal_app.domain.vocabulary import AppointmentStatus, Forum, Role
from portal_app.models import Appointment, AuditEvent, EmailOutbox
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.auth import Viewer
from portal_app.services.outcome import AppointmentResult, Outcome
from portal_app.services.request_decisions import accept_request, decline_request, pending_conflicts
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
NOT_FOUND = AppointmentResult(Outcome.NOT_FOUND)


def _pending(session, setup, starts_at, *, client=0) -> int:
    """A pending request written directly (as staff or an import would), overlaps allowed."""
    appointment = Appointment(
        practice_id=setup.practice_id,
        clinician_id=setup.clinician_id,
        client_id=setup.client_ids[client],
        service_id=setup.service_id,
        location_id=setup.location_id,
        forum=Forum.IN_PERSON,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=50),
        status=AppointmentStatus.REQUESTED,
    )
    session.add(appointment)
    session.commit()
    return appointment.id


def _status(session, appointment_id) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def test_accepting_confirms_with_one_audit_entry_and_one_email_even_if_clicked_twice(db_session):
    setup = make_bookable(db_session)
    request_id = _pending(db_session, setup, TUESDAY_10)

    first = accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=request_id,
        now=NOW,
    )
    second = accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=request_id,
        now=NOW,
    )

    assert first == AppointmentResult(Outcome.ACCEPTED, appointment_id=request_id)
    assert not second.ok
    assert second == AppointmentResult(
        Outcome.ALREADY_ANSWERED, appointment_id=request_id, status=AppointmentStatus.CONFIRMED
    )
    assert _status(db_session, request_id) == AppointmentStatus.CONFIRMED
    moves = db_session.exec(select(AuditEvent).where(AuditEvent.appointment_id == request_id)).all()
    assert [(m.from_status, m.to_status) for m in moves] == [("requested", "confirmed")]
    accepted_emails = db_session.exec(select(EmailOutbox).where(EmailOutbox.kind == "accepted")).all()
    assert len(accepted_emails) == 1


def test_declining_keeps_the_message_and_frees_the_time(db_session):
    setup = make_bookable(db_session, clients=2)
    request_id = _pending(db_session, setup, TUESDAY_10)

    result = decline_request(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=request_id,
        message="I'm away that day.",
        now=NOW,
    )

    assert result == AppointmentResult(Outcome.DECLINED, appointment_id=request_id)
    declined = db_session.get(Appointment, request_id)
    assert declined.status == AppointmentStatus.DECLINED
    assert declined.clinician_message == "I'm away that day."
    again = request_appointment(
        session=db_session,
        viewer=setup.client_viewer(1),
        request_key="after-decline",
        now=NOW,
        **setup.request_args(TUESDAY_10),
    )
    assert again.outcome == Outcome.SENT, again


def test_accepting_one_of_two_overlapping_requests_marks_the_other(db_session):
    setup = make_bookable(db_session, clients=2)
    first = _pending(db_session, setup, TUESDAY_10)
    second = _pending(db_session, setup, TUESDAY_10 + timedelta(minutes=30), client=1)

    assert accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=first,
        now=NOW,
    ).ok
    conflicts = pending_conflicts(
        session=db_session, practice_id=setup.practice_id, clinician_id=setup.clinician_id, now=NOW
    )
    refused = accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=second,
        now=NOW,
    )

    assert list(conflicts) == [second]
    assert conflicts[second] == "10:00 AM – 10:50 AM EST"  # the confirmed one's time; words in test_wording
    assert not refused.ok
    assert refused == AppointmentResult(Outcome.OVERLAPS_CONFIRMED, appointment_id=second)
    assert _status(db_session, second) == AppointmentStatus.REQUESTED


def test_staff_act_only_on_their_own_clinic(db_session):
    setup = make_bookable(db_session)
    other = make_bookable(db_session, name="other")
    request_id = _pending(db_session, setup, TUESDAY_10)
    intruders = [
        other.clinician_viewer(),
        setup.client_viewer(),
        Viewer(user_id=1, role=Role.ADMIN, display_name="Other admin", practice_id=other.practice_id),
    ]

    for viewer in intruders:
        assert (
            accept_request(
                link_base="https://portal.test",
                session=db_session,
                viewer=viewer,
                appointment_id=request_id,
                now=NOW,
            )
            == NOT_FOUND
        )
        declined = decline_request(
            session=db_session, viewer=viewer, appointment_id=request_id, message="", now=NOW
        )
        assert declined == NOT_FOUND

    assert _status(db_session, request_id) == AppointmentStatus.REQUESTED
    admin = Viewer(user_id=1, role=Role.ADMIN, display_name="Admin", practice_id=setup.practice_id)
    assert accept_request(
        link_base="https://portal.test", session=db_session, viewer=admin, appointment_id=request_id, now=NOW
    ).ok


@pytest.mark.parametrize("garbage", ["1", None, 1.0, True, [1]])
def test_garbage_ids_are_not_found(db_session, garbage):
    setup = make_bookable(db_session)
    _pending(db_session, setup, TUESDAY_10)

    result = accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=garbage,
        now=NOW,
    )

    assert result == NOT_FOUND


def _accept_all_at_once(engine, setup, request_ids) -> list:
    database.use_engine(engine)
    start_together = threading.Barrier(len(request_ids))
    results = [None] * len(request_ids)

    def staff(index: int) -> None:
        start_together.wait()
        with database.open_session(for_writing=True) as session:
            results[index] = accept_request(
                link_base="https://portal.test",
                session=session,
                viewer=setup.clinician_viewer(),
                appointment_id=request_ids[index],
                now=NOW,
            )

    workers = [threading.Thread(target=staff, args=(i,)) for i in range(len(request_ids))]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    finally:
        database.use_engine(None)
    return results


def _assert_one_confirmed_and_no_overlaps(engine, results) -> None:
    assert sum(result.ok for result in results) == 1
    with Session(engine) as session:
        confirmed = session.exec(
            select(Appointment)
            .where(Appointment.status == AppointmentStatus.CONFIRMED)
            .order_by(Appointment.starts_at)
        ).all()
    # All fifty overlap one another, so one confirmed is the only overlap-free outcome.
    assert len(confirmed) == 1


def _fifty_overlapping_requests(engine):
    with Session(engine) as session:
        setup = make_bookable(session, clients=50)
        ids = [
            _pending(session, setup, TUESDAY_10 + timedelta(minutes=15 * (i % 3)), client=i)
            for i in range(50)
        ]
    return setup, ids


def test_fifty_accepts_at_once_on_sqlite_confirm_exactly_one(sqlite_file_engine):
    setup, ids = _fifty_overlapping_requests(sqlite_file_engine)

    _assert_one_confirmed_and_no_overlaps(
        sqlite_file_engine, _accept_all_at_once(sqlite_file_engine, setup, ids)
    )


@pytest.mark.postgres
def test_fifty_accepts_at_once_on_postgresql_confirm_exactly_one(postgres_engine):
    setup, ids = _fifty_overlapping_requests(postgres_engine)

    _assert_one_confirmed_and_no_overlaps(postgres_engine, _accept_all_at_once(postgres_engine, setup, ids))


def test_two_staff_accepting_the_same_request_at_once_confirm_it_once(sqlite_file_engine):
    with Session(sqlite_file_engine) as session:
        setup = make_bookable(session)
        request_id = _pending(session, setup, TUESDAY_10)

    results = _accept_all_at_once(sqlite_file_engine, setup, [request_id, request_id])

    assert sorted(result.ok for result in results) == [False, True]
    with Session(sqlite_file_engine) as session:
        moves = session.exec(select(AuditEvent).where(AuditEvent.to_status == "confirmed")).all()
    assert len(moves) == 1
