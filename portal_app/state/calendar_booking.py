"""The booking wizard opened at a time the client chose on their Calendar tab.

The time is only a wish until a provider and service are chosen: the wizard asks for what is
missing, and when a service is chosen (``keep_time`` runs right after ``choose_service``) the
provider's own week is shown and the time is selected if that week offers it; if not, the
wizard says so and the client picks another. Save and Submit check it again, as always.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import reflex as rx

from portal_app.domain.time_display import moment_label, week_containing
from portal_app.domain.vocabulary import Role
from portal_app.services.auth import Viewer
from portal_app.state import wording
from portal_app.state.access import Choice, Epoch, Minutes, requires
from portal_app.state.booking import BookingWizardState
from portal_app.state.week_picker import MAX_WEEKS_AHEAD


class CalendarBookingState(BookingWizardState):
    """Opens the wizard with a wished-for time and keeps it once a service is chosen."""

    _wanted_start: int = 0
    _wanted_minutes: int = 0
    # The wizard opening the wish belongs to (each opening draws a new request key).
    _wanted_for: str = ""

    @rx.event
    @requires(Role.CLIENT)
    async def open_at(self, viewer: Viewer, start: Epoch, minutes: Minutes):
        """Open the wizard for a new request at ``start`` (a wish: it is checked, never trusted)."""
        await self._start(viewer)
        now = self._now()
        wanted = datetime.fromtimestamp(start, tz=UTC)
        self._wanted_start, self._wanted_for = 0, ""
        if not self.providers:
            return
        if not now < wanted < now + timedelta(weeks=MAX_WEEKS_AHEAD):
            self.notice = wording.CALENDAR_TIME_GONE
            return
        self._wanted_start, self._wanted_minutes, self._wanted_for = start, minutes, self._request_key
        self.notice = wording.calendar_time_chosen(moment_label(wanted, self._calendar_zone(viewer)))

    @rx.event
    @requires(Role.CLIENT)
    async def keep_time(self, viewer: Viewer, value: Choice):
        """After ``choose_service(value)``: show the wished-for week and select the time if free."""
        if (
            not self._wanted_start
            or self._wanted_for != self._request_key
            or self.purpose != "new"
            or self.service_id != value
        ):
            return
        wanted = datetime.fromtimestamp(self._wanted_start, tz=UTC)
        await self._show_week(viewer, week_containing(self._local_day(viewer, wanted), self._today(viewer)))
        if not self.service_id:
            return  # the provider or service went away meanwhile; the wizard said so
        when = moment_label(wanted, self._calendar_zone(viewer))
        provider = self._names["providers"][int(self.provider_id)]
        if self._pick(viewer, self._wanted_start, self._length_at(self._wanted_start)):
            self.error, self.notice = "", wording.calendar_time_kept(provider, when)
            return
        # Said at the top, where the client looks after choosing the service, above the week.
        service = self._names["services"][int(self.service_id)]
        self.error, self.notice = "", wording.calendar_time_not_offered(provider, service, when)

    def _length_at(self, start: int) -> int:
        """The length the client dragged if the cell at ``start`` allows it, else its first."""
        for day_starts, day_lengths in zip(self.calendar.starts, self.calendar.lengths, strict=True):
            if start in day_starts:
                allowed = day_lengths[day_starts.index(start)]
                if allowed and self._wanted_minutes not in allowed:
                    return allowed[0]
        return self._wanted_minutes
