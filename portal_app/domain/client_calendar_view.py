"""The client's Calendar tab: their sessions on a week (or a month), and the time they may ask for.

PURE: no database, no clock; ``now``-derived bounds and zones come in as arguments.

The client has not chosen a provider yet, so "free" cannot mean one clinician's availability. The
rule is simple and honest: a cell is free when it starts inside the practice's booking window
(after the minimum notice, before the horizon) and none of the client's own sessions covers it.
The booking wizard then checks the time against the provider the client chooses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal_app.domain.calendar_view import CalendarView, day_headings, row_headings
from portal_app.domain.staff_calendar_view import SessionMark, session_week
from portal_app.domain.time_display import clock_label, date_label
from portal_app.domain.week_grid import CellState

MIN_ROW_MINUTES = 30
"""Rows are at least half an hour, so a working day fits on one screen."""


@dataclass(frozen=True)
class BookingWindow:
    """Where a client may ask for time: ``[opens, closes)``, in steps aligned to ``increment``."""

    opens: datetime
    closes: datetime
    increment: int
    # Session lengths the practice's services allow, shortest first (what a drag snaps to).
    lengths: tuple[int, ...]


def row_minutes(increment: int) -> int:
    """The calendar's row: the practice's increment, or the smallest multiple of it that is at
    least half an hour and divides an hour (15 → 30); an increment with none stays as it is."""
    for multiple in range(increment, 61, increment):
        if multiple >= MIN_ROW_MINUTES and 60 % multiple == 0:
            return multiple
    return increment


def monday_of(day: date) -> date:
    """The Monday of ``day``'s week: a month grid runs Monday to Sunday (week views start on
    today's weekday instead, ``time_display.week_containing``)."""
    return day - timedelta(days=day.weekday())


def month_after(first: date, step: int) -> date:
    """The first day of the month ``step`` months after ``first``'s (back when negative)."""
    index = first.year * 12 + first.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


def client_week_view(
    *, items: list[SessionMark], first_day: date, zone: str, window: BookingWindow | None
) -> CalendarView:
    """Seven days from ``first_day`` in ``zone``: the client's sessions as marks that open them,
    the cells they cover as theirs, and the rest free or unavailable (see the module docstring).

    ``window`` None: the practice takes no online requests, so no cell is free.
    """
    increment = row_minutes(window.increment if window else MIN_ROW_MINUTES)
    week = session_week(items=items, first_day=first_day, zone=zone, increment=increment, with_status=True)
    tz = ZoneInfo(zone)
    states: list[list[str]] = []
    lengths: list[list[list[int]]] = []
    starts: list[list[int]] = []
    for day in week.days:
        day_states, day_lengths, day_starts = [], [], []
        for row in week.rows:
            start = _instant(day, row, tz)
            state = _cell_state(start, increment, items, window)
            day_states.append(state.value)
            day_lengths.append(list(window.lengths) if window and state == CellState.FREE else [])
            day_starts.append(int(start.timestamp()) if start else 0)
        states.append(day_states)
        lengths.append(day_lengths)
        starts.append(day_starts)
    return CalendarView(
        days=day_headings(week.days, zone),
        rows=row_headings(week.rows),
        states=states,
        lengths=lengths,
        starts=starts,
        marks=week.marks,
        increment=increment,
        has_free_time=any(CellState.FREE.value in day for day in states),
    )


def _instant(day: date, row: time, tz: ZoneInfo) -> datetime | None:
    """The instant ``row`` on ``day`` is, or None when the clocks skip it (spring forward)."""
    local = datetime.combine(day, row, tzinfo=tz)
    instant = local.astimezone(ZoneInfo("UTC"))
    return instant if instant.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None) else None


def _cell_state(
    start: datetime | None, increment: int, items: list[SessionMark], window: BookingWindow | None
) -> CellState:
    if start is None:
        return CellState.UNAVAILABLE
    end = start + timedelta(minutes=increment)
    for item in items:
        if item.starts_at < end and start < item.ends_at:
            return CellState.YOUR_REQUEST if item.pending else CellState.YOUR_APPOINTMENT
    if window and window.opens <= start < window.closes:
        return CellState.FREE
    return CellState.UNAVAILABLE


@dataclass(frozen=True)
class MonthItem:
    """One session in a day of the month view: a button opening its details."""

    id: int
    text: str
    label: str
    tone: str


@dataclass(frozen=True)
class MonthDay:
    """One day square of the month view (``key`` is its ISO date, ``label`` its long name)."""

    key: str
    number: int
    label: str
    in_month: bool
    today: bool
    sessions: list[MonthItem] = field(default_factory=list)


def month_view(*, items: list[SessionMark], month: date, zone: str, today: date) -> list[MonthDay]:
    """Whole weeks (Monday first) covering ``month``'s month, each day with its sessions."""
    tz = ZoneInfo(zone)
    first = month.replace(day=1)
    following = month_after(first, 1)
    by_day: dict[date, list[MonthItem]] = {}
    for item in sorted(items, key=lambda item: item.starts_at):
        start = item.starts_at.astimezone(tz)
        by_day.setdefault(start.date(), []).append(
            MonthItem(
                id=item.appointment_id,
                text=f"{clock_label(start.time())} {item.who} · {item.status_word()}",
                label=item.label(tz),
                tone="request" if item.pending else "appointment",
            )
        )
    day, days = monday_of(first), []
    while day < following or day.weekday() != 0:
        days.append(
            MonthDay(
                key=day.isoformat(),
                number=day.day,
                label=date_label(day),
                in_month=day.month == first.month,
                today=day == today,
                sessions=by_day.get(day, []),
            )
        )
        day += timedelta(days=1)
    return days
