"""Accept, Decline and conflict marks beyond the basics: buffer edges, scope, messages, queries.

The basics (one audit entry per accept, decline frees the time) are in
``test_request_decisions.py``; decisions arriving at the same moment are in
``test_request_review_races.py``.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from portal_app.domain.vocabulary import AppointmentStatus, Role
from portal_app.models import Appointment, AuditEvent, EmailOutbox, Practice
from portal_app.services.auth import Viewer
from portal_app.services.outcome import AppointmentResult, Outcome
from portal_app.services.request_decisions import accept_request, decline_request, pending_conflicts
from tests.factories import insert_appointment, make_clinician
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
CONFIRMED = AppointmentStatus.CONFIRMED


def _status(session, appointment_id: int) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def _moves(session, appointment_id: int) -> list[tuple[str | None, str, str]]:
    events = session.exec(
        select(AuditEvent).where(AuditEvent.appointment_id == appointment_id).order_by(AuditEvent.id)
    )
    return [(event.from_status, event.to_status, event.note) for event in events]


def _emails(session, kind: str) -> list[EmailOutbox]:
    return session.exec(select(EmailOutbox).where(EmailOutbox.kind == kind)).all()


def _accept(session, setup, appointment_id: int, viewer=None):
    return accept_request(
        link_base="https://portal.test",
        session=session,
        viewer=viewer or setup.clinician_viewer(),
        appointment_id=appointment_id,
        now=NOW,
    )


@pytest.mark.parametrize(
    ("gap_minutes", "accepted"),
    [(10, True), (9, False), (0, False), (60, True)],
)
def test_accept_keeps_the_practice_buffer_after_a_confirmed_session(db_session, gap_minutes, accepted):
    setup = make_bookable(db_session, clients=2)  # buffer: 10 minutes
    insert_appointment(db_session, setup, TUESDAY_10, status=CONFIRMED)
    request_id = insert_appointment(
        db_session, setup, TUESDAY_10 + timedelta(minutes=50 + gap_minutes), client=1
    )

    result = _accept(db_session, setup, request_id)

    assert result.ok is accepted
    assert result == AppointmentResult(
        Outcome.ACCEPTED if accepted else Outcome.OVERLAPS_CONFIRMED, appointment_id=request_id
    )
    assert _status(db_session, request_id) == (CONFIRMED if accepted else AppointmentStatus.REQUESTED)


def test_accept_keeps_the_buffer_before_a_confirmed_session_too(db_session):
    setup = make_bookable(db_session, clients=2)
    insert_appointment(db_session, setup, TUESDAY_10, status=CONFIRMED)
    ends_five_minutes_before = insert_appointment(
        db_session, setup, TUESDAY_10 - timedelta(minutes=55), client=1
    )

    assert _accept(db_session, setup, ends_five_minutes_before) == AppointmentResult(
        Outcome.OVERLAPS_CONFIRMED, appointment_id=ends_five_minutes_before
    )


def test_another_clinicians_session_does_not_block_accepting(db_session):
    setup = make_bookable(db_session)
    colleague = make_bookable(db_session, name="colleague")
    insert_appointment(db_session, colleague, TUESDAY_10, status=CONFIRMED)
    request_id = insert_appointment(db_session, setup, TUESDAY_10)

    assert _accept(db_session, setup, request_id).ok


def test_a_clinician_cannot_decide_on_a_colleagues_request_in_the_same_practice(db_session):
    setup = make_bookable(db_session)
    colleague = make_clinician(db_session, db_session.get(Practice, setup.practice_id), slug="colleague")
    request_id = insert_appointment(db_session, setup, TUESDAY_10)
    colleague_viewer = Viewer(
        user_id=colleague.user_id,
        role=Role.CLINICIAN,
        display_name="Colleague",
        practice_id=setup.practice_id,
        clinician_id=colleague.id,
    )

    accepted = _accept(db_session, setup, request_id, viewer=colleague_viewer)
    declined = decline_request(
        session=db_session, viewer=colleague_viewer, appointment_id=request_id, message="", now=NOW
    )

    assert accepted == declined == AppointmentResult(Outcome.NOT_FOUND)
    assert _status(db_session, request_id) == AppointmentStatus.REQUESTED
    assert _moves(db_session, request_id) == []


def test_decline_keeps_the_message_in_the_audit_log_and_sends_it_to_the_client(db_session):
    setup = make_bookable(db_session)
    request_id = insert_appointment(db_session, setup, TUESDAY_10)

    result = decline_request(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=request_id,
        message="I'm at a conference that week.",
        now=NOW,
    )

    assert result == AppointmentResult(Outcome.DECLINED, appointment_id=request_id)
    assert _moves(db_session, request_id) == [("requested", "declined", "I'm at a conference that week.")]
    (email,) = _emails(db_session, "declined")
    assert "I'm at a conference that week." in email.body_text


def test_a_too_long_decline_message_is_refused_and_nothing_changes(db_session):
    setup = make_bookable(db_session)
    request_id = insert_appointment(db_session, setup, TUESDAY_10)

    result = decline_request(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=request_id,
        message="x" * 2001,
        now=NOW,
    )

    assert not result.ok
    assert result == AppointmentResult(Outcome.MESSAGE_TOO_LONG)
    assert _status(db_session, request_id) == AppointmentStatus.REQUESTED
    assert db_session.get(Appointment, request_id).clinician_message == ""


@pytest.mark.parametrize("status", [CONFIRMED, AppointmentStatus.WITHDRAWN, AppointmentStatus.DECLINED])
@pytest.mark.parametrize("decide", ["accept", "decline"])
def test_an_answered_request_cannot_be_decided_again(db_session, status, decide):
    setup = make_bookable(db_session)
    answered = insert_appointment(db_session, setup, TUESDAY_10, status=status)

    if decide == "accept":
        result = _accept(db_session, setup, answered)
    else:
        result = decline_request(
            session=db_session, viewer=setup.clinician_viewer(), appointment_id=answered, message="", now=NOW
        )

    assert not result.ok
    assert result == AppointmentResult(Outcome.ALREADY_ANSWERED, appointment_id=answered, status=status)
    assert _status(db_session, answered) == status
    assert _moves(db_session, answered) == []


def _conflicts(session, setup, clinician_id="own"):
    return pending_conflicts(
        session=session,
        practice_id=setup.practice_id,
        clinician_id=setup.clinician_id if clinician_id == "own" else clinician_id,
        now=NOW,
    )


def test_conflicts_count_the_buffer_and_stay_within_one_clinician(db_session):
    setup = make_bookable(db_session, clients=3)
    colleague = make_bookable(db_session, name="colleague")
    insert_appointment(db_session, setup, TUESDAY_10, status=CONFIRMED)
    insert_appointment(db_session, colleague, at(2, time(10)), status=CONFIRMED)
    in_buffer = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=55), client=1)
    before_buffer = insert_appointment(db_session, setup, TUESDAY_10 - timedelta(minutes=60), client=2)
    beside_colleague = insert_appointment(db_session, setup, at(2, time(10)))

    conflicts = _conflicts(db_session, setup)

    assert list(conflicts) == [in_buffer]
    assert conflicts[in_buffer] == "10:00 AM – 10:50 AM EST"
    assert before_buffer not in conflicts
    assert beside_colleague not in conflicts


def test_conflicts_leave_out_past_requests_and_other_practices(db_session):
    setup = make_bookable(db_session, clients=2)
    other_practice = make_bookable(db_session, name="other")
    yesterday = at(-1, time(10))
    insert_appointment(db_session, setup, yesterday, status=CONFIRMED)
    insert_appointment(db_session, setup, yesterday + timedelta(minutes=30), client=1)
    insert_appointment(db_session, other_practice, TUESDAY_10, status=CONFIRMED)
    insert_appointment(db_session, other_practice, TUESDAY_10 + timedelta(minutes=30))

    assert _conflicts(db_session, setup) == {}
    assert _conflicts(db_session, setup, clinician_id=None) == {}
    assert len(_conflicts(db_session, other_practice)) == 1


def test_conflicts_for_the_whole_practice_include_every_clinician(db_session):
    setup = make_bookable(db_session, clients=2)
    insert_appointment(db_session, setup, TUESDAY_10, status=CONFIRMED)
    request_id = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=30), client=1)

    assert list(_conflicts(db_session, setup, clinician_id=None)) == [request_id]


def _statements(engine, run) -> int:
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def test_conflicts_take_the_same_few_queries_for_one_request_or_forty(engine, db_session):
    setup = make_bookable(db_session, clients=40)
    insert_appointment(db_session, setup, TUESDAY_10, status=CONFIRMED)
    insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=30))

    def conflicts():
        db_session.expire_all()
        _conflicts(db_session, setup)

    with_one = _statements(engine, conflicts)
    for i in range(1, 40):
        insert_appointment(db_session, setup, at(2 + i // 8, time(9 + i % 8)), client=i)
    with_forty = _statements(engine, conflicts)

    assert with_one == with_forty <= 3
