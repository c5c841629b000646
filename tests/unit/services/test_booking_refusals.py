"""Requests the server refuses, beyond the engine's own rules: forged, garbled or not allowed.

Each refusal must say why, as a code the UI words for the client (``test_wording.py``), and write
nothing at all: no appointment, no audit entry, no email.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlmodel import func, select

from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.vocabulary import Forum
from portal_app.models import Appointment, AuditEvent, AvailabilityBlock, EmailOutbox, Practice, Service
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.outcome import AppointmentResult, Outcome
from tests.factories import make_location, make_service
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))


def _rows(session) -> tuple[int, int, int]:
    return tuple(
        session.exec(select(func.count()).select_from(table)).one()
        for table in (Appointment, AuditEvent, EmailOutbox)
    )


def _other_location(session, setup):
    return make_location(session, session.get(Practice, setup.practice_id), "Annex").id


def _service_not_in_any_block(session, setup):
    return make_service(session, session.get(Practice, setup.practice_id), name="Couples").id


def _closed_to_existing_clients(session, setup):
    service = session.get(Service, setup.service_id)
    service.existing_clients_allowed = False
    session.add(service)
    session.commit()
    return setup.service_id


def _telehealth_off(session, setup):
    # The block is opened to telehealth, so the practice's switch is the only reason to refuse.
    block = session.exec(
        select(AvailabilityBlock).where(AvailabilityBlock.clinician_id == setup.clinician_id)
    ).one()
    block.telehealth = True
    practice = session.get(Practice, setup.practice_id)
    practice.telehealth_enabled = False
    session.add_all([block, practice])
    session.commit()
    return Forum.TELEHEALTH


BAD_REQUEST = AppointmentResult(Outcome.BAD_REQUEST)
NOT_AVAILABLE = AppointmentResult(Outcome.PROVIDER_CLOSED)


def _not_bookable(problem: BookingProblem, *limits: int) -> AppointmentResult:
    return AppointmentResult(Outcome.NOT_BOOKABLE, check=BookingCheck(problem, limits))


NOT_OFFERED = _not_bookable(BookingProblem.SERVICE_NOT_OFFERED)
WRONG_LENGTH = _not_bookable(BookingProblem.WRONG_LENGTH, 50, 80)

# Each case: (argument to replace, how to make its value from (session, setup, other practice),
# the result expected).
CASES = {
    "nonexistent_clinician": ("clinician_id", lambda s, a, b: 999_999, NOT_AVAILABLE),
    "other_practice_service": ("service_id", lambda s, a, b: b.service_id, BAD_REQUEST),
    "nonexistent_service": ("service_id", lambda s, a, b: 999_999, BAD_REQUEST),
    "nonexistent_location": ("location_id", lambda s, a, b: 999_999, BAD_REQUEST),
    "location_without_availability": ("location_id", lambda s, a, b: _other_location(s, a), NOT_OFFERED),
    "service_not_allowed_in_block": (
        "service_id",
        lambda s, a, b: _service_not_in_any_block(s, a),
        NOT_OFFERED,
    ),
    "service_closed_to_existing_clients": (
        "service_id",
        lambda s, a, b: _closed_to_existing_clients(s, a),
        _not_bookable(BookingProblem.NOT_OPEN_TO_CLIENT),
    ),
    "telehealth_off_for_practice": ("forum", lambda s, a, b: _telehealth_off(s, a), NOT_OFFERED),
    "ends_before_it_starts": (
        "ends_at",
        lambda s, a, b: TUESDAY_10 - timedelta(minutes=50),
        WRONG_LENGTH,
    ),
    "zero_length": ("ends_at", lambda s, a, b: TUESDAY_10, WRONG_LENGTH),
    "naive_end": (
        "ends_at",
        lambda s, a, b: (TUESDAY_10 + timedelta(minutes=50)).replace(tzinfo=None),
        BAD_REQUEST,
    ),
    "start_as_iso_text": ("starts_at", lambda s, a, b: TUESDAY_10.isoformat(), BAD_REQUEST),
    "start_as_epoch_number": ("starts_at", lambda s, a, b: TUESDAY_10.timestamp(), BAD_REQUEST),
    "end_none": ("ends_at", lambda s, a, b: None, BAD_REQUEST),
    "clinician_as_list": ("clinician_id", lambda s, a, b: [a.clinician_id], BAD_REQUEST),
    "clinician_as_float": ("clinician_id", lambda s, a, b: float(a.clinician_id), BAD_REQUEST),
    "clinician_as_dict": ("clinician_id", lambda s, a, b: {"id": a.clinician_id}, BAD_REQUEST),
    "zero_id": ("service_id", lambda s, a, b: 0, BAD_REQUEST),
    "negative_id": ("location_id", lambda s, a, b: -a.location_id, BAD_REQUEST),
    "forum_as_text": ("forum", lambda s, a, b: "in_person", BAD_REQUEST),
    "forum_none": ("forum", lambda s, a, b: None, BAD_REQUEST),
    "request_key_none": ("request_key", lambda s, a, b: None, BAD_REQUEST),
    "request_key_too_short": ("request_key", lambda s, a, b: "abc", BAD_REQUEST),
    "request_key_too_long": ("request_key", lambda s, a, b: "k" * 65, BAD_REQUEST),
    "message_too_long": ("client_message", lambda s, a, b: "x" * 2001, BAD_REQUEST),
    "message_not_text": ("client_message", lambda s, a, b: ["hello"], BAD_REQUEST),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_request_says_why_and_writes_nothing(db_session, case):
    setup = make_bookable(db_session)
    other_practice = make_bookable(db_session, name="other")
    argument, make_value, expected = CASES[case]
    arguments = setup.request_args(TUESDAY_10) | {"request_key": "key-0001", "client_message": ""}
    arguments[argument] = make_value(db_session, setup, other_practice)
    before = _rows(db_session)

    result = request_appointment(session=db_session, viewer=setup.client_viewer(), now=NOW, **arguments)

    db_session.rollback()  # count what was committed, not what the session may still hold
    assert not result.ok
    assert result.appointment_id is None
    assert result == expected
    assert _rows(db_session) == before


def test_a_client_of_another_practice_cannot_book_this_clinician(db_session):
    setup = make_bookable(db_session)
    other_practice = make_bookable(db_session, name="other")

    result = request_appointment(
        session=db_session,
        viewer=other_practice.client_viewer(),
        request_key="key-0001",
        now=NOW,
        **setup.request_args(TUESDAY_10),
    )

    assert not result.ok
    assert result == NOT_AVAILABLE
    assert _rows(db_session) == (0, 0, 0)


def test_a_replayed_key_answers_with_the_first_request_even_when_its_time_is_now_held(db_session):
    setup = make_bookable(db_session)
    arguments = setup.request_args(TUESDAY_10) | {"request_key": "key-0001"}
    first = request_appointment(session=db_session, viewer=setup.client_viewer(), now=NOW, **arguments)
    after_first = _rows(db_session)

    again = request_appointment(session=db_session, viewer=setup.client_viewer(), now=NOW, **arguments)

    assert first.ok
    assert again == first
    assert _rows(db_session) == after_first
