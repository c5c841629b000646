"""A client's own requests and appointments after booking: withdraw, cancel, and the time freed."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlmodel import Session, col, delete, func, select

from portal_app.domain.vocabulary import AppointmentStatus, Role
from portal_app.models import Appointment, AuditEvent, Client, Clinician, EmailOutbox, Practice, User
from portal_app.services.appointment_requests import (
    cancel_appointment,
    request_appointment,
    withdraw_request,
)
from portal_app.services.outcome import AppointmentResult, Outcome
from portal_app.services.status_moves import commit_move
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
NOT_FOUND = AppointmentResult(Outcome.NOT_FOUND)


def _status(session, appointment_id: int) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def _moves(session, appointment_id: int) -> list[tuple[str | None, str, int | None]]:
    events = session.exec(
        select(AuditEvent).where(AuditEvent.appointment_id == appointment_id).order_by(AuditEvent.id)
    )
    return [(event.from_status, event.to_status, event.actor_user_id) for event in events]


def _emails(session, kind: str) -> int:
    return session.exec(select(func.count()).select_from(EmailOutbox).where(EmailOutbox.kind == kind)).one()


def _request(session, setup, starts_at=TUESDAY_10, *, client=0, key="key-0001"):
    return request_appointment(
        session=session,
        viewer=setup.client_viewer(client),
        request_key=key,
        now=NOW,
        **setup.request_args(starts_at),
    )


def _practice_settings(session, setup, **values) -> None:
    practice = session.get(Practice, setup.practice_id)
    for name, value in values.items():
        setattr(practice, name, value)
    session.add(practice)
    session.commit()


def test_withdrawing_records_the_move_tells_the_clinician_and_frees_the_time(db_session):
    setup = make_bookable(db_session, clients=2)
    mine = _request(db_session, setup).appointment_id

    withdrawn = withdraw_request(
        session=db_session, viewer=setup.client_viewer(), appointment_id=mine, now=NOW
    )
    again = _request(db_session, setup, client=1, key="key-0002")

    assert withdrawn == AppointmentResult(Outcome.WITHDRAWN, appointment_id=mine)
    assert _status(db_session, mine) == AppointmentStatus.WITHDRAWN
    client_user = setup.client_user_ids[0]
    assert _moves(db_session, mine) == [
        (None, "requested", client_user),
        ("requested", "withdrawn", client_user),
    ]
    assert _emails(db_session, "withdrawn") == 1
    assert again.outcome == Outcome.SENT, again


def test_a_move_on_an_appointment_deleted_meanwhile_is_not_found(engine, db_session):
    setup = make_bookable(db_session)
    mine = insert_appointment(db_session, setup, TUESDAY_10)
    read_before = db_session.get(Appointment, mine)
    with Session(engine) as elsewhere:  # the demo reset, between the read and the move
        elsewhere.exec(delete(Appointment).where(col(Appointment.id) == mine))
        elsewhere.commit()

    result = commit_move(
        session=db_session,
        appointment=read_before,
        to_status=AppointmentStatus.WITHDRAWN,
        actor_user_id=setup.client_user_ids[0],
        now=NOW,
        done=Outcome.WITHDRAWN,
    )

    assert result == NOT_FOUND
    assert _moves(db_session, mine) == []


def test_withdrawing_twice_moves_it_once(db_session):
    setup = make_bookable(db_session)
    mine = _request(db_session, setup).appointment_id

    first = withdraw_request(session=db_session, viewer=setup.client_viewer(), appointment_id=mine, now=NOW)
    second = withdraw_request(session=db_session, viewer=setup.client_viewer(), appointment_id=mine, now=NOW)

    assert first.ok
    assert not second.ok
    assert second == AppointmentResult(Outcome.ALREADY_ANSWERED, status=AppointmentStatus.WITHDRAWN)
    assert [to for _, to, _ in _moves(db_session, mine)] == ["requested", "withdrawn"]
    assert _emails(db_session, "withdrawn") == 1


def test_a_confirmed_appointment_is_cancelled_not_withdrawn(db_session):
    setup = make_bookable(db_session)
    confirmed = insert_appointment(db_session, setup, TUESDAY_10, status=AppointmentStatus.CONFIRMED)

    result = withdraw_request(
        session=db_session, viewer=setup.client_viewer(), appointment_id=confirmed, now=NOW
    )

    assert not result.ok
    assert result == AppointmentResult(Outcome.ALREADY_ANSWERED, status=AppointmentStatus.CONFIRMED)
    assert _status(db_session, confirmed) == AppointmentStatus.CONFIRMED
    assert _moves(db_session, confirmed) == []


@pytest.mark.parametrize(
    "after_start",
    [timedelta(0), timedelta(minutes=10), timedelta(days=1)],
    ids=["at_the_start", "during_the_session", "a_day_later"],
)
def test_a_request_whose_start_has_passed_cannot_be_withdrawn(db_session, after_start):
    setup = make_bookable(db_session)
    mine = _request(db_session, setup).appointment_id
    before = _moves(db_session, mine)

    result = withdraw_request(
        session=db_session, viewer=setup.client_viewer(), appointment_id=mine, now=TUESDAY_10 + after_start
    )

    assert not result.ok
    assert result == AppointmentResult(Outcome.NOT_UPCOMING)
    assert _status(db_session, mine) == AppointmentStatus.REQUESTED
    assert _moves(db_session, mine) == before
    assert _emails(db_session, "withdrawn") == 0


def test_a_request_can_still_be_withdrawn_a_moment_before_its_start(db_session):
    setup = make_bookable(db_session)
    mine = _request(db_session, setup).appointment_id

    result = withdraw_request(
        session=db_session,
        viewer=setup.client_viewer(),
        appointment_id=mine,
        now=TUESDAY_10 - timedelta(seconds=1),
    )

    assert result == AppointmentResult(Outcome.WITHDRAWN, appointment_id=mine)
    assert _status(db_session, mine) == AppointmentStatus.WITHDRAWN


@pytest.mark.parametrize("action", [withdraw_request, cancel_appointment])
@pytest.mark.parametrize("status", [AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED])
def test_another_clients_appointment_cannot_be_touched_or_even_seen(db_session, action, status):
    setup = make_bookable(db_session, clients=2)
    theirs = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(days=7), client=1, status=status)

    for viewer in (setup.client_viewer(0), setup.clinician_viewer()):
        result = action(session=db_session, viewer=viewer, appointment_id=theirs, now=NOW)
        assert not result.ok
        assert result == NOT_FOUND

    assert _status(db_session, theirs) == status
    assert _moves(db_session, theirs) == []
    assert _emails(db_session, "cancelled") == _emails(db_session, "withdrawn") == 0


@pytest.mark.parametrize("garbage", ["1", None, 1.5, True, [1], {"id": 1}, -1, 0])
@pytest.mark.parametrize("action", [withdraw_request, cancel_appointment])
def test_garbage_appointment_ids_are_not_found(db_session, action, garbage):
    setup = make_bookable(db_session)
    insert_appointment(db_session, setup, TUESDAY_10, status=AppointmentStatus.CONFIRMED)

    result = action(session=db_session, viewer=setup.client_viewer(), appointment_id=garbage, now=NOW)

    assert result == NOT_FOUND


def test_cancelling_records_the_move_tells_both_and_frees_the_time(db_session):
    setup = make_bookable(db_session, clients=2)
    confirmed = insert_appointment(db_session, setup, TUESDAY_10, status=AppointmentStatus.CONFIRMED)

    result = cancel_appointment(
        session=db_session, viewer=setup.client_viewer(), appointment_id=confirmed, now=NOW
    )
    again = _request(db_session, setup, client=1, key="key-0002")

    assert result == AppointmentResult(Outcome.CANCELLED, appointment_id=confirmed)
    assert _moves(db_session, confirmed) == [("confirmed", "cancelled", setup.client_user_ids[0])]
    assert _emails(db_session, "cancelled") == 1
    assert _emails(db_session, "cancellation_notice") == 1
    assert again.outcome == Outcome.SENT, again


@pytest.mark.parametrize(
    ("before_start", "allowed"),
    [(timedelta(hours=24), True), (timedelta(hours=24) - timedelta(seconds=1), False)],
)
def test_the_cancellation_window_boundary_itself_is_still_cancellable(db_session, before_start, allowed):
    setup = make_bookable(db_session)
    confirmed = insert_appointment(db_session, setup, TUESDAY_10, status=AppointmentStatus.CONFIRMED)

    result = cancel_appointment(
        session=db_session,
        viewer=setup.client_viewer(),
        appointment_id=confirmed,
        now=TUESDAY_10 - before_start,
    )

    assert result.ok is allowed
    assert result.outcome == (Outcome.CANCELLED if allowed else Outcome.CALL_TO_CANCEL)
    expected = AppointmentStatus.CANCELLED if allowed else AppointmentStatus.CONFIRMED
    assert _status(db_session, confirmed) == expected


def test_with_no_window_a_client_may_cancel_until_the_start_but_not_after(db_session):
    setup = make_bookable(db_session)
    _practice_settings(db_session, setup, cancellation_window_hours=0)
    started = insert_appointment(db_session, setup, TUESDAY_10, status=AppointmentStatus.CONFIRMED)
    upcoming = insert_appointment(db_session, setup, at(2, time(10)), status=AppointmentStatus.CONFIRMED)
    just_before = at(2, time(10)) - timedelta(minutes=1)

    too_late = cancel_appointment(
        session=db_session, viewer=setup.client_viewer(), appointment_id=started, now=TUESDAY_10
    )
    in_time = cancel_appointment(
        session=db_session, viewer=setup.client_viewer(), appointment_id=upcoming, now=just_before
    )

    assert not too_late.ok
    assert too_late == AppointmentResult(Outcome.NOT_UPCOMING)
    assert in_time == AppointmentResult(Outcome.CANCELLED, appointment_id=upcoming)


def test_a_pending_request_is_withdrawn_not_cancelled(db_session):
    setup = make_bookable(db_session)
    mine = _request(db_session, setup).appointment_id

    result = cancel_appointment(
        session=db_session, viewer=setup.client_viewer(), appointment_id=mine, now=NOW
    )

    assert not result.ok
    assert result == AppointmentResult(Outcome.NOT_UPCOMING)
    assert _status(db_session, mine) == AppointmentStatus.REQUESTED


# The words, with and without the practice's phone number, are checked in test_wording.py.
@pytest.mark.parametrize("phone", ["(617) 555-0148", ""])
def test_with_online_cancellation_off_the_client_is_told_to_call_whatever_the_phone(db_session, phone):
    setup = make_bookable(db_session)
    _practice_settings(db_session, setup, online_cancellation=False, phone=phone)
    confirmed = insert_appointment(
        db_session, setup, TUESDAY_10 + timedelta(days=14), status=AppointmentStatus.CONFIRMED
    )

    result = cancel_appointment(
        session=db_session, viewer=setup.client_viewer(), appointment_id=confirmed, now=NOW
    )

    assert not result.ok
    assert result == AppointmentResult(Outcome.CALL_TO_CANCEL)
    assert _status(db_session, confirmed) == AppointmentStatus.CONFIRMED
    assert _moves(db_session, confirmed) == []


def test_a_change_names_the_people_whose_pages_show_it(db_session):
    setup = make_bookable(db_session)
    admin = User(
        email="office@a.example",
        password_hash="-",
        role=Role.ADMIN,
        display_name="Office",
        practice_id=setup.practice_id,
    )
    db_session.add(admin)
    db_session.commit()
    result = _request(db_session, setup)

    withdrawn = withdraw_request(
        session=db_session, viewer=setup.client_viewer(), appointment_id=result.appointment_id, now=NOW
    )

    admins = db_session.exec(
        select(User.id).where(User.practice_id == setup.practice_id, User.role == Role.ADMIN)
    ).all()
    client_user = db_session.get(Client, setup.client_ids[0]).user_id
    clinician_user = db_session.get(Clinician, setup.clinician_id).user_id
    assert admins == [admin.id]
    assert set(withdrawn.concerns) == {client_user, clinician_user, admin.id} - {None}
    assert clinician_user in withdrawn.concerns
