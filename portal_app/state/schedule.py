"""The staff week calendar on the Dashboard: confirmed sessions solid, requests dashed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.database import open_session
from portal_app.domain.schedule_view import schedule_props
from portal_app.models import Practice
from portal_app.services.appointments import clinician_schedule
from portal_app.services.auth import Viewer
from portal_app.services.booking_catalog import practice_clinicians
from portal_app.state.dashboard import DashboardState
from portal_app.state.staff import StaffState

MAX_WEEKS_AWAY = 104


class StaffScheduleState(StaffState):
    """One clinician's week: the viewer's own, or any of the practice's for an admin."""

    clinicians: list[dict[str, str]] = []
    clinician_id: str = ""
    week_offset: int = 0
    week_label: str = ""
    calendar: dict = {}

    @rx.event
    def load(self):
        """Show this week for the viewer (an admin starts with the first clinician)."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        viewer, own_clinician = access
        with open_session() as session:
            names = practice_clinicians(session=session, practice_id=viewer.practice_id)
        allowed = {own_clinician: names[own_clinician]} if own_clinician is not None else names
        self.clinicians = [{"value": str(i), "label": name} for i, name in allowed.items()]
        if self.clinician_id not in {option["value"] for option in self.clinicians}:
            self.clinician_id = self.clinicians[0]["value"] if self.clinicians else ""
        self.week_offset = 0
        self._show(viewer)
        return None

    @rx.event
    def refresh(self):
        """Re-read the week shown (requests come and go while the page is open)."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        self._show(access[0])
        return None

    @rx.event
    def choose_clinician(self, value: str):
        """Admins pick whose week to see; anyone else may only see their own."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        if isinstance(value, str) and value in {option["value"] for option in self.clinicians}:
            self.clinician_id = value
            self._show(access[0])
        return None

    @rx.event
    def change_week(self, step: int):
        """Previous (-1) or next (+1) week."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        if type(step) is int and step in (-1, 1):
            self.week_offset = max(-MAX_WEEKS_AWAY, min(MAX_WEEKS_AWAY, self.week_offset + step))
            self._show(access[0])
        return None

    @rx.event
    def open_session_details(self, appointment_id: str):
        """A session on the calendar was clicked: open its details (which checks access again)."""
        if self._require_staff() is None:
            return self._refusal()
        return DashboardState.open_details(appointment_id)

    def _show(self, viewer: Viewer) -> None:
        if not self.clinician_id:
            self.calendar = {}
            return
        zone = viewer.practice_zone
        # The week ahead from today: on a Sunday the past week would show nothing to act on.
        first_day = self._now().astimezone(ZoneInfo(zone)).date() + timedelta(weeks=self.week_offset)
        start = datetime.combine(first_day, datetime.min.time(), tzinfo=ZoneInfo(zone))
        with open_session() as session:
            practice = session.get(Practice, viewer.practice_id)
            items = clinician_schedule(
                session=session,
                practice_id=viewer.practice_id,
                clinician_id=int(self.clinician_id),
                start=start,
                end=datetime.combine(
                    first_day + timedelta(days=7), datetime.min.time(), tzinfo=ZoneInfo(zone)
                ),
            )
        # Half-hour rows keep a whole working day on one screen.
        self.calendar = schedule_props(
            items=items, first_day=first_day, zone=zone, increment=max(30, practice.slot_increment_minutes)
        )
        self.week_label = _week_label(first_day)


def _week_label(first_day: date) -> str:
    last_day = first_day + timedelta(days=6)
    return f"{first_day:%b} {first_day.day} – {last_day:%b} {last_day.day}, {last_day.year}"
