"""The week grid in the shape the browser calendar draws: rectangular rows × days, with labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from portal_app.domain.time_display import clock_label, date_label, zone_abbreviation
from portal_app.domain.week_grid import CellState, WeekGrid

_OWN_MARKS = {
    CellState.YOUR_REQUEST: ("Your request", "request"),
    CellState.YOUR_APPOINTMENT: ("Your appointment", "appointment"),
}


@dataclass(frozen=True)
class DayHeading:
    """A day column: ``key`` (ISO date), ``short`` (``Mon 30``), ``long`` (``Mon, Nov 30, 2026``)
    and the ``zone`` abbreviation its times are in (``CST``; empty when not said)."""

    key: str
    short: str
    long: str
    zone: str = ""


@dataclass(frozen=True)
class RowHeading:
    """A row: ``key`` (ISO time), its ``label`` (``9:15 AM``), and whether it starts an ``hour``."""

    key: str
    label: str
    hour: bool


@dataclass(frozen=True)
class Mark:
    """A block drawn over the grid; one with an ``id`` is a button opening that appointment."""

    day: int
    row: int
    minutes: int
    text: str
    tone: str
    id: int = 0
    label: str = ""


@dataclass(frozen=True)
class CellChoice:
    """A chosen cell: day column, row, and the session's length in minutes."""

    day: int
    row: int
    minutes: int


@dataclass(frozen=True)
class CalendarView:
    """Everything the week picker needs, as compact lists; ``starts[d][r]`` is 0 where no cell is.

    ``states[d][r]`` is a ``CellState`` value; ``lengths[d][r]`` the session lengths (minutes)
    that may start in that cell; ``starts[d][r]`` its start in UTC epoch seconds.
    """

    days: list[DayHeading] = field(default_factory=list)
    rows: list[RowHeading] = field(default_factory=list)
    states: list[list[str]] = field(default_factory=list)
    lengths: list[list[list[int]]] = field(default_factory=list)
    starts: list[list[int]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    increment: int = 15
    has_free_time: bool = False


def locate(view: CalendarView, start: int, minutes: int) -> CellChoice | None:
    """In ``view``, the free cell starting at ``start`` that allows ``minutes``, if there is one."""
    for day, day_starts in enumerate(view.starts):
        if start in day_starts:
            row = day_starts.index(start)
            if view.states[day][row] == CellState.FREE and minutes in view.lengths[day][row]:
                return CellChoice(day=day, row=row, minutes=minutes)
    return None


def day_headings(days: list[date], zone: str = "") -> list[DayHeading]:
    """The column headings for ``days``, with the abbreviation of ``zone`` on each when given."""
    return [
        DayHeading(
            key=d.isoformat(),
            short=f"{d:%a} {d.day}",
            long=date_label(d),
            zone=zone_abbreviation(d, zone) if zone else "",
        )
        for d in days
    ]


def row_headings(rows: list[time]) -> list[RowHeading]:
    """The row headings for the wall-clock ``rows``."""
    return [RowHeading(key=r.isoformat(), label=clock_label(r), hour=r.minute == 0) for r in rows]


def calendar_view(grid: WeekGrid) -> CalendarView:
    """Lay ``grid`` out row by row; the viewer's own sessions become labelled marks."""
    row_of = {value: index for index, value in enumerate(grid.rows)}
    size = len(grid.rows)
    states = [[CellState.UNAVAILABLE.value] * size for _ in grid.days]
    lengths: list[list[list[int]]] = [[[] for _ in range(size)] for _ in grid.days]
    starts = [[0] * size for _ in grid.days]
    marks: list[dict] = []
    for d, day in enumerate(grid.days):
        current_mark: dict | None = None
        for start, cell in zip(day.start_seconds, day.cells(), strict=True):
            r = row_of[cell.local_time]
            if starts[d][r]:
                # The viewer's clocks went back: the repeated wall-clock time keeps its first instant.
                continue
            states[d][r] = cell.state.value
            lengths[d][r] = list(cell.durations_minutes)
            starts[d][r] = start
            if cell.state in _OWN_MARKS:
                if current_mark and current_mark["id"] == cell.appointment_id:
                    current_mark["minutes"] += grid.increment_minutes
                    continue
                text, tone = _OWN_MARKS[cell.state]
                current_mark = {
                    "day": d,
                    "row": r,
                    "minutes": grid.increment_minutes,
                    "text": text,
                    "tone": tone,
                }
                current_mark["id"] = cell.appointment_id
                marks.append(current_mark)
            else:
                current_mark = None
    return CalendarView(
        days=day_headings([day.day for day in grid.days], grid.display_zone),
        rows=row_headings(list(grid.rows)),
        states=states,
        lengths=lengths,
        starts=starts,
        marks=[Mark(**{key: value for key, value in mark.items() if key != "id"}) for mark in marks],
        increment=grid.increment_minutes,
        has_free_time=any(CellState.FREE in day for day in states),
    )
