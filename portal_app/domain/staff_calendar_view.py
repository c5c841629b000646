"""A clinician's week as the staff calendar draws it: open cells, sessions as labelled blocks.

The layout (hours, rows, one block per session) is shared with the client's Calendar tab
(``domain.client_calendar_view``), which only decides differently what the cells under it mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal_app.domain.calendar_view import CalendarView, Mark, day_headings, row_headings
from portal_app.domain.time_display import clock_label, date_label
from portal_app.domain.week_grid import CellState

DEFAULT_HOURS = (7, 20)


@dataclass(frozen=True)
class SessionMark:
    """One session on a week calendar.

    ``who`` is the other person (the client for staff, the clinician for a client); ``what``
    (the service) and ``status_label`` are named when the calendar should say them.
    """

    appointment_id: int
    starts_at: datetime
    ends_at: datetime
    pending: bool
    who: str
    what: str = ""
    status_label: str = ""

    def status_word(self) -> str:
        """The status as the calendar says it."""
        return self.status_label or ("Unconfirmed" if self.pending else "Confirmed")

    def label(self, zone: ZoneInfo) -> str:
        """``9:00 AM Maya Chen · Confirmed, Individual Therapy, Mon, Dec 7, 2026, CST``.

        It starts with what the mark shows (its time and person, and its status where shown),
        so a person who says or reads what they see finds it (WCAG 2.5.3), then what it leaves out.
        """
        start = self.starts_at.astimezone(zone)
        about = [self.what] if self.what else []
        shown = f"{clock_label(start.time())} {self.who} · {self.status_word()}"
        return ", ".join([shown, *about, date_label(start.date()), start.tzname() or ""])


@dataclass(frozen=True)
class SessionWeek:
    """Seven days from ``days[0]``, their rows (wall-clock times) and the sessions as marks."""

    days: list[date]
    rows: list[time]
    marks: list[Mark]
    increment: int


def session_week(
    *, items: list[SessionMark], first_day: date, zone: str, increment: int, with_status: bool = False
) -> SessionWeek:
    """Lay out seven days from ``first_day``: hours 7:00–20:00, widened to fit any session.

    Each session becomes a mark that opens its details: requests dashed (tone ``request``),
    the rest solid. ``with_status`` adds the status word to the text drawn in the block.
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
        text = f"{clock_label(start.time())} {item.who}"
        marks.append(
            Mark(
                id=item.appointment_id,
                day=days.index(start.date()),
                row=(minute_of_day - first_hour * 60) // increment,
                minutes=max(increment, int((end - start).total_seconds() // 60)),
                text=f"{text} · {item.status_word()}" if with_status else text,
                label=item.label(tz),
                tone="request" if item.pending else "appointment",
            )
        )
    return SessionWeek(days=days, rows=rows, marks=marks, increment=increment)


def staff_calendar_view(
    *, items: list[SessionMark], first_day: date, zone: str, increment: int
) -> CalendarView:
    """The week picker's view of seven days from ``first_day``: every cell open, sessions as marks.

    Requests are drawn dashed (tone ``request``), confirmed sessions solid; each mark opens the
    session's details. Hours span 7:00–20:00, widened to fit any session.
    """
    week = session_week(items=items, first_day=first_day, zone=zone, increment=increment)
    size = len(week.rows)
    return CalendarView(
        days=day_headings(week.days, zone),
        rows=row_headings(week.rows),
        states=[[CellState.OPEN.value] * size for _ in week.days],
        lengths=[[[] for _ in range(size)] for _ in week.days],
        starts=[[0] * size for _ in week.days],
        marks=week.marks,
        increment=increment,
    )
