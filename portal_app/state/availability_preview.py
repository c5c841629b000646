"""The preview beside the availability editor: the client's week calendar for that clinician.

The same engine and the same calendar component as the booking wizard, for a service, location
and forum chosen here; while the form is open it shows the draft, otherwise what is saved.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.domain import time_display
from portal_app.domain.calendar_view import CalendarView, calendar_view
from portal_app.domain.time_display import week_label
from portal_app.domain.vocabulary import Forum
from portal_app.services.auth import Viewer
from portal_app.services.availability_editing import preview_week
from portal_app.state.access import Choice, Step, in_worker, requires
from portal_app.state.availability import AvailabilityState
from portal_app.state.availability_draft import AvailabilityDraftState
from portal_app.state.rows import Option
from portal_app.state.session import SessionState
from portal_app.state.staff import STAFF_ROLES

FORUMS = [
    Option(value=Forum.IN_PERSON.value, label="In-person"),
    Option(value=Forum.TELEHEALTH.value, label="Telehealth"),
]
MAX_WEEKS_AHEAD = 60


class AvailabilityPreviewState(SessionState):
    """Which service, location, forum and week the preview shows, and the calendar itself."""

    service_id: str = ""
    location_id: str = ""
    forum: str = Forum.IN_PERSON.value
    forums: list[Option] = FORUMS
    week_offset: int = 0
    week_label: str = ""
    zone_label: str = ""
    showing_draft: bool = False
    calendar: CalendarView = CalendarView()

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Start at this week, with the first block's location and service."""
        self.week_offset = 0
        self.service_id = self.location_id = ""
        await self._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def choose_service(self, viewer: Viewer, value: Choice):
        """Preview for another service of the practice."""
        page = await self.get_state(AvailabilityState)
        if Option.chosen(value, page.services) is not None:
            self.service_id = value
            await self._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def choose_location(self, viewer: Viewer, value: Choice):
        """Preview for another location of the practice."""
        page = await self.get_state(AvailabilityState)
        if Option.chosen(value, page.locations) is not None:
            self.location_id = value
            await self._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def choose_forum(self, viewer: Viewer, value: Choice):
        """In-person or telehealth."""
        if value in {option.value for option in FORUMS}:
            self.forum = value
            await self._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def change_week(self, viewer: Viewer, step: Step):
        """Previous (-1) or next (+1) week, from this week up to the booking horizon's reach."""
        self.week_offset = max(0, min(MAX_WEEKS_AHEAD, self.week_offset + step))
        await self._show(viewer)

    def _follow_draft_to(self, day: str, today: date) -> None:
        """Show the week of a date just typed in the form, when the preview can reach it."""
        try:
            weeks = (date.fromisoformat(day) - today).days // 7
        except ValueError:
            return
        if 0 <= weeks <= MAX_WEEKS_AHEAD:
            self.week_offset = weeks

    async def _show(self, viewer: Viewer, *, follow: str = "") -> None:
        page = await self.get_state(AvailabilityState)
        draft = await self.get_state(AvailabilityDraftState)
        self._choose_defaults(page)
        service = Option.chosen(self.service_id, page.services)
        location = Option.chosen(self.location_id, page.locations)
        clinician = Option.chosen(page.clinician_id, page.clinicians)
        zone = page.zone or viewer.practice_zone
        today = self._now().astimezone(ZoneInfo(zone)).date()
        if follow:
            self._follow_draft_to(follow, today)
        first_day = today + timedelta(weeks=self.week_offset)
        self.week_label = week_label(first_day)
        self.zone_label = time_display.zone_label(zone, self._now())
        change = draft._change()
        self.showing_draft = change is not None
        if service is None or location is None or clinician is None:
            self.calendar = CalendarView()
            return
        grid = await in_worker(
            preview_week,
            viewer=viewer,
            clinician_id=clinician,
            change=change,
            service_id=service,
            location_id=location,
            forum=Forum(self.forum),
            first_day=first_day,
            now=self._now(),
        )
        self.calendar = calendar_view(grid) if grid is not None else CalendarView()

    def _choose_defaults(self, page: AvailabilityState) -> None:
        """Keep the choices that still exist; otherwise take the first block's, else the first."""
        first_block = next(iter(page._block_drafts.values()), {})
        if Option.chosen(self.location_id, page.locations) is None:
            self.location_id = str(
                first_block.get("location_id", page.locations[0].value if page.locations else "")
            )
        if Option.chosen(self.service_id, page.services) is None:
            block_services = first_block.get("service_ids") or [
                page.services[0].value if page.services else ""
            ]
            self.service_id = str(next(iter(block_services)))  # type: ignore[call-overload]
