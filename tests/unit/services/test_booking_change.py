"""Manage Appointment → change a pending request: moved only when the new time is free."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlmodel import func, select

from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.models import Appointment, AuditEvent, AvailabilityBlock, Clinician, EmailOutbox, Practice
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.outcome import AppointmentResult, Outcome
from portal_app.services.request_changes import change_request
from tests.factories import insert_appointment, make_location
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
WEDNESDAY_14 = at(2, time(14))


def _request(session, setup, starts_at=TUESDAY_10, *, client=0, key="key-0001") -> int:
    result = request_appointment(
        session=session,
        viewer=setup.client_viewer(client),
        request_key=key,
        now=NOW,
        **setup.request_args(starts_at),
    )
    assert result.outcome == Outcome.SENT, result
    return result.appointment_id


def _change(session, setup, appointment_id, starts_at, *, client=0, minutes=50, **overrides):
    arguments = setup.request_args(starts_at, minutes)
    del arguments["clinician_id"]
    return change_request(
        session=session,
        viewer=setup.client_viewer(client),
        appointment_id=appointment_id,
        now=NOW,
        **(arguments | overrides),
    )


def _snapshot(session, appointment_id: int) -> tuple:
    session.expire_all()
    row = session.get(Appointment, appointment_id)
    audit = session.exec(select(func.count()).select_from(AuditEvent)).one()
    emails = session.exec(select(func.count()).select_from(EmailOutbox)).one()
    return (row.status, row.starts_at, row.ends_at, row.service_id, row.location_id, row.forum, audit, emails)


def test_a_request_moves_to_a_free_time_and_stays_a_request(db_session):
    setup = make_bookable(db_session, clients=2)
    mine = _request(db_session, setup)

    result = _change(db_session, setup, mine, WEDNESDAY_14, minutes=80)

    assert result.ok, result
    assert result.appointment_id == mine
    assert result.outcome == Outcome.CHANGED
    moved = db_session.get(Appointment, mine)
    assert moved.status == AppointmentStatus.REQUESTED
    assert (moved.starts_at, moved.ends_at) == (WEDNESDAY_14, WEDNESDAY_14 + timedelta(minutes=80))
    last = db_session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.from_status, last.to_status) == ("requested", "requested")
    assert last.note.startswith("time changed (was 2026-03-03T15:00:00+00:00/")
    assert last.actor_user_id == setup.client_user_ids[0]


def test_the_old_time_is_freed_and_the_new_time_is_held(db_session):
    setup = make_bookable(db_session, clients=2)
    mine = _request(db_session, setup)
    assert _change(db_session, setup, mine, WEDNESDAY_14).ok

    old_time = request_appointment(
        session=db_session,
        viewer=setup.client_viewer(1),
        request_key="key-0002",
        now=NOW,
        **setup.request_args(TUESDAY_10),
    )
    new_time = request_appointment(
        session=db_session,
        viewer=setup.client_viewer(1),
        request_key="key-0003",
        now=NOW,
        **setup.request_args(WEDNESDAY_14),
    )

    assert old_time.outcome == Outcome.SENT, old_time
    assert new_time == AppointmentResult(Outcome.TAKEN)


def test_its_own_time_does_not_block_a_small_shift(db_session):
    setup = make_bookable(db_session)
    mine = _request(db_session, setup)

    result = _change(db_session, setup, mine, TUESDAY_10 + timedelta(minutes=15))

    assert result == AppointmentResult(Outcome.CHANGED, appointment_id=mine)


def test_a_time_someone_else_holds_is_taken_and_nothing_changes(db_session):
    setup = make_bookable(db_session, clients=2)
    mine = _request(db_session, setup)
    _request(db_session, setup, WEDNESDAY_14, client=1, key="key-0002")
    before = _snapshot(db_session, mine)

    result = _change(db_session, setup, mine, WEDNESDAY_14 + timedelta(minutes=30))

    assert not result.ok
    assert result == AppointmentResult(Outcome.TAKEN)
    assert _snapshot(db_session, mine) == before


def test_location_forum_and_message_can_change_too(db_session):
    setup = make_bookable(db_session)
    practice = db_session.get(Practice, setup.practice_id)
    annex = make_location(db_session, practice, "Annex")
    block = db_session.exec(select(AvailabilityBlock)).first()
    db_session.add(
        AvailabilityBlock(
            clinician_id=setup.clinician_id,
            location_id=annex.id,
            weekdays=[2],
            start_local=time(9),
            end_local=time(17),
            valid_from=block.valid_from,
            in_person=False,
            telehealth=True,
            service_ids=[setup.service_id],
        )
    )
    db_session.commit()
    mine = _request(db_session, setup)

    result = _change(
        db_session,
        setup,
        mine,
        WEDNESDAY_14,
        location_id=annex.id,
        forum=Forum.TELEHEALTH,
        client_message="Video is easier for me.",
    )

    assert result == AppointmentResult(Outcome.CHANGED, appointment_id=mine)
    moved = db_session.get(Appointment, mine)
    assert (moved.location_id, moved.forum) == (annex.id, Forum.TELEHEALTH)
    assert moved.client_message == "Video is easier for me."


def test_changing_to_the_same_values_writes_nothing(db_session):
    setup = make_bookable(db_session)
    mine = _request(db_session, setup)
    before = _snapshot(db_session, mine)

    result = _change(db_session, setup, mine, TUESDAY_10)

    assert result.ok
    assert result == AppointmentResult(Outcome.UNCHANGED, appointment_id=mine)
    assert _snapshot(db_session, mine) == before


@pytest.mark.parametrize(
    "status",
    [
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.DECLINED,
        AppointmentStatus.WITHDRAWN,
        AppointmentStatus.CANCELLED,
    ],
)
def test_only_a_pending_request_can_be_changed(db_session, status):
    setup = make_bookable(db_session)
    answered = insert_appointment(db_session, setup, TUESDAY_10, status=status)
    before = _snapshot(db_session, answered)

    result = _change(db_session, setup, answered, WEDNESDAY_14)

    assert not result.ok
    assert result == AppointmentResult(Outcome.ALREADY_ANSWERED, status=status)
    assert _snapshot(db_session, answered) == before


def _turn_off_self_scheduling(session, setup, _other_practice) -> dict:
    clinician = session.get(Clinician, setup.clinician_id)
    clinician.self_scheduling = False
    session.add(clinician)
    session.commit()
    return {}


BAD_REQUEST = AppointmentResult(Outcome.BAD_REQUEST)


def _not_bookable(problem: BookingProblem, *limits: int) -> AppointmentResult:
    return AppointmentResult(Outcome.NOT_BOOKABLE, check=BookingCheck(problem, limits))


REFUSALS = {
    "another_clients_request": (lambda s, a, b: {"client": 1}, AppointmentResult(Outcome.NOT_FOUND)),
    "staff_viewer": (
        lambda s, a, b: {"viewer": a.clinician_viewer()},
        AppointmentResult(Outcome.CLIENTS_ONLY),
    ),
    "outside_availability": (
        lambda s, a, b: {"starts_at": at(1, time(18))},
        _not_bookable(BookingProblem.OUTSIDE_AVAILABILITY),
    ),
    "too_soon": (lambda s, a, b: {"starts_at": at(0, time(15))}, _not_bookable(BookingProblem.TOO_SOON, 24)),
    "wrong_length": (lambda s, a, b: {"minutes": 45}, _not_bookable(BookingProblem.WRONG_LENGTH, 50, 80)),
    "naive_time": (lambda s, a, b: {"starts_at": WEDNESDAY_14.replace(tzinfo=None)}, BAD_REQUEST),
    "time_as_text": (lambda s, a, b: {"starts_at": WEDNESDAY_14.isoformat()}, BAD_REQUEST),
    "id_as_text": (lambda s, a, b: {"appointment_id": "1"}, BAD_REQUEST),
    "id_as_list": (lambda s, a, b: {"service_id": [a.service_id]}, BAD_REQUEST),
    "forum_as_text": (lambda s, a, b: {"forum": "telehealth"}, BAD_REQUEST),
    "message_too_long": (lambda s, a, b: {"client_message": "x" * 2001}, BAD_REQUEST),
    "other_practice_location": (lambda s, a, b: {"location_id": b.location_id}, BAD_REQUEST),
    "other_practice_service": (lambda s, a, b: {"service_id": b.service_id}, BAD_REQUEST),
    "self_scheduling_off": (_turn_off_self_scheduling, AppointmentResult(Outcome.PROVIDER_CLOSED)),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_change_says_why_and_changes_nothing(db_session, case):
    setup = make_bookable(db_session, clients=2)
    other_practice = make_bookable(db_session, name="other")
    mine = _request(db_session, setup)
    make_overrides, expected = REFUSALS[case]
    overrides = make_overrides(db_session, setup, other_practice)
    client = overrides.pop("client", 0)
    minutes = overrides.pop("minutes", 50)
    viewer = overrides.pop("viewer", setup.client_viewer(client))
    appointment_id = overrides.pop("appointment_id", mine)
    starts_at = overrides.pop("starts_at", WEDNESDAY_14)
    # The end follows a real start; a garbled start is sent with a well-formed end.
    well_formed = isinstance(starts_at, datetime) and starts_at.tzinfo is not None
    arguments = setup.request_args(starts_at if well_formed else WEDNESDAY_14, minutes)
    del arguments["clinician_id"]
    before = _snapshot(db_session, mine)

    result = change_request(
        session=db_session,
        viewer=viewer,
        appointment_id=appointment_id,
        now=NOW,
        **(arguments | {"starts_at": starts_at} | overrides),
    )

    db_session.rollback()  # count what was committed, not what the session may still hold
    assert not result.ok
    assert result == expected
    assert _snapshot(db_session, mine) == before


def test_the_clinician_is_emailed_the_changed_request_with_the_time_it_had(db_session):
    setup = make_bookable(db_session)
    mine = _request(db_session, setup)

    _change(db_session, setup, mine, WEDNESDAY_14)

    notice = db_session.exec(select(EmailOutbox).where(EmailOutbox.kind == "request_changed")).one()
    assert notice.subject.startswith("Appointment request changed")
    assert "changed their request for Tue, Mar 3, 2026, 10:00 AM" in notice.body_text
    assert "Wed, Mar 4, 2026, 2:00 PM" in notice.body_text
