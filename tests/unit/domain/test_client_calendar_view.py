"""The client's Calendar tab: rows, free cells, own sessions, the month grid."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal_app.domain.client_calendar_view import (
    BookingWindow,
    client_week_view,
    monday_of,
    month_after,
    month_view,
    row_minutes,
)
from portal_app.domain.staff_calendar_view import SessionMark

CHICAGO = "America/Chicago"
MONDAY = date(2026, 12, 7)


def _at(day: date, clock: time, zone: str = CHICAGO) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _session(start: datetime, *, pending: bool, minutes: int = 50, appointment_id: int = 7) -> SessionMark:
    return SessionMark(
        appointment_id=appointment_id,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        pending=pending,
        who="Maya Chen",
        what="Individual Therapy",
        status_label="Unconfirmed" if pending else "Confirmed",
    )


def _window(opens: datetime, closes: datetime) -> BookingWindow:
    return BookingWindow(opens=opens, closes=closes, increment=15, lengths=(25, 50))


@pytest.mark.parametrize(
    ("increment", "row"), [(5, 30), (10, 30), (15, 30), (20, 60), (25, 25), (30, 30), (45, 45), (60, 60)]
)
def test_rows_are_half_hours_made_of_whole_increments(increment, row):
    assert row_minutes(increment) == row


def test_months_and_weeks_step_across_years():
    assert month_after(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert month_after(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert monday_of(date(2026, 12, 10)) == MONDAY


def test_own_sessions_are_marked_in_their_cells_and_the_window_bounds_free_time():
    confirmed = _session(_at(MONDAY, time(9)), pending=False)
    request = _session(_at(MONDAY + timedelta(days=3), time(14)), pending=True, appointment_id=8)
    window = _window(_at(MONDAY, time(12)), _at(MONDAY + timedelta(days=5), time(0)))
    view = client_week_view(items=[confirmed, request], first_day=MONDAY, zone=CHICAGO, window=window)

    labels = [row.label for row in view.rows]
    assert labels[0] == "7:00 AM"
    assert labels[-1] == "7:30 PM"
    assert view.increment == 30
    nine, two = labels.index("9:00 AM"), labels.index("2:00 PM")
    assert view.states[0][nine] == view.states[0][nine + 1] == "your_appointment"
    assert view.states[3][two] == "your_request"
    assert view.states[0][nine - 1] == "unavailable"  # before the window opens
    assert view.states[0][labels.index("12:00 PM")] == "free"
    assert view.lengths[0][labels.index("12:00 PM")] == [25, 50]
    assert view.states[5][two] == "unavailable"  # the horizon has closed
    assert view.starts[0][nine] == int(confirmed.starts_at.timestamp())

    marks = {mark.id: mark for mark in view.marks}
    assert (marks[7].day, marks[7].row, marks[7].minutes, marks[7].tone) == (0, nine, 50, "appointment")
    assert marks[8].tone == "request"
    # What the mark shows first (its name contains its visible text), then what it leaves out.
    assert marks[8].label == "2:00 PM Maya Chen · Unconfirmed, Individual Therapy, Thu, Dec 10, 2026, CST"
    assert marks[8].label.startswith(marks[8].text)
    assert "Unconfirmed" in marks[8].text


def test_no_online_requests_means_no_free_cell():
    view = client_week_view(items=[], first_day=MONDAY, zone=CHICAGO, window=None)
    assert not view.has_free_time
    assert {state for day in view.states for state in day} == {"unavailable"}


def test_a_skipped_hour_has_no_cell():
    # Clocks go forward at 2:00 on 8 March 2026 in Chicago; a 1:30 AM session widens the rows.
    monday = date(2026, 3, 2)
    early = _session(_at(date(2026, 3, 7), time(1, 30)), pending=False)
    window = _window(_at(monday, time(0)), _at(monday + timedelta(days=7), time(0)))
    view = client_week_view(items=[early], first_day=monday, zone=CHICAGO, window=window)
    two = [row.label for row in view.rows].index("2:00 AM")
    assert view.starts[6][two] == 0
    assert view.states[6][two] == "unavailable"
    assert view.states[4][two] == "free"


def test_the_month_is_whole_weeks_with_each_session_on_its_day():
    sessions = [_session(_at(MONDAY, time(9)), pending=False), _session(_at(MONDAY, time(23)), pending=True)]
    days = month_view(items=sessions, month=date(2026, 12, 1), zone=CHICAGO, today=date(2026, 12, 3))
    assert len(days) == 35
    assert days[0].key == "2026-11-30"
    assert not days[0].in_month
    assert days[-1].key == "2027-01-03"
    monday = next(day for day in days if day.key == MONDAY.isoformat())
    assert [item.text for item in monday.sessions] == [
        "9:00 AM Maya Chen · Confirmed",
        "11:00 PM Maya Chen · Unconfirmed",
    ]
    assert [day.today for day in days].count(True) == 1
