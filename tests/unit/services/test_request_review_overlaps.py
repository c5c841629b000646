"""The dashboard's warning for pending requests that overlap each other."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import event

from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.services.request_decisions import accept_request, pending_conflicts
from portal_app.services.request_review import overlapping_requests
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))


def _overlaps(session, setup, clinician_id="own"):
    return overlapping_requests(
        session=session,
        practice_id=setup.practice_id,
        clinician_id=setup.clinician_id if clinician_id == "own" else clinician_id,
        now=NOW,
    )


def test_two_overlapping_requests_are_both_marked_with_the_other_ones_time(db_session):
    setup = make_bookable(db_session, clients=2)
    first = insert_appointment(db_session, setup, TUESDAY_10)
    second = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=30), client=1)

    assert _overlaps(db_session, setup) == {
        first: "10:30 AM – 11:20 AM EST",
        second: "10:00 AM – 10:50 AM EST",
    }


def test_the_buffer_counts_and_a_clear_gap_does_not(db_session):
    setup = make_bookable(db_session, clients=3)  # buffer: 10 minutes
    first = insert_appointment(db_session, setup, TUESDAY_10)
    in_buffer = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=55), client=1)
    clear = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=115), client=2)

    overlaps = _overlaps(db_session, setup)

    assert set(overlaps) == {first, in_buffer}
    assert clear not in overlaps


def test_a_long_request_overlapping_several_short_ones_marks_them_all(db_session):
    setup = make_bookable(db_session, clients=3)
    long_one = insert_appointment(db_session, setup, TUESDAY_10, minutes=180)
    inside = [
        insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=offset), client=i)
        for i, offset in ((1, 30), (2, 120))
    ]

    assert set(_overlaps(db_session, setup)) == {long_one, *inside}


def test_other_clinicians_past_requests_and_answered_ones_are_left_out(db_session):
    setup = make_bookable(db_session, clients=3)
    colleague = make_bookable(db_session, name="colleague")
    insert_appointment(db_session, setup, TUESDAY_10)
    insert_appointment(db_session, colleague, TUESDAY_10)
    insert_appointment(db_session, setup, TUESDAY_10, client=1, status=AppointmentStatus.DECLINED)
    yesterday = at(-1, time(10))
    insert_appointment(db_session, setup, yesterday, client=1)
    insert_appointment(db_session, setup, yesterday, client=2)

    assert _overlaps(db_session, setup) == {}
    assert _overlaps(db_session, setup, clinician_id=None) == {}


def test_the_whole_practice_is_checked_clinician_by_clinician(db_session):
    setup = make_bookable(db_session, clients=2)
    first = insert_appointment(db_session, setup, TUESDAY_10)
    second = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=30), client=1)

    assert set(_overlaps(db_session, setup, clinician_id=None)) == {first, second}


def test_accepting_one_of_them_turns_the_other_into_a_conflict_that_blocks_accept(db_session):
    setup = make_bookable(db_session, clients=2)
    first = insert_appointment(db_session, setup, TUESDAY_10)
    second = insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=30), client=1)

    assert accept_request(
        link_base="https://portal.test",
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=first,
        now=NOW,
    ).ok

    assert _overlaps(db_session, setup) == {}
    conflicts = pending_conflicts(
        session=db_session, practice_id=setup.practice_id, clinician_id=setup.clinician_id, now=NOW
    )
    assert list(conflicts) == [second]


def test_two_queries_for_two_requests_or_forty(engine, db_session):
    setup = make_bookable(db_session, clients=40)
    insert_appointment(db_session, setup, TUESDAY_10)
    insert_appointment(db_session, setup, TUESDAY_10 + timedelta(minutes=30), client=1)
    statements = []

    def count(*_args):
        statements.append(1)

    def overlaps():
        db_session.expire_all()
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            _overlaps(db_session, setup)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    with_two = overlaps()
    for i in range(2, 40):
        insert_appointment(db_session, setup, at(2 + i // 8, time(9 + i % 8)), client=i)
    with_forty = overlaps()

    assert with_two == with_forty == 2
