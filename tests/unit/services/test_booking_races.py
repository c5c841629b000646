"""Client submissions that arrive at the same moment, on SQLite and on PostgreSQL.

The fifty-clients-one-slot race for new requests is in ``test_appointment_requests.py``; these
add a double-clicked Submit (one request key, many submissions) and changes racing for one slot.
"""

from __future__ import annotations

from datetime import time, timedelta
from itertools import pairwise

import pytest
from sqlmodel import Session, select

from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, AuditEvent
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.outcome import AppointmentResult, Outcome
from portal_app.services.request_changes import change_request
from portal_app.services.request_decisions import accept_request
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
CLIENTS = 50


def _held(engine) -> list[Appointment]:
    with Session(engine) as session:
        return session.exec(
            select(Appointment)
            .where(Appointment.status.in_([AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED]))
            .order_by(Appointment.starts_at)
        ).all()


def _assert_no_overlaps(appointments: list[Appointment]) -> None:
    for earlier, later in pairwise(appointments):
        assert earlier.ends_at <= later.starts_at, (earlier.id, later.id)


def _double_click(engine, all_at_once, submissions: int = 10) -> None:
    with Session(engine) as session:
        setup = make_bookable(session)

    def submit(session):
        return request_appointment(
            session=session,
            viewer=setup.client_viewer(),
            request_key="double-click-0001",
            now=NOW,
            **setup.request_args(TUESDAY_10),
        )

    results = all_at_once(engine, [submit] * submissions)

    assert [result.outcome for result in results] == [Outcome.SENT] * submissions
    assert len({result.appointment_id for result in results}) == 1
    assert [appointment.id for appointment in _held(engine)] == [results[0].appointment_id]


def test_a_double_clicked_submit_on_sqlite_makes_one_request_and_says_so_every_time(
    sqlite_file_engine, all_at_once
):
    _double_click(sqlite_file_engine, all_at_once)


@pytest.mark.postgres
def test_a_double_clicked_submit_on_postgresql_makes_one_request_and_says_so_every_time(
    postgres_engine, all_at_once
):
    _double_click(postgres_engine, all_at_once)


def _fifty_changes_for_one_slot(engine, all_at_once) -> None:
    with Session(engine) as session:
        setup = make_bookable(session, clients=CLIENTS)
        # Each client's own request, on days after the contested Tuesday, one per hour.
        request_ids = [
            insert_appointment(session, setup, at(2 + i // 8, time(9 + i % 8)), client=i)
            for i in range(CLIENTS)
        ]

    def change(index: int):
        target = TUESDAY_10 + timedelta(minutes=15 * (index % 3))

        def job(session):
            arguments = setup.request_args(target)
            del arguments["clinician_id"]
            return change_request(
                session=session,
                viewer=setup.client_viewer(index),
                appointment_id=request_ids[index],
                now=NOW,
                **arguments,
            )

        return job

    results = all_at_once(engine, [change(i) for i in range(CLIENTS)])

    winners = [result for result in results if result.ok]
    assert len(winners) == 1
    assert {result for result in results if not result.ok} == {AppointmentResult(Outcome.TAKEN)}
    held = _held(engine)
    assert len(held) == CLIENTS  # nobody lost their request by losing the race
    _assert_no_overlaps(held)
    on_tuesday = [a.id for a in held if a.starts_at.date() == TUESDAY_10.date()]
    assert on_tuesday == [winners[0].appointment_id]


def test_fifty_changes_racing_for_one_slot_on_sqlite_move_exactly_one(sqlite_file_engine, all_at_once):
    _fifty_changes_for_one_slot(sqlite_file_engine, all_at_once)


@pytest.mark.postgres
def test_fifty_changes_racing_for_one_slot_on_postgresql_move_exactly_one(postgres_engine, all_at_once):
    _fifty_changes_for_one_slot(postgres_engine, all_at_once)


def _changes_racing_accepts(engine, all_at_once, pairs: int = 20) -> None:
    """Each request is changed by its client and accepted by staff at the same moment."""
    with Session(engine) as session:
        setup = make_bookable(session, clients=pairs)
        slots = [(at(1 + i // 8, time(9 + i % 8)), at(7 + i // 8, time(9 + i % 8))) for i in range(pairs)]
        request_ids = [insert_appointment(session, setup, old, client=i) for i, (old, _) in enumerate(slots)]

    def change(index: int):
        def job(session):
            arguments = setup.request_args(slots[index][1])
            del arguments["clinician_id"]
            return change_request(
                session=session,
                viewer=setup.client_viewer(index),
                appointment_id=request_ids[index],
                now=NOW,
                **arguments,
            )

        return job

    def accept(index: int):
        def job(session):
            return accept_request(
                link_base="https://portal.test",
                session=session,
                viewer=setup.clinician_viewer(),
                appointment_id=request_ids[index],
                now=NOW,
            )

        return job

    results = all_at_once(engine, [make(i) for i in range(pairs) for make in (change, accept)])

    assert all(result.ok for result in results[1::2])  # every accept wins: nothing overlaps
    with Session(engine) as session:
        for index, appointment_id in enumerate(request_ids):
            changed = results[2 * index]
            moves = session.exec(
                select(AuditEvent).where(AuditEvent.appointment_id == appointment_id).order_by(AuditEvent.id)
            ).all()
            appointment = session.get(Appointment, appointment_id)
            assert appointment.status == AppointmentStatus.CONFIRMED
            if changed.ok:
                # The change landed first, so what was accepted is the new time.
                assert [move.to_status for move in moves] == ["requested", "confirmed"]
                assert appointment.starts_at == slots[index][1]
            else:
                # Accepted first: the change is refused and the accepted time stands.
                assert changed == AppointmentResult(
                    Outcome.ALREADY_ANSWERED, status=AppointmentStatus.CONFIRMED
                )
                assert [move.to_status for move in moves] == ["confirmed"]
                assert appointment.starts_at == slots[index][0]


def test_changes_racing_accepts_on_sqlite_never_move_a_confirmed_appointment(sqlite_file_engine, all_at_once):
    _changes_racing_accepts(sqlite_file_engine, all_at_once)


@pytest.mark.postgres
def test_changes_racing_accepts_on_postgresql_never_move_a_confirmed_appointment(
    postgres_engine, all_at_once
):
    _changes_racing_accepts(postgres_engine, all_at_once)


def test_a_concurrent_double_accept_is_refused_once_with_a_clear_message(sqlite_file_engine, all_at_once):
    with Session(sqlite_file_engine) as session:
        setup = make_bookable(session)
        request_id = insert_appointment(session, setup, TUESDAY_10)

    def accept(session):
        return accept_request(
            link_base="https://portal.test",
            session=session,
            viewer=setup.clinician_viewer(),
            appointment_id=request_id,
            now=NOW,
        )

    results = all_at_once(sqlite_file_engine, [accept, accept])

    assert sorted(results, key=lambda result: result.outcome) == [
        AppointmentResult(Outcome.ACCEPTED, appointment_id=request_id),
        AppointmentResult(
            Outcome.ALREADY_ANSWERED, appointment_id=request_id, status=AppointmentStatus.CONFIRMED
        ),
    ]
