"""The client's Calendar tab: their sessions on a week or a month, and free time to ask for.

A click on free time opens the booking wizard at that time (``state.calendar_booking``); a
click on a session opens the Appointments tab's details dialog (``ClientAppointmentsState``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.domain.calendar_view import CalendarView
from portal_app.domain.client_calendar_view import (
    MonthDay,
    client_week_view,
    monday_of,
    month_after,
    month_view,
)
from portal_app.domain.time_display import week_containing
from portal_app.domain.vocabulary import Role
from portal_app.services.auth import Viewer
from portal_app.services.client_calendar import ClientCalendar, client_calendar, next_session_start
from portal_app.state import live_updates, wording
from portal_app.state.access import Choice, Step, in_worker, requires
from portal_app.state.session import SessionState

MAX_WEEKS_AWAY = 104
_MODES = ("week", "month")


class ClientCalendarState(SessionState):
    """One week (or month) of the signed-in client's sessions; nobody else's."""

    mode: str = "week"
    week_label: str = ""
    month_label: str = ""
    zone_label: str = ""
    calendar: CalendarView = CalendarView()
    month_days: list[MonthDay] = []
    # Why the week shown is not this week (it holds the next appointment), or "".
    week_note: str = ""
    can_request: bool = False
    loaded: bool = False

    # The Monday of the week shown, and the first of the month shown (ISO dates).
    _first_day: str = ""
    _month: str = ""

    @rx.event
    @requires(Role.CLIENT)
    async def load(self, viewer: Viewer):
        """This week; or, when it is empty, the week of the next appointment."""
        this_week = self._today(viewer)
        self.mode, self.week_note = "week", ""
        await self._show_week(viewer, this_week)
        if not self.calendar.marks:
            upcoming = await in_worker(
                next_session_start,
                client_id=viewer.client_id,
                practice_id=viewer.practice_id,
                now=self._now(),
            )
            if upcoming is not None and self._within_reach(viewer, upcoming.date()):
                day = upcoming.astimezone(ZoneInfo(self._display_zone(viewer))).date()
                first = week_containing(day, this_week)
                if first != this_week:
                    await self._show_week(viewer, first)
                    self.week_note = wording.CALENDAR_NEXT_WEEK_SHOWN
        await live_updates.follow(self, viewer.user_id)

    @rx.event
    @requires(Role.CLIENT, activity=False)
    async def refresh(self, viewer: Viewer):
        """Re-read what is shown: pushed when one of the client's appointments changes."""
        if self.mode == "month" and self._month:
            await self._show_month(viewer, date.fromisoformat(self._month))
        elif self._first_day:
            await self._show_week(viewer, date.fromisoformat(self._first_day))

    @rx.event
    @requires(Role.CLIENT)
    async def change_week(self, viewer: Viewer, step: Step):
        """Move a week back (-1) or forward (+1)."""
        first = self._shown_week(viewer) + timedelta(weeks=step)
        if self._within_reach(viewer, first):
            self.week_note = ""
            await self._show_week(viewer, first)

    @rx.event
    @requires(Role.CLIENT)
    async def change_month(self, viewer: Viewer, step: Step):
        """Move a month back (-1) or forward (+1)."""
        month = month_after(self._shown_month(viewer), step)
        if self._within_reach(viewer, month):
            await self._show_month(viewer, month)

    @rx.event
    @requires(Role.CLIENT)
    async def show_mode(self, viewer: Viewer, mode: Choice):
        """Week or Month: the month holding the week shown, or the month's first week (this week
        when the month is the current one)."""
        if mode not in _MODES or mode == self.mode:
            return
        if mode == "month":
            # The month most of the week belongs to (the one its Thursday is in).
            await self._show_month(viewer, (self._shown_week(viewer) + timedelta(days=3)).replace(day=1))
        else:
            month, today = self._shown_month(viewer), self._today(viewer)
            await self._show_week(
                viewer, week_containing(today if today.replace(day=1) == month else month, today)
            )
        self.mode, self.week_note = mode, ""

    @rx.event
    @requires(Role.CLIENT)
    async def show_week_of(self, viewer: Viewer, day: Choice):
        """A day of the month view was chosen: show its week."""
        try:
            chosen = date.fromisoformat(day)
        except ValueError:
            return self._bad_input()
        if not self._within_reach(viewer, chosen):
            return self._bad_input()
        self.mode, self.week_note = "week", ""
        await self._show_week(viewer, week_containing(chosen, self._today(viewer)))
        return None

    def _today(self, viewer: Viewer) -> date:
        return self._now().astimezone(ZoneInfo(self._display_zone(viewer))).date()

    def _shown_week(self, viewer: Viewer) -> date:
        return date.fromisoformat(self._first_day) if self._first_day else self._today(viewer)

    def _shown_month(self, viewer: Viewer) -> date:
        return date.fromisoformat(self._month) if self._month else self._today(viewer).replace(day=1)

    def _within_reach(self, viewer: Viewer, day: date) -> bool:
        return abs((day - self._today(viewer)).days) <= MAX_WEEKS_AWAY * 7

    def _bounds(self, viewer: Viewer, first: date, days: int) -> dict:
        zone = ZoneInfo(self._display_zone(viewer))
        start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(first + timedelta(days=days), datetime.min.time(), tzinfo=zone)
        return {"start": start, "end": end}

    async def _read(self, viewer: Viewer, first: date, days: int) -> ClientCalendar:
        found = await in_worker(
            client_calendar,
            client_id=viewer.client_id,
            practice_id=viewer.practice_id,
            now=self._now(),
            **self._bounds(viewer, first, days),
        )
        zone = self._display_zone(viewer)
        self.zone_label = f"{zone.replace('_', ' ')} ({datetime.now(ZoneInfo(zone)):%Z})"
        self.can_request, self.loaded = found.window is not None, True
        return found

    async def _show_week(self, viewer: Viewer, first: date) -> None:
        found = await self._read(viewer, first, 7)
        self.calendar = client_week_view(
            items=found.sessions, first_day=first, zone=self._display_zone(viewer), window=found.window
        )
        self._first_day = first.isoformat()
        self.week_label = f"Week of {first:%b} {first.day}, {first.year}"

    async def _show_month(self, viewer: Viewer, month: date) -> None:
        first_shown = monday_of(month)
        found = await self._read(viewer, first_shown, 42)
        self.month_days = month_view(
            items=found.sessions, month=month, zone=self._display_zone(viewer), today=self._today(viewer)
        )
        self._month = month.isoformat()
        self.month_label = f"{month:%B %Y}"
