"""The availability service over a real (in-memory SQLite) database."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, text

from portal_app import models as m
from portal_app.domain.availability import bookable_starts, build_schedule
from portal_app.domain.availability_inputs import BookingChoice
from portal_app.domain.bookability import BookingProblem
from portal_app.domain.week_grid import CellState
from portal_app.services.availability import (
    SlotRequest,
    bookable_slots,
    check_bookable,
    week_grid,
    wizard_choices,
)
from portal_app.services.availability.loaders import load_availability, load_policy_and_service
from tests.factories import (
    make_appointment,
    make_block,
    make_client,
    make_clinician,
    make_exception,
    make_location,
    make_practice,
    make_service,
)

NEW_YORK = ZoneInfo("America/New_York")
TUESDAY = date(2026, 4, 7)
NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), NEW_YORK)


@pytest.fixture
def practice(db_session):
    """A practice with one office, one service and two clinicians working 9-17 on weekdays."""
    practice = make_practice(db_session, buffer_minutes=10, minimum_notice_hours=24)
    office = make_location(db_session, practice)
    service = make_service(db_session, practice, durations_minutes=[50])
    clinicians = [make_clinician(db_session, practice, slug=slug) for slug in ("ana", "ben")]
    for clinician in clinicians:
        make_block(db_session, clinician, office, [service])
    client = make_client(db_session, practice, email="client@example.com")
    other_client = make_client(db_session, practice, email="other@example.com")
    return {
        "practice": practice,
        "office": office,
        "service": service,
        "ana": clinicians[0],
        "ben": clinicians[1],
        "client": client,
        "other_client": other_client,
    }


def query(world, clinician, **overrides) -> SlotRequest:
    values = {
        "clinician_id": clinician.id,
        "service_id": world["service"].id,
        "location_id": world["office"].id,
        "forum": m.Forum.IN_PERSON,
        "is_new_client": False,
    }
    return SlotRequest(**(values | overrides))


def tuesday_slots(session, world, clinician, **overrides) -> list[str]:
    starts = bookable_slots(
        session=session,
        slot_request=query(world, clinician, **overrides),
        window_start=at(TUESDAY, 0),
        window_end=at(TUESDAY + timedelta(days=1), 0),
        now=NOW,
    )
    return [start.astimezone(NEW_YORK).strftime("%H:%M") for start in starts]


def book(session, world, clinician, hour, *, status=m.AppointmentStatus.REQUESTED, client="other_client"):
    return make_appointment(
        session,
        clinician=clinician,
        client=world[client],
        service=world["service"],
        location=world["office"],
        starts_at=at(TUESDAY, hour),
        status=status,
    )


def test_one_clinicians_booking_never_takes_anothers_time(db_session, practice):
    book(db_session, practice, practice["ana"], 10, status=m.AppointmentStatus.CONFIRMED)
    assert "10:00" not in tuesday_slots(db_session, practice, practice["ana"])
    assert "10:00" in tuesday_slots(db_session, practice, practice["ben"])


@pytest.mark.parametrize(
    ("status", "holds_time"),
    [
        (m.AppointmentStatus.REQUESTED, True),
        (m.AppointmentStatus.CONFIRMED, True),
        (m.AppointmentStatus.DECLINED, False),
        (m.AppointmentStatus.WITHDRAWN, False),
        (m.AppointmentStatus.CANCELLED, False),
        (m.AppointmentStatus.COMPLETED, False),
    ],
)
def test_only_pending_and_confirmed_appointments_hold_time(db_session, practice, status, holds_time):
    book(db_session, practice, practice["ana"], 10, status=status)
    slots = tuesday_slots(db_session, practice, practice["ana"])
    # 10:00-10:50 plus the 10-minute buffer on each side: 09:00 ends at 09:50 and fits; 09:15 does not.
    assert ("10:00" not in slots) == holds_time
    assert ("09:15" not in slots) == holds_time
    assert "09:00" in slots
    assert "11:00" in slots


def test_a_declined_request_frees_its_time_once_declined(db_session, practice):
    request = book(db_session, practice, practice["ana"], 10)
    assert "10:00" not in tuesday_slots(db_session, practice, practice["ana"])
    request.status = m.AppointmentStatus.DECLINED
    db_session.add(request)
    db_session.commit()
    assert "10:00" in tuesday_slots(db_session, practice, practice["ana"])


def test_the_request_being_moved_does_not_block_its_own_new_time(db_session, practice):
    request = book(db_session, practice, practice["ana"], 10, client="client")
    slots = tuesday_slots(db_session, practice, practice["ana"], ignore_appointment_id=request.id)
    assert "10:15" in slots


def test_the_grid_shows_the_viewers_request_as_theirs_and_others_as_unavailable(db_session, practice):
    mine = book(db_session, practice, practice["ana"], 10, client="client")
    book(db_session, practice, practice["ana"], 14)
    grid = week_grid(
        session=db_session,
        slot_request=query(practice, practice["ana"], viewer_client_id=practice["client"].id),
        first_day=date(2026, 4, 6),
        display_zone="America/New_York",
        now=NOW,
    )
    tuesday = {cell.local_time: cell for cell in grid.days[1].cells()}
    assert tuesday[time(10)].state is CellState.YOUR_REQUEST
    assert tuesday[time(10)].appointment_id == mine.id
    assert tuesday[time(14)].state is CellState.UNAVAILABLE
    assert tuesday[time(14)].appointment_id is None
    assert tuesday[time(11)].state is CellState.FREE


def test_check_bookable_explains_a_conflict_and_accepts_a_free_time(db_session, practice):
    book(db_session, practice, practice["ana"], 10)
    ana = query(practice, practice["ana"])
    taken = check_bookable(
        session=db_session, slot_request=ana, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 10, 50), now=NOW
    )
    assert taken.problem is BookingProblem.OVERLAPS_APPOINTMENT
    free = check_bookable(
        session=db_session, slot_request=ana, starts_at=at(TUESDAY, 13), ends_at=at(TUESDAY, 13, 50), now=NOW
    )
    assert free.ok


def test_extra_hours_and_time_off_from_the_database_count(db_session, practice):
    ana = practice["ana"]
    saturday = TUESDAY + timedelta(days=4)
    make_exception(
        db_session,
        ana,
        kind=m.ExceptionKind.EXTRA_HOURS,
        starts_at=at(saturday, 10),
        ends_at=at(saturday, 12),
        location=practice["office"],
        services=[practice["service"]],
    )
    make_exception(
        db_session, ana, kind=m.ExceptionKind.TIME_OFF, starts_at=at(TUESDAY, 0), ends_at=at(TUESDAY, 23)
    )
    assert tuesday_slots(db_session, practice, ana) == []
    saturday_slots = bookable_slots(
        session=db_session,
        slot_request=query(practice, ana),
        window_start=at(saturday, 0),
        window_end=at(saturday, 23),
        now=NOW,
    )
    assert saturday_slots[0] == at(saturday, 10)


def test_a_service_of_another_practice_is_refused(db_session, practice):
    elsewhere = make_practice(db_session, name="Elsewhere")
    foreign = make_service(db_session, elsewhere)
    with pytest.raises(LookupError):
        tuesday_slots(db_session, practice, practice["ana"], service_id=foreign.id)


def load_for_everyone(session, world, *, days: int = 1):
    """What the engine needs for every clinician of the practice at once, as ``bench`` loads it."""
    clinician_ids = list(
        session.scalars(
            select(m.Clinician.id)
            .where(m.Clinician.practice_id == world["practice"].id)
            .order_by(m.Clinician.id)
        )
    )
    policy, _ = load_policy_and_service(
        session, clinician_id=clinician_ids[0], service_id=world["service"].id
    )
    return load_availability(
        session=session,
        clinician_ids=clinician_ids,
        policy=policy,
        window_start=at(TUESDAY, 0),
        window_end=at(TUESDAY, 0) + timedelta(days=days),
        reach=timedelta(minutes=50),
    )


def test_loading_every_clinician_at_once_gives_each_their_own_slots(db_session, practice):
    book(db_session, practice, practice["ana"], 10)
    book(db_session, practice, practice["ben"], 15, status=m.AppointmentStatus.CONFIRMED)
    policy, service = load_policy_and_service(
        db_session, clinician_id=practice["ana"].id, service_id=practice["service"].id
    )
    choice = BookingChoice(service, practice["office"].id, m.Forum.IN_PERSON, is_new_client=False)
    window = {"window_start": at(TUESDAY, 0), "window_end": at(TUESDAY + timedelta(days=1), 0)}
    everyone = load_for_everyone(db_session, practice)
    for name in ("ana", "ben"):
        clinician = practice[name]
        inputs = everyone[clinician.id]
        schedule = build_schedule(
            blocks=inputs.blocks,
            extra_hours=inputs.extra_hours,
            time_off=inputs.time_off,
            busy=inputs.busy,
            policy=policy,
            now=NOW,
            **window,
        )
        own = bookable_slots(session=db_session, slot_request=query(practice, clinician), now=NOW, **window)
        assert own
        assert bookable_starts(schedule, choice) == own


def test_wizard_choices_follow_current_blocks_and_upcoming_extra_hours(db_session, practice):
    ana, office = practice["ana"], practice["office"]
    annex = make_location(db_session, practice["practice"], name="Annex")
    couples = make_service(db_session, practice["practice"], name="Couples Therapy", new_clients_allowed=True)
    make_block(db_session, ana, annex, [couples], telehealth=True, in_person=False)
    expired = make_service(db_session, practice["practice"], name="Old Group")
    make_block(db_session, ana, office, [expired], valid_until=date(2026, 3, 1))
    make_exception(
        db_session,
        ana,
        kind=m.ExceptionKind.EXTRA_HOURS,
        starts_at=at(TUESDAY, 18),
        ends_at=at(TUESDAY, 20),
        location=office,
        services=[couples],
    )

    existing = wizard_choices(session=db_session, clinician_id=ana.id, is_new_client=False, now=NOW)
    assert existing.locations == (office.id, annex.id)
    assert existing.forums(annex.id) == (m.Forum.TELEHEALTH,)
    assert existing.services(office.id, m.Forum.IN_PERSON) == (couples.id, practice["service"].id)

    new = wizard_choices(session=db_session, clinician_id=ana.id, is_new_client=True, now=NOW)
    assert new.services(office.id, m.Forum.IN_PERSON) == (couples.id,)


# --- bounded queries ---------------------------------------------------------------------------


@contextmanager
def recorded_statements(engine):
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def add_history(session, world, clinician, *, weeks: int):
    """Four confirmed sessions a week for ``weeks`` weeks before the window."""
    rows = []
    for week in range(1, weeks + 1):
        for day in range(4):
            start = at(TUESDAY - timedelta(weeks=week) + timedelta(days=day - 1), 11)
            rows.append(
                m.Appointment(
                    practice_id=clinician.practice_id,
                    clinician_id=clinician.id,
                    client_id=world["client"].id,
                    service_id=world["service"].id,
                    location_id=world["office"].id,
                    forum=m.Forum.IN_PERSON,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=50),
                    status=m.AppointmentStatus.CONFIRMED,
                )
            )
    session.add_all(rows)
    session.commit()


def test_one_clinicians_slots_take_four_queries(db_session, engine, practice):
    ana = query(practice, practice["ana"])  # read the ids before counting
    with recorded_statements(engine) as statements:
        bookable_slots(
            session=db_session,
            slot_request=ana,
            window_start=at(TUESDAY, 0),
            window_end=at(TUESDAY, 23),
            now=NOW,
        )
    assert len(statements) == 4


def test_loading_a_practice_takes_three_queries_whatever_the_number_of_clinicians(
    db_session, engine, practice
):
    def run():
        with recorded_statements(engine) as statements:
            loaded = load_availability(
                session=db_session,
                clinician_ids=clinician_ids,
                policy=policy,
                window_start=at(TUESDAY, 0),
                window_end=at(TUESDAY, 0) + timedelta(days=30),
                reach=timedelta(minutes=50),
            )
        assert all(inputs.blocks for inputs in loaded.values())
        return len(statements), len(loaded)

    policy, _ = load_policy_and_service(
        db_session, clinician_id=practice["ana"].id, service_id=practice["service"].id
    )
    clinician_ids = [practice["ana"].id, practice["ben"].id]
    assert run() == (3, 2)
    for slug in ("cal", "dee", "eve", "fay"):
        clinician = make_clinician(db_session, practice["practice"], slug=slug)
        make_block(db_session, clinician, practice["office"], [practice["service"]])
        clinician_ids.append(clinician.id)
    assert run() == (3, 6)


INDEXED_RANGE = "USING INDEX ix_appointment_clinician_start (clinician_id=? AND starts_at>? AND starts_at<?)"


def appointment_query_plan(db_session, engine, read) -> str:
    with recorded_statements(engine) as statements:
        read()
    (statement, parameters), *_ = (item for item in statements if "FROM appointment" in item[0])
    plan = db_session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return " ".join(row[-1] for row in plan)


def test_appointments_are_read_through_the_clinician_start_index_within_the_window(
    db_session, engine, practice
):
    add_history(db_session, practice, practice["ana"], weeks=20)
    ana = query(practice, practice["ana"])
    details = appointment_query_plan(
        db_session,
        engine,
        lambda: bookable_slots(
            session=db_session,
            slot_request=ana,
            window_start=at(TUESDAY, 0),
            window_end=at(TUESDAY, 23),
            now=NOW,
        ),
    )
    assert INDEXED_RANGE in details
    assert "SCAN appointment" not in details


def test_loading_a_practice_reads_appointments_through_the_same_index(db_session, engine, practice):
    add_history(db_session, practice, practice["ben"], weeks=20)
    # From about ten clinicians on, SQLite would pick the status index if given the chance.
    for n in range(10):
        make_clinician(db_session, practice["practice"], slug=f"extra-{n}")
    details = appointment_query_plan(
        db_session, engine, lambda: load_for_everyone(db_session, practice, days=30)
    )
    # Not the status index, which would read every pending appointment of the practice.
    assert INDEXED_RANGE in details


def sqlite_steps(session, call) -> int:
    """How much work SQLite did (virtual machine instructions) while ``call`` ran."""
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0

    raw = session.connection().connection.dbapi_connection
    raw.set_progress_handler(count, 1)
    try:
        call()
    finally:
        raw.set_progress_handler(None, 1)
    return steps


def test_the_database_work_does_not_grow_with_history(db_session, practice):
    def ana_slots():
        return tuesday_slots(db_session, practice, practice["ana"])

    ana_slots()  # warm the statement cache
    add_history(db_session, practice, practice["ana"], weeks=4)
    short = sqlite_steps(db_session, ana_slots)
    add_history(db_session, practice, practice["ana"], weeks=100)  # two years more, same weeks twice
    db_session.execute(text("ANALYZE"))
    long = sqlite_steps(db_session, ana_slots)
    # The index walk is a level or two deeper; scanning the history would cost ten times more.
    assert long < short * 1.5
