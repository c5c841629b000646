"""Staff decisions that arrive at the same moment, on SQLite and on PostgreSQL.

Fifty accepts over overlapping requests are in ``test_request_decisions.py``; these add many
decisions on one request (one wins, one audit entry, one email) and the deadlock a decline can
run into while another writer holds the clinician's lock.
"""

from __future__ import annotations

import threading
import time as time_module
from datetime import time, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, AuditEvent, EmailOutbox
from portal_app.services import request_changes, request_decisions
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.request_decisions import accept_request, decline_request
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
CONFIRMED = AppointmentStatus.CONFIRMED


def _status(session, appointment_id: int) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def _moves(session, appointment_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.appointment_id == appointment_id)
    ).one()


def _accept(session, setup, appointment_id: int):
    return accept_request(
        link_base="https://portal.test",
        session=session,
        viewer=setup.clinician_viewer(),
        appointment_id=appointment_id,
        now=NOW,
    )


def _one_request_many_decisions(engine, all_at_once, decisions: list[str]):
    with Session(engine) as session:
        setup = make_bookable(session)
        request_id = insert_appointment(session, setup, TUESDAY_10)

    def decide(kind: str):
        def job(session):
            if kind == "accept":
                return _accept(session, setup, request_id)
            return decline_request(
                session=session,
                viewer=setup.clinician_viewer(),
                appointment_id=request_id,
                message="No.",
                now=NOW,
            )

        return job

    return request_id, all_at_once(engine, [decide(kind) for kind in decisions])


def _assert_decided_once(engine, all_at_once, decisions: list[str]) -> None:
    request_id, results = _one_request_many_decisions(engine, all_at_once, decisions)

    winners = [kind for kind, result in zip(decisions, results, strict=True) if result.ok]
    assert len(winners) == 1
    accepted = winners == ["accept"]
    with Session(engine) as session:
        assert _status(session, request_id) == (CONFIRMED if accepted else AppointmentStatus.DECLINED)
        assert _moves(session, request_id) == 1
        assert session.exec(select(EmailOutbox.kind)).all() == ["accepted" if accepted else "declined"]


def test_many_accepts_of_one_request_at_once_on_sqlite_confirm_it_once_with_one_email(
    sqlite_file_engine, all_at_once
):
    _assert_decided_once(sqlite_file_engine, all_at_once, ["accept"] * 10)


@pytest.mark.postgres
def test_many_accepts_of_one_request_at_once_on_postgresql_confirm_it_once_with_one_email(
    postgres_engine, all_at_once
):
    _assert_decided_once(postgres_engine, all_at_once, ["accept"] * 10)


def test_accepts_and_declines_at_once_on_sqlite_decide_exactly_once(sqlite_file_engine, all_at_once):
    _assert_decided_once(sqlite_file_engine, all_at_once, ["accept", "decline"] * 10)


@pytest.mark.postgres
def test_accepts_and_declines_at_once_on_postgresql_decide_exactly_once(postgres_engine, all_at_once):
    _assert_decided_once(postgres_engine, all_at_once, ["accept", "decline"] * 10)


def _waiting_for_a_lock(engine) -> bool:
    with engine.connect() as connection:
        return (
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            > 0
        )


@pytest.mark.postgres
@pytest.mark.parametrize("locked_writer", ["accept", "change"])
def test_a_decline_racing_a_locked_writer_of_one_request_on_postgresql_ends_without_an_error(
    postgres_engine, all_at_once, monkeypatch, locked_writer
):
    with Session(postgres_engine) as session:
        setup = make_bookable(session)
        request_id = insert_appointment(session, setup, TUESDAY_10)
    clinician_locked, decline_done = threading.Event(), threading.Event()

    def lock_then_let_the_decline_start(session, clinician_id):
        # The writer holds the clinician's lock; the decline then runs as far as it can before
        # the writer goes on to update the appointment: the worst interleaving, made certain.
        lock_clinician(session, clinician_id)
        clinician_locked.set()
        deadline = time_module.monotonic() + 10
        while not (decline_done.is_set() or _waiting_for_a_lock(postgres_engine)):
            assert time_module.monotonic() < deadline
            time_module.sleep(0.02)

    service = request_decisions if locked_writer == "accept" else request_changes
    monkeypatch.setattr(service, "lock_clinician", lock_then_let_the_decline_start)

    def write(session):
        if locked_writer == "accept":
            return _accept(session, setup, request_id)
        arguments = setup.request_args(TUESDAY_10 + timedelta(days=1))
        del arguments["clinician_id"]
        return request_changes.change_request(
            session=session, viewer=setup.client_viewer(), appointment_id=request_id, now=NOW, **arguments
        )

    def decline(session):
        clinician_locked.wait(timeout=10)
        try:
            return decline_request(
                session=session,
                viewer=setup.clinician_viewer(),
                appointment_id=request_id,
                message="No.",
                now=NOW,
            )
        finally:
            decline_done.set()

    written, declined = all_at_once(postgres_engine, [write, decline])

    assert [written.ok, declined.ok].count(True) == 1
    with Session(postgres_engine) as session:
        assert _moves(session, request_id) == 1
