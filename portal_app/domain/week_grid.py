"""The week calendar the booking wizard draws: days in the viewer's zone, rows at the increment.

Grid format:

- Columns are the local days of the **display zone** (the client's browser zone, which may differ
  from the practice's), from ``week_window``.
- Cells are the instants where a session could start: aligned to the increment on the practice's
  wall clock (see ``availability``), labelled with the display zone's wall-clock time. When the
  two zones differ by a whole number of increments (the usual case) the labels fall on the same
  rows every day; ``rows`` lists the labels that occur.
- Only cells between ``first_hour`` and ``end_hour`` (display-zone hours) are produced: the hours
  in which, on any day of the week, the provider has any availability (any location or service)
  or the viewer has a session. A week with none has no cells.
- A cell is ``FREE`` exactly when ``bookable_starts`` lists its instant for one of the service's
  lengths (``durations_minutes`` says which); otherwise ``YOUR_REQUEST``/``YOUR_APPOINTMENT``
  when one of the viewer's own sessions covers part of it, else ``UNAVAILABLE``. (Free wins: a
  session of the viewer's that starts off the increment may share a cell where a new session
  can still start before it.)
- On the display zone's daylight-saving days a day has fewer or more cells; on a fall-back night
  two cells may share a label, with distinct ``starts_at``.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import repeat
from typing import NamedTuple
from zoneinfo import ZoneInfo

from portal_app.domain.availability import ClinicianSchedule, start_seconds_by_length
from portal_app.domain.availability_inputs import BookingChoice, BusyTime
from portal_app.domain.epoch_seconds import from_epoch_seconds
from portal_app.domain.intervals import Span
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.domain.zone_timeline import (
    SECONDS_PER_DAY,
    ZoneTimeline,
    date_from_day_number,
    day_number,
)


class CellState(enum.StrEnum):
    """What one calendar cell means to the viewer."""

    FREE = "free"  # a session of the chosen service can start here
    UNAVAILABLE = "unavailable"
    YOUR_REQUEST = "your_request"
    YOUR_APPOINTMENT = "your_appointment"
    OPEN = "open"  # the staff calendar: every cell is open, sessions are drawn over it


_OWN_STATE = {
    AppointmentStatus.REQUESTED: CellState.YOUR_REQUEST,
    AppointmentStatus.PROPOSED: CellState.YOUR_REQUEST,
    AppointmentStatus.CONFIRMED: CellState.YOUR_APPOINTMENT,
}


class GridCell(NamedTuple):
    """One increment of one day, as ``GridDay.cells()`` yields it."""

    starts_at: datetime  # UTC
    local_time: time  # on the display zone's wall clock
    state: CellState
    durations_minutes: tuple[int, ...]  # lengths that may start here; empty unless FREE
    appointment_id: int | None  # the viewer's own session, for YOUR_REQUEST/YOUR_APPOINTMENT


@dataclass(frozen=True, slots=True)
class GridDay:
    """One column of the calendar, stored column-wise: the i-th item of each tuple is cell i.

    Parallel tuples rather than one object per cell: a week has hundreds of cells, building an
    object for each was most of the grid's cost, and a browser calendar wants arrays anyway.
    """

    day: date
    start_seconds: tuple[int, ...]  # UTC seconds since the epoch
    local_times: tuple[time, ...]
    states: tuple[CellState, ...]
    durations_minutes: tuple[tuple[int, ...], ...]
    appointment_ids: tuple[int | None, ...]

    def cells(self) -> Iterator[GridCell]:
        """The cells one by one, each with its start as a datetime."""
        for start, local_time, state, durations, appointment_id in zip(
            self.start_seconds,
            self.local_times,
            self.states,
            self.durations_minutes,
            self.appointment_ids,
            strict=True,
        ):
            yield GridCell(from_epoch_seconds(start), local_time, state, durations, appointment_id)


@dataclass(frozen=True, slots=True)
class WeekGrid:
    """The calendar for one week, trimmed to the hours that matter."""

    display_zone: str
    increment_minutes: int
    first_hour: int
    end_hour: int  # exclusive; equals ``first_hour`` in a week with nothing to show
    rows: tuple[time, ...]
    days: tuple[GridDay, ...]


def week_window(*, first_day: date, display_zone: str, days: int = 7) -> tuple[datetime, datetime]:
    """The UTC bounds of ``days`` local days in ``display_zone``, starting with ``first_day``.

    Build the schedule over exactly this window before calling ``build_week_grid``.

    Args:
        first_day: The first column's date in the display zone.
        display_zone: The viewer's IANA zone name.
        days: Number of columns.

    Returns:
        ``(start, end)`` as aware UTC datetimes.
    """
    first_local = day_number(first_day) * SECONDS_PER_DAY
    end_local = first_local + days * SECONDS_PER_DAY
    # Local seconds are within a day of UTC seconds, so this span covers both midnights.
    timeline = ZoneTimeline.over(
        ZoneInfo(display_zone), first_local - SECONDS_PER_DAY, end_local + SECONDS_PER_DAY
    )
    return from_epoch_seconds(timeline.instant(first_local)), from_epoch_seconds(timeline.instant(end_local))


def build_week_grid(schedule: ClinicianSchedule, choice: BookingChoice, *, display_zone: str) -> WeekGrid:
    """The calendar grid over the schedule's window, as seen from ``display_zone``.

    Args:
        schedule: Built over ``week_window(...)`` for the same display zone.
        choice: Service, location, forum and kind of client.
        display_zone: The viewer's IANA zone name.

    Returns:
        The grid (see the module docstring for its format).
    """
    window_start, window_end = schedule.window
    display = ZoneTimeline.over(
        ZoneInfo(display_zone), window_start - SECONDS_PER_DAY, window_end + SECONDS_PER_DAY
    )
    shown = [(item.start_seconds, item.end_seconds) for item in schedule.viewers_busy]
    shown.extend(schedule.available_windows())
    first_hour, end_hour = _hour_range(display, _clip(shown, window_start, window_end))

    durations_at: dict[int, tuple[int, ...]] = {}
    for minutes, starts_of_length in start_seconds_by_length(schedule, choice).items():
        for start in starts_of_length:
            durations_at[start] = (*durations_at.get(start, ()), minutes)

    step = schedule.policy.slot_increment_minutes * 60
    first_tod, end_tod = first_hour * 3600, end_hour * 3600
    labels: dict[int, time] = {}
    days: list[GridDay] = []
    first_day = display.local_seconds(window_start) // SECONDS_PER_DAY
    last_day = display.local_seconds(window_end - 1) // SECONDS_PER_DAY
    for day in range(first_day, last_day + 1):
        midnight = day * SECONDS_PER_DAY
        day_start = max(window_start, display.instant(midnight))
        day_end = min(window_end, display.instant(midnight + SECONDS_PER_DAY))
        starts: list[int] = []
        times_of_day: list[int] = []
        # Piecewise by display offset, so each piece maps the shown hours to one UTC range.
        for local_start, local_end, offset in display.local_stretches(day_start, day_end):
            low = max(local_start, midnight + first_tod) - offset
            high = min(local_end, midnight + end_tod) - offset
            piece = schedule.timeline.aligned_instants(low, high, step)
            starts.extend(piece)
            shift = offset - midnight
            times_of_day.extend([start + shift for start in piece])
        days.append(
            _grid_day(
                date_from_day_number(day),
                starts,
                times_of_day,
                step,
                schedule.viewers_busy,
                durations_at,
                labels,
            )
        )
    return WeekGrid(
        display_zone=display_zone,
        increment_minutes=schedule.policy.slot_increment_minutes,
        first_hour=first_hour,
        end_hour=end_hour,
        rows=tuple(sorted(labels.values())),
        days=tuple(days),
    )


def _grid_day(
    day: date,
    starts: list[int],
    times_of_day: list[int],
    step: int,
    own: list[BusyTime],
    durations_at: dict[int, tuple[int, ...]],
    labels: dict[int, time],
) -> GridDay:
    """One column; built with map and comprehensions, because this runs for every cell."""
    for time_of_day in set(times_of_day).difference(labels):
        labels[time_of_day] = time(time_of_day // 3600, time_of_day // 60 % 60)
    no_durations = ()
    durations = list(map(durations_at.get, starts, repeat(no_durations)))
    free, unavailable = CellState.FREE, CellState.UNAVAILABLE
    states = [free if lengths else unavailable for lengths in durations]
    appointment_ids: list[int | None] = [None] * len(starts)
    for item in own:
        # The viewer's own sessions are few; mark the cells each one touches.
        for index in range(
            bisect_right(starts, item.start_seconds - step), bisect_left(starts, item.end_seconds)
        ):
            if not durations[index]:
                states[index] = _OWN_STATE[item.status]
                appointment_ids[index] = item.appointment_id
    return GridDay(
        day=day,
        start_seconds=tuple(starts),
        local_times=tuple(map(labels.__getitem__, times_of_day)),
        states=tuple(states),
        durations_minutes=tuple(durations),
        appointment_ids=tuple(appointment_ids),
    )


def _clip(spans: list[Span], start: int, end: int) -> list[Span]:
    return [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]


def _hour_range(display: ZoneTimeline, spans: list[Span]) -> tuple[int, int]:
    """Whole display-zone hours covering the wall-clock times of ``spans``; (0, 0) for none."""
    earliest, latest = SECONDS_PER_DAY, 0
    for span_start, span_end in spans:
        for local_start, local_end, _ in display.local_stretches(span_start, span_end):
            if local_start // SECONDS_PER_DAY != (local_end - 1) // SECONDS_PER_DAY:
                return 0, 24  # runs through midnight: every hour is needed
            earliest = min(earliest, local_start % SECONDS_PER_DAY)
            latest = max(latest, (local_end - 1) % SECONDS_PER_DAY + 1)
    if earliest >= latest:
        return 0, 0
    return earliest // 3600, -(-latest // 3600)
