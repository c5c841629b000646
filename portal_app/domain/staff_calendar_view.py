"""A clinician's week as the staff calendar draws it: open cells, sessions as labelled blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal_app.domain.calendar_view import CalendarView, Mark, day_headings, row_headings
from portal_app.domain.time_display import clock_label
from portal_app.domain.week_grid import CellState

DEFAULT_HOURS = (7, 20)


@dataclass(frozen=True)
class SessionMark:
    """One session on the staff calendar."""

    appointment_id: int
    starts_at: datetime
    ends_at: datetime
    pending: bool
    who: str


def staff_calendar_view(
    *, items: list[SessionMark], first_day: date, zone: str, increment: int
) -> CalendarView:
    """The week picker's view of seven days from ``first_day``: every cell open, sessions as marks.

    Requests are drawn dashed (tone ``request``), confirmed sessions solid; each mark opens the
    session's details. Hours span 7:00–20:00, widened to fit any session.
    """
    tz = ZoneInfo(zone)
    local = [(item, item.starts_at.astimezone(tz), item.ends_at.astimezone(tz)) for item in items]
    first_hour = min([DEFAULT_HOURS[0], *(start.hour for _, start, _ in local)])
    end_hour = max([DEFAULT_HOURS[1], *(min(24, end.hour + (end.minute > 0)) for _, _, end in local)])
    rows_per_day = (end_hour - first_hour) * 60 // increment
    days = [first_day + timedelta(days=offset) for offset in range(7)]
    rows = [time(*divmod(first_hour * 60 + index * increment, 60)) for index in range(rows_per_day)]
    marks = []
    for item, start, end in local:
        if start.date() not in days:
            continue
        minute_of_day = start.hour * 60 + start.minute
        status = "Unconfirmed" if item.pending else "Confirmed"
        when = f"{start:%A} {start.day} {start:%B}, {clock_label(start.time())}"
        marks.append(
            Mark(
                id=item.appointment_id,
                day=days.index(start.date()),
                row=(minute_of_day - first_hour * 60) // increment,
                minutes=max(increment, int((end - start).total_seconds() // 60)),
                text=f"{clock_label(start.time())} {item.who}",
                label=f"{item.who}, {when}, {status}",
                tone="request" if item.pending else "appointment",
            )
        )
    return CalendarView(
        days=day_headings(days),
        rows=row_headings(rows),
        states=[[CellState.OPEN.value] * rows_per_day for _ in days],
        lengths=[[[] for _ in range(rows_per_day)] for _ in days],
        starts=[[0] * rows_per_day for _ in days],
        marks=marks,
        increment=increment,
    )
