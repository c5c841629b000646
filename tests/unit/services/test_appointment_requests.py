"""Client requests: created only when bookable, exactly once, and never over someone else's time."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from sqlmodel import Session, func, select

from portal_app import database
from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.models import Appointment, AuditEvent, Clinician, EmailOutbox, Practice
from portal_app.services.appointment_requests import (
    cancel_appointment,
    request_appointment,
    withdraw_request,
)
from portal_app.services.outcome import AppointmentResult, Outcome
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))  # 25 hours ahead: past the 24-hour notice


def _count(session, table=Appointment) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def _request(session, setup, starts_at, *, client=0, key="key-0001", minutes=50, **overrides):
    arguments = setup.request_args(starts_at, minutes) | overrides
    return request_appointment(
        session=session, viewer=setup.client_viewer(client), request_key=key, now=NOW, **arguments
    )


def test_a_bookable_time_becomes_one_pending_request_with_audit_and_email(db_session):
    setup = make_bookable(db_session)

    result = _request(db_session, setup, TUESDAY_10)

    assert result.outcome == Outcome.SENT, result
    appointment = db_session.get(Appointment, result.appointment_id)
    assert appointment.status == AppointmentStatus.REQUESTED
    assert appointment.client_id == setup.client_ids[0]
    assert [event.to_status for event in db_session.exec(select(AuditEvent))] == ["requested"]
    assert _count(db_session, EmailOutbox) == 2  # to the client and to the clinician


def test_the_same_request_key_twice_makes_one_request(db_session):
    setup = make_bookable(db_session)

    first = _request(db_session, setup, TUESDAY_10)
    second = _request(db_session, setup, TUESDAY_10)

    assert first.outcome == second.outcome == Outcome.SENT
    assert first.appointment_id == second.appointment_id
    assert _count(db_session) == 1


def test_another_clients_request_key_is_not_theirs(db_session):
    setup = make_bookable(db_session, clients=2)
    _request(db_session, setup, TUESDAY_10)

    replay = _request(db_session, setup, at(2, time(10)), client=1)

    assert not replay.ok
    assert replay == AppointmentResult(Outcome.BAD_REQUEST)
    assert _count(db_session) == 1


def test_an_overlapping_request_is_told_the_time_was_taken(db_session):
    setup = make_bookable(db_session, clients=2)
    _request(db_session, setup, TUESDAY_10)

    clash = _request(db_session, setup, TUESDAY_10 + timedelta(minutes=30), client=1, key="key-0002")

    assert not clash.ok
    assert clash == AppointmentResult(Outcome.TAKEN)
    assert _count(db_session) == 1


def _not_bookable(problem: BookingProblem, *limits: int) -> AppointmentResult:
    return AppointmentResult(Outcome.NOT_BOOKABLE, check=BookingCheck(problem, limits))


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("outside_availability", _not_bookable(BookingProblem.OUTSIDE_AVAILABILITY)),
        ("wrong_length", _not_bookable(BookingProblem.WRONG_LENGTH, 50, 80)),
        ("past", _not_bookable(BookingProblem.IN_PAST)),
        ("too_soon", _not_bookable(BookingProblem.TOO_SOON, 24)),
        ("too_far_ahead", _not_bookable(BookingProblem.TOO_FAR_AHEAD, 60)),
        ("not_aligned", _not_bookable(BookingProblem.NOT_ALIGNED, 15)),
        ("telehealth_not_offered", _not_bookable(BookingProblem.SERVICE_NOT_OFFERED)),
        ("naive_datetime", AppointmentResult(Outcome.BAD_REQUEST)),
        ("string_id", AppointmentResult(Outcome.BAD_REQUEST)),
        ("none_id", AppointmentResult(Outcome.BAD_REQUEST)),
        ("list_time", AppointmentResult(Outcome.BAD_REQUEST)),
        ("bool_id", AppointmentResult(Outcome.BAD_REQUEST)),
        ("forged_clinician", AppointmentResult(Outcome.PROVIDER_CLOSED)),
        ("self_scheduling_off", AppointmentResult(Outcome.PROVIDER_CLOSED)),
        ("other_practice_location", AppointmentResult(Outcome.BAD_REQUEST)),
        ("staff_viewer", AppointmentResult(Outcome.CLIENTS_ONLY)),
    ],
)
def test_refusals_say_why_and_write_nothing(db_session, case, expected):
    setup = make_bookable(db_session)
    other = make_bookable(db_session, name="other")
    starts_at, minutes, overrides, viewer = TUESDAY_10, 50, {}, setup.client_viewer()
    if case == "outside_availability":
        starts_at = at(1, time(18))
    elif case == "wrong_length":
        minutes = 45
    elif case == "past":
        starts_at = at(-1, time(10))
    elif case == "too_soon":
        starts_at = at(0, time(15))
    elif case == "too_far_ahead":
        starts_at = at(70, time(10))
    elif case == "not_aligned":
        starts_at = TUESDAY_10 + timedelta(minutes=7)
    elif case == "telehealth_not_offered":
        overrides = {"forum": Forum.TELEHEALTH}
    elif case == "naive_datetime":
        starts_at = TUESDAY_10.replace(tzinfo=None)
    elif case == "string_id":
        overrides = {"clinician_id": str(setup.clinician_id)}
    elif case == "none_id":
        overrides = {"service_id": None}
    elif case == "list_time":
        overrides = {"starts_at": [TUESDAY_10]}
    elif case == "bool_id":
        overrides = {"location_id": True}
    elif case == "forged_clinician":
        overrides = {"clinician_id": other.clinician_id}
    elif case == "self_scheduling_off":
        clinician = db_session.get(Clinician, setup.clinician_id)
        clinician.self_scheduling = False
        db_session.add(clinician)
        db_session.commit()
    elif case == "other_practice_location":
        overrides = {"location_id": other.location_id}
    elif case == "staff_viewer":
        viewer = setup.clinician_viewer()
    arguments = setup.request_args(starts_at, minutes) | overrides

    result = request_appointment(
        session=db_session, viewer=viewer, request_key="key-0001", now=NOW, **arguments
    )

    assert not result.ok
    assert result == expected
    assert _count(db_session) == 0
    assert _count(db_session, EmailOutbox) == 0


@pytest.mark.parametrize("status", [AppointmentStatus.DECLINED, AppointmentStatus.WITHDRAWN])
def test_a_declined_or_withdrawn_request_frees_its_time(db_session, status):
    setup = make_bookable(db_session, clients=2)
    first = _request(db_session, setup, TUESDAY_10)
    appointment = db_session.get(Appointment, first.appointment_id)
    appointment.status = status
    db_session.add(appointment)
    db_session.commit()

    again = _request(db_session, setup, TUESDAY_10, client=1, key="key-0002")

    assert again.outcome == Outcome.SENT, again


def _race(engine, setup, *, threads: int = 50) -> list:
    """``threads`` clients request overlapping times for one clinician at the same moment."""
    database.use_engine(engine)
    start_together = threading.Barrier(threads)
    results = [None] * threads

    def client(index: int) -> None:
        starts_at = TUESDAY_10 + timedelta(minutes=15 * (index % 3))
        start_together.wait()
        with database.open_session(for_writing=True) as session:
            results[index] = request_appointment(
                session=session,
                viewer=setup.client_viewer(index),
                request_key=f"race-{index:04d}",
                now=NOW,
                **setup.request_args(starts_at),
            )

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    finally:
        database.use_engine(None)
    return results


def _assert_exactly_one_won(engine, results) -> None:
    winners = [result for result in results if result.ok]
    assert len(winners) == 1
    assert {result for result in results if not result.ok} == {AppointmentResult(Outcome.TAKEN)}
    with Session(engine) as session:
        held = session.exec(
            select(Appointment).where(Appointment.status == AppointmentStatus.REQUESTED)
        ).all()
    assert [appointment.id for appointment in held] == [winners[0].appointment_id]


def test_fifty_threads_racing_on_sqlite_leave_exactly_one_request(sqlite_file_engine):
    with Session(sqlite_file_engine) as session:
        setup = make_bookable(session, clients=50)

    _assert_exactly_one_won(sqlite_file_engine, _race(sqlite_file_engine, setup))


@pytest.mark.postgres
def test_fifty_connections_racing_on_postgresql_leave_exactly_one_request(postgres_engine):
    with Session(postgres_engine) as session:
        setup = make_bookable(session, clients=50)

    _assert_exactly_one_won(postgres_engine, _race(postgres_engine, setup))


def _confirmed(session, setup, starts_at):
    result = _request(session, setup, starts_at)
    appointment = session.get(Appointment, result.appointment_id)
    appointment.status = AppointmentStatus.CONFIRMED
    session.add(appointment)
    session.commit()
    return appointment


def test_a_client_withdraws_their_own_pending_request(db_session):
    setup = make_bookable(db_session, clients=2)
    result = _request(db_session, setup, TUESDAY_10)

    other = withdraw_request(
        session=db_session, viewer=setup.client_viewer(1), appointment_id=result.appointment_id, now=NOW
    )
    own = withdraw_request(
        session=db_session, viewer=setup.client_viewer(0), appointment_id=result.appointment_id, now=NOW
    )

    assert other == AppointmentResult(Outcome.NOT_FOUND)
    assert own == AppointmentResult(Outcome.WITHDRAWN, appointment_id=result.appointment_id)
    assert db_session.get(Appointment, result.appointment_id).status == AppointmentStatus.WITHDRAWN


@pytest.mark.parametrize(("hours_before", "allowed"), [(24, True), (23.99, False), (48, True), (1, False)])
def test_cancelling_online_stops_at_the_window(db_session, hours_before, allowed):
    setup = make_bookable(db_session)
    appointment = _confirmed(db_session, setup, TUESDAY_10)

    result = cancel_appointment(
        session=db_session,
        viewer=setup.client_viewer(),
        appointment_id=appointment.id,
        now=TUESDAY_10 - timedelta(hours=hours_before),
    )

    assert result.ok is allowed
    assert result.outcome == (Outcome.CANCELLED if allowed else Outcome.CALL_TO_CANCEL)
    expected = AppointmentStatus.CANCELLED if allowed else AppointmentStatus.CONFIRMED
    assert db_session.get(Appointment, appointment.id).status == expected


def test_with_online_cancellation_off_the_client_is_told_to_call(db_session):
    setup = make_bookable(db_session)
    appointment = _confirmed(db_session, setup, TUESDAY_10)
    practice = db_session.get(Practice, setup.practice_id)
    practice.online_cancellation = False
    db_session.add(practice)
    db_session.commit()

    result = cancel_appointment(
        session=db_session, viewer=setup.client_viewer(), appointment_id=appointment.id, now=NOW
    )

    assert not result.ok
    assert result == AppointmentResult(Outcome.CALL_TO_CANCEL)
    assert db_session.get(Appointment, appointment.id).status == AppointmentStatus.CONFIRMED
