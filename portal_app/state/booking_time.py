"""The wizard's last steps: the week calendar, Save (server check) and Submit New Appointment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import reflex as rx

from portal_app.database import open_session
from portal_app.domain.calendar_view import locate
from portal_app.domain.time_display import day_label, time_range_label
from portal_app.services import availability
from portal_app.services.appointment_requests import request_appointment
from portal_app.state.booking import FORUM_LABELS, BookingWizardState

MAX_WEEKS_AHEAD = 60
CHOOSE_FIRST = "Choose a time on the calendar first."


def _epoch(value: object) -> datetime | None:
    """An epoch-seconds number from the browser as a UTC instant, or None if it is not one."""
    if type(value) not in (int, float) or not 0 < value < 4_102_444_800:
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


class BookingTimeState(BookingWizardState):
    """Choosing the time, checking it, and sending the request."""

    @rx.event
    def choose_service(self, value: str):
        """Service chosen: show this week's free time for it."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        self._pick_service(value)
        if self.service_id:
            self._show_week(viewer, self._today(viewer))
        return None

    @rx.event
    def change_week(self, step: int):
        """Show the previous (-1) or next (+1) week."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        if type(step) is not int or step not in (-1, 1) or not self.week_start:
            return None
        today = self._today(viewer)
        first = date.fromisoformat(self.week_start) + timedelta(weeks=step)
        if today <= first + timedelta(days=6) and first <= today + timedelta(weeks=MAX_WEEKS_AHEAD):
            self._show_week(viewer, first)
        return None

    @rx.event
    def next_available(self):
        """Jump to the week of the first free time from today on."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        if not self.week_start:
            return None
        now = self._now()
        with open_session() as session:
            slots = availability.bookable_slots(
                session=session,
                slot_request=availability.SlotRequest(**self._choice(), is_new_client=False),
                window_start=now,
                window_end=now + timedelta(weeks=MAX_WEEKS_AHEAD),
                now=now,
            )
        if not slots:
            self.error = "No free time for this service in the coming weeks. Please call the practice."
            return None
        self.error = ""
        self._show_week(viewer, slots[0].astimezone(self._zone(viewer)).date())
        return None

    @rx.event
    def select_time(self, start: int, minutes: int):
        """The calendar's one event per choice: remember it if that cell offered that length."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        located = None
        if _epoch(start) is not None and type(minutes) is int and self.calendar:
            located = locate(self.calendar, int(start), minutes)
        if located is None:
            self.selected, self.selected_start, self.selected_minutes = {}, 0, 0
            self.selection_label = ""
            self.error = "That time is not available. Please choose a free (white) time."
            return None
        self.selected, self.selected_start, self.selected_minutes = located, int(start), minutes
        starts_at = _epoch(start)
        zone = self._display_zone(viewer)
        self.selection_label = (
            f"{day_label(starts_at, zone)}, "
            f"{time_range_label(starts_at, starts_at + timedelta(minutes=minutes), zone)}"
        )
        self.error = ""
        return None

    @rx.event
    def save(self):
        """Check the chosen time on the server; on success show the request to confirm."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        starts_at = _epoch(self.selected_start)
        if starts_at is None or not self.service_id:
            self.error = CHOOSE_FIRST
            return None
        with open_session() as session:
            check = availability.check_bookable(
                session=session,
                slot_request=availability.SlotRequest(**self._choice(), is_new_client=False),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=self.selected_minutes),
                now=self._now(),
            )
        if not check.ok:
            self.error = check.message
            self._show_week(viewer, date.fromisoformat(self.week_start))
            return None
        zone = self._display_zone(viewer)
        ends_at = starts_at + timedelta(minutes=self.selected_minutes)
        names = self._catalog_names
        self.summary = {
            "provider": names["providers"][int(self.provider_id)],
            "location": names["locations"][int(self.location_id)],
            "forum": FORUM_LABELS[self.forum],
            "service": names["services"][int(self.service_id)],
            "day": day_label(starts_at, zone),
            "time": time_range_label(starts_at, ends_at, zone),
        }
        self.error, self.step = "", "review"
        return None

    @rx.event
    def back_to_calendar(self):
        """Return from the review to the calendar to choose another time."""
        if self._client() is None:
            return self._refusal()
        self.step = "choose"
        return None

    @rx.event
    async def submit(self):
        """Submit New Appointment: one request, created and re-checked in one transaction."""
        viewer = self._client()
        if viewer is None:
            yield self._refusal()
            return
        starts_at = _epoch(self.selected_start)
        if self.submitting or self.step != "review" or starts_at is None:
            return
        self.submitting = True
        yield
        try:
            with open_session(for_writing=True) as session:
                result = request_appointment(
                    session=session,
                    viewer=viewer,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=self.selected_minutes),
                    request_key=self._request_key,
                    now=self._now(),
                    **self._choice(),
                )
        finally:
            self.submitting = False
        if not result.ok:
            self.step, self.error = "choose", result.message
            self._show_week(viewer, date.fromisoformat(self.week_start))
            return
        self.step = "done"

    @rx.event
    def view_my_appointments(self):
        """Close the wizard and show the Appointments tab (with the new request)."""
        if self._client() is None:
            return self._refusal()
        self.is_open = False
        return rx.redirect("/appointments")
