"""The client's Calendar tab: their appointments, a week at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.domain.time_display import week_label
from portal_app.domain.vocabulary import Role
from portal_app.services.appointments import client_appointments_between
from portal_app.services.auth import Viewer
from portal_app.state import live_updates
from portal_app.state.access import Step, in_worker, requires
from portal_app.state.rows import AppointmentRow
from portal_app.state.session import SessionState

MAX_WEEKS_AWAY = 104


class ClientCalendarState(SessionState):
    """One week of the signed-in client's appointments, day by day."""

    week_offset: int = 0
    week_label: str = ""
    day_labels: list[str] = []
    day_items: list[list[AppointmentRow]] = []
    zone_label: str = ""
    loaded: bool = False

    @rx.event
    @requires(Role.CLIENT)
    async def load(self, viewer: Viewer):
        """Show the current week."""
        self.week_offset = 0
        await self._show_week(viewer)
        await live_updates.follow(self, viewer.user_id)

    @rx.event
    @requires(Role.CLIENT)
    async def refresh(self, viewer: Viewer):
        """Re-read the week shown: pushed when one of the client's appointments changes."""
        await self._show_week(viewer)

    @rx.event
    @requires(Role.CLIENT)
    async def change_week(self, viewer: Viewer, step: Step):
        """Move a week back (-1) or forward (+1)."""
        self.week_offset = max(-MAX_WEEKS_AWAY, min(MAX_WEEKS_AWAY, self.week_offset + step))
        await self._show_week(viewer)

    async def _show_week(self, viewer: Viewer) -> None:
        zone = self._display_zone(viewer)
        today = self._now().astimezone(ZoneInfo(zone)).date()
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=self.week_offset)
        days = [monday + timedelta(days=index) for index in range(7)]
        start = datetime.combine(monday, datetime.min.time(), tzinfo=ZoneInfo(zone))
        views = await in_worker(
            client_appointments_between,
            client_id=viewer.client_id,
            start=start,
            end=start + timedelta(days=7, hours=1),
            zone=zone,
        )
        self.day_labels = [f"{day:%a} {day.day}" for day in days]
        self.day_items = [
            [
                AppointmentRow.of(view)
                for view in views
                if view.starts_at.astimezone(ZoneInfo(zone)).date() == day
            ]
            for day in days
        ]
        self.week_label = week_label(monday)
        self.zone_label = zone.replace("_", " ")
        self.loaded = True
