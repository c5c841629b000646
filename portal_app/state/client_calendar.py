"""The client's Calendar tab: their appointments, a week at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.database import open_session
from portal_app.domain.vocabulary import Role
from portal_app.services.appointments import client_appointments_between
from portal_app.services.auth import Viewer
from portal_app.state.session import SessionState

MAX_WEEKS_AWAY = 104


class ClientCalendarState(SessionState):
    """One week of the signed-in client's appointments, day by day."""

    week_offset: int = 0
    week_label: str = ""
    day_labels: list[str] = []
    day_items: list[list[dict[str, str]]] = []
    zone_label: str = ""
    loaded: bool = False

    @rx.event
    def load(self):
        """Show the current week."""
        viewer = self._require_user(Role.CLIENT)
        if viewer is None or viewer.client_id is None:
            return self._refusal()
        self.week_offset = 0
        self._show_week(viewer)
        return None

    @rx.event
    def change_week(self, step: int):
        """Move a week back (-1) or forward (+1)."""
        viewer = self._require_user(Role.CLIENT)
        if viewer is None or viewer.client_id is None:
            return self._refusal()
        if type(step) is not int or step not in (-1, 1):
            return None
        self.week_offset = max(-MAX_WEEKS_AWAY, min(MAX_WEEKS_AWAY, self.week_offset + step))
        self._show_week(viewer)
        return None

    def _show_week(self, viewer: Viewer) -> None:
        zone = self._display_zone(viewer)
        today = self._now().astimezone(ZoneInfo(zone)).date()
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=self.week_offset)
        days = [monday + timedelta(days=index) for index in range(7)]
        start = datetime.combine(monday, datetime.min.time(), tzinfo=ZoneInfo(zone))
        with open_session() as session:
            views = client_appointments_between(
                session=session,
                client_id=viewer.client_id,
                start=start,
                end=start + timedelta(days=7, hours=1),
                zone=zone,
            )
        self.day_labels = [f"{day:%a} {day.day}" for day in days]
        self.day_items = [
            [view.as_row() for view in views if view.starts_at.astimezone(ZoneInfo(zone)).date() == day]
            for day in days
        ]
        self.week_label = f"{days[0]:%b} {days[0].day} – {days[-1]:%b} {days[-1].day}, {days[-1].year}"
        self.zone_label = zone.replace("_", " ")
        self.loaded = True
