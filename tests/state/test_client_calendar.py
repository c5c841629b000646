"""The client's Calendar tab and the wizard it opens at a time, driven as a (hostile) browser could."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from portal_app import database
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Client, Clinician, Service
from portal_app.state import wording
from portal_app.state.appointments import ClientAppointmentsState
from portal_app.state.calendar_booking import CalendarBookingState
from portal_app.state.client_calendar import ClientCalendarState
from tests.state.conftest import browser_for, refused_as_bad_input, run

ALEX = "alex.rivera@example.com"
SAM = "sam.taylor@example.com"
ZONE = "America/Chicago"
PRACTICE_ZONE = ZoneInfo("America/New_York")


def _appointments(email: str) -> list[Appointment]:
    with database.open_session() as session:
        client = session.exec(select(Client).where(Client.email == email)).one()
        return list(session.exec(select(Appointment).where(Appointment.client_id == client.id)).all())


def _calendar(email: str = ALEX) -> ClientCalendarState:
    state = browser_for(email).state(ClientCalendarState, path="/calendar")
    state.browser_zone = ZONE
    return state


def _wizard(email: str = ALEX) -> CalendarBookingState:
    state = browser_for(email).state(CalendarBookingState, path="/calendar")
    state.browser_zone = ZONE
    return state


def _robin_individual() -> tuple[str, str]:
    with database.open_session() as session:
        robin = session.exec(select(Clinician.id).where(Clinician.slug == "robin-park")).one()
        individual = session.exec(select(Service.id).where(Service.name == "Individual Therapy")).one()
    return str(robin), str(individual)


def _practice_time(days_ahead: int, at: time) -> int:
    day = datetime.now(PRACTICE_ZONE).date() + timedelta(days=days_ahead)
    return int(datetime.combine(day, at, tzinfo=PRACTICE_ZONE).timestamp())


def _choose_robin_individual(state: CalendarBookingState) -> None:
    robin, individual = _robin_individual()
    run(state, "choose_provider", robin)
    run(state, "choose_service", individual)
    run(state, "keep_time", individual)


def _today() -> date:
    return datetime.now(ZoneInfo(ZONE)).date()


def test_the_week_shows_the_clients_own_sessions_in_their_cells_and_nobody_elses(app_db):
    state = _calendar()
    run(state, "load")

    upcoming = [
        a
        for a in _appointments(ALEX)
        if a.status in (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)
        and a.starts_at > datetime.now(UTC)
    ]
    calendar = state.calendar
    shown = {mark.id: mark for mark in calendar.marks}
    next_one = min(upcoming, key=lambda a: a.starts_at)
    assert next_one.id in shown, "the week holding the next appointment is shown"
    mark = shown[next_one.id]
    local = next_one.starts_at.astimezone(ZoneInfo(ZONE))
    assert calendar.days[mark.day].key == local.date().isoformat()
    assert calendar.rows[mark.row].label == f"{local.hour % 12 or 12}:{local.minute:02d} {local:%p}"
    expected = "your_request" if next_one.status == AppointmentStatus.REQUESTED else "your_appointment"
    assert calendar.states[mark.day][mark.row] == expected
    assert ("Unconfirmed" if expected == "your_request" else "Confirmed") in mark.label
    assert state.week_label.startswith("Week of ")
    assert state.zone_label.startswith("America/Chicago")
    # Every week view starts on today's weekday (the wizard's and the therapist's too).
    assert date.fromisoformat(calendar.days[0].key).weekday() == _today().weekday()

    sams = {a.id for a in _appointments(SAM)}
    assert not sams & set(shown)


def test_free_time_is_only_ahead_inside_the_booking_window(app_db):
    state = _calendar()
    run(state, "load")
    now = datetime.now(UTC).timestamp()
    calendar = state.calendar
    for day, cells in enumerate(calendar.states):
        for row, cell in enumerate(cells):
            if cell == "free":
                # The demo practice asks for 24 hours' notice.
                assert calendar.starts[day][row] >= now + 24 * 3600
                assert calendar.lengths[day][row]
    # Far beyond the 60-day horizon nothing is free.
    for _ in range(12):
        run(state, "change_week", 1)
    assert not state.calendar.has_free_time


def test_month_view_lists_sessions_and_a_day_opens_its_week(app_db):
    state = _calendar()
    run(state, "load")
    week_ids = {mark.id for mark in state.calendar.marks}
    run(state, "show_mode", "month")
    assert state.mode == "month"
    listed = {item.id for day in state.month_days for item in day.sessions}
    assert week_ids <= listed
    assert len(state.month_days) % 7 == 0
    target = next(day for day in state.month_days if day.sessions)
    run(state, "show_week_of", target.key)
    assert state.mode == "week"
    assert target.sessions[0].id in {mark.id for mark in state.calendar.marks}


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        ("change_week", (5,)),
        ("change_month", ("1",)),
        ("show_week_of", ("not a date",)),
        ("show_week_of", ("2299-01-01",)),
        ("show_week_of", (20260101,)),
    ],
)
def test_forged_navigation_changes_nothing(app_db, handler, args):
    state = _calendar()
    run(state, "load")
    before = (state.mode, state.week_label, state.calendar)

    assert refused_as_bad_input(run(state, handler, *args))
    assert (state.mode, state.week_label, state.calendar) == before


def test_a_mode_that_does_not_exist_is_ignored(app_db):
    state = _calendar()
    run(state, "load")
    run(state, "show_mode", "year")
    assert state.mode == "week"


def test_free_time_opens_the_wizard_there_and_the_request_is_made_at_it(app_db):
    start = _practice_time(10, time(16))  # 3:00 PM in Chicago
    state = _wizard()
    run(state, "open_at", start, 50)
    assert state.is_open
    assert state.purpose == "new"
    assert state.notice.startswith("You chose ")
    assert "3:00 PM" in state.notice

    _choose_robin_individual(state)
    assert state.selected_start == start, state.error
    assert state.selected_minutes == 50
    assert "Robin Park" in state.notice
    assert state.error == ""
    assert date.fromisoformat(state.week_start).weekday() == _today().weekday()

    run(state, "save")
    assert state.step == "review", state.error

    async def submit():
        return [event async for event in type(state).submit.fn(state)]

    asyncio.run(submit())
    assert state.step == "done"
    booked = [a for a in _appointments(ALEX) if int(a.starts_at.timestamp()) == start]
    assert [a.status for a in booked] == [AppointmentStatus.REQUESTED]


def test_a_dragged_length_the_service_does_not_allow_becomes_its_own(app_db):
    start = _practice_time(10, time(16))
    state = _wizard()
    run(state, "open_at", start, 25)
    _choose_robin_individual(state)
    assert state.selected_start == start
    assert state.selected_minutes == 50


def test_a_time_the_provider_cannot_offer_is_said_and_another_can_be_chosen(app_db):
    start = _practice_time(10, time(6))  # Robin Park starts at 8:00
    state = _wizard()
    run(state, "open_at", start, 50)
    _choose_robin_individual(state)

    assert state.selected_start == 0
    assert "cannot offer Individual Therapy" in state.notice
    assert "Robin Park" in state.notice
    wanted_day = datetime.fromtimestamp(start, ZoneInfo(ZONE)).date()
    assert (
        date.fromisoformat(state.week_start)
        <= wanted_day
        < date.fromisoformat(state.week_start) + timedelta(7)
    )
    assert state.calendar.has_free_time

    calendar = state.calendar
    day, row = next(
        (d, r) for d, cells in enumerate(calendar.states) for r, c in enumerate(cells) if c == "free"
    )
    run(state, "select_time", calendar.starts[day][row], calendar.lengths[day][row][0])
    assert state.selected_start


@pytest.mark.parametrize("start", [1, int(datetime.now(UTC).timestamp()) - 3600, 4_000_000_000])
def test_a_forged_or_stale_time_opens_the_wizard_without_it(app_db, start):
    state = _wizard()
    run(state, "open_at", start, 50)
    assert state.is_open
    assert state.notice == wording.CALENDAR_TIME_GONE
    _choose_robin_individual(state)
    assert state.selected_start == 0
    assert state.error == ""


@pytest.mark.parametrize(
    "args", [("1700000000", 50), (True, 50), (2**60, 50), (_practice_time(10, time(16)), 0), (None, None)]
)
def test_junk_arguments_are_refused(app_db, args):
    state = _wizard()
    assert refused_as_bad_input(run(state, "open_at", *args))
    assert not state.is_open


def test_a_wish_is_forgotten_when_the_wizard_is_opened_another_way(app_db):
    state = _wizard()
    run(state, "open_at", _practice_time(10, time(16)), 50)
    run(state, "open_new")
    _choose_robin_individual(state)
    assert state.selected_start == 0
    assert state.error == ""


def test_another_clients_appointment_does_not_open_from_the_calendar(app_db):
    sams = next(a for a in _appointments(SAM) if a.status == AppointmentStatus.REQUESTED)
    state = browser_for(ALEX).state(ClientAppointmentsState, path="/calendar")
    run(state, "open_details", sams.id)
    assert state.detail_error == wording.NOT_FOUND
    assert state.detail.appointment.id == 0
