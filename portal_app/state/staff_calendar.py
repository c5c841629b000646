"""The staff week calendar on the Dashboard: confirmed sessions solid, requests dashed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.domain.calendar_view import CalendarView
from portal_app.domain.staff_calendar_view import staff_calendar_view
from portal_app.domain.time_display import week_label
from portal_app.services.appointments import clinician_week
from portal_app.services.auth import Viewer
from portal_app.services.booking_catalog import practice_clinicians
from portal_app.state import live_updates
from portal_app.state.access import Choice, RecordId, Step, in_worker, requires
from portal_app.state.dashboard import DashboardState
from portal_app.state.rows import Option
from portal_app.state.session import SessionState
from portal_app.state.staff import STAFF_ROLES

MAX_WEEKS_AWAY = 104


class StaffCalendarState(SessionState):
    """One clinician's week: the viewer's own, or any of the practice's for an admin."""

    clinicians: list[Option] = []
    clinician_id: str = ""
    week_offset: int = 0
    week_label: str = ""
    calendar: CalendarView = CalendarView()

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Show this week for the viewer (an admin starts with the first clinician)."""
        names = await in_worker(practice_clinicians, practice_id=viewer.practice_id)
        own = viewer.clinician_scope
        allowed = {own: names[own]} if own is not None else names
        self.clinicians = [Option(value=str(i), label=name) for i, name in allowed.items()]
        if self.clinician_id not in {option.value for option in self.clinicians}:
            self.clinician_id = self.clinicians[0].value if self.clinicians else ""
        self.week_offset = 0
        await self._show(viewer)
        await live_updates.follow(self, viewer.user_id)

    @rx.event
    @requires(*STAFF_ROLES, activity=False)
    async def refresh(self, viewer: Viewer):
        """Re-read the week shown (requests come and go while the page is open)."""
        await self._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def choose_clinician(self, viewer: Viewer, value: Choice):
        """Admins pick whose week to see; anyone else may only see their own."""
        if value in {option.value for option in self.clinicians}:
            self.clinician_id = value
            await self._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def change_week(self, viewer: Viewer, step: Step):
        """Previous (-1) or next (+1) week."""
        self.week_offset = max(-MAX_WEEKS_AWAY, min(MAX_WEEKS_AWAY, self.week_offset + step))
        await self._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def open_session_details(self, viewer: Viewer, appointment_id: RecordId):
        """A session on the calendar was clicked: open its details (which checks access again)."""
        return DashboardState.open_details(appointment_id)

    async def _show(self, viewer: Viewer) -> None:
        if not self.clinician_id:
            self.calendar = CalendarView()
            return
        zone = ZoneInfo(viewer.practice_zone)
        # The week ahead from today: on a Sunday the past week would show nothing to act on.
        first_day = self._now().astimezone(zone).date() + timedelta(weeks=self.week_offset)
        start = datetime.combine(first_day, datetime.min.time(), tzinfo=zone)
        week = await in_worker(
            clinician_week,
            practice_id=viewer.practice_id,
            clinician_id=int(self.clinician_id),
            start=start,
            end=datetime.combine(first_day + timedelta(days=7), datetime.min.time(), tzinfo=zone),
        )
        # Half-hour rows keep a whole working day on one screen.
        self.calendar = staff_calendar_view(
            items=week.items,
            first_day=first_day,
            zone=viewer.practice_zone,
            increment=max(30, week.increment_minutes),
        )
        self.week_label = week_label(first_day)
