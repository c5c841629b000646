"""One week of the availability engine's calendar and one time chosen on it.

Shared by the client's booking wizard and the therapist's proposal of another time: the same
engine, the same greyed cells, the same check that a chosen time is one the week offered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.domain.calendar_view import CalendarView, CellChoice, calendar_view, locate
from portal_app.domain.time_display import day_label, time_range_label, week_label
from portal_app.services import availability
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest
from portal_app.state.access import in_worker
from portal_app.state.rows import Option

MAX_WEEKS_AHEAD = 60


class WeekPicker(rx.State, mixin=True):
    """The week shown, and the chosen time (a cell the week offered, and a length it allows).

    ``length_options`` are the session lengths the week offers and ``preferred_minutes`` the one
    the person picked from them (0: none yet): a click, a tap, Enter or Space on the calendar
    choose that length where the cell allows it, so every length is open without dragging.
    """

    week_start: str = ""
    week_label: str = ""
    zone_label: str = ""
    calendar: CalendarView = CalendarView()
    selected: CellChoice | None = None
    selected_start: int = 0
    selected_minutes: int = 0
    selection_label: str = ""
    length_options: list[Option] = []
    preferred_minutes: int = 0

    def _slot_request(self, viewer: Viewer) -> SlotRequest:
        """What the week is asked for (provider, service, place); each user of the picker says."""
        raise NotImplementedError

    def _calendar_zone(self, viewer: Viewer) -> str:
        """The zone the week is drawn in."""
        raise NotImplementedError

    def _today(self, viewer: Viewer) -> date:
        return self._now().astimezone(ZoneInfo(self._calendar_zone(viewer))).date()

    def _local_day(self, viewer: Viewer, instant: datetime) -> date:
        return instant.astimezone(ZoneInfo(self._calendar_zone(viewer))).date()

    async def _load_week(self, viewer: Viewer, first_day: date) -> bool:
        """Show the week from ``first_day``; False when what it was asked for no longer exists."""
        zone = self._calendar_zone(viewer)
        try:
            grid = await in_worker(
                availability.week_grid,
                slot_request=self._slot_request(viewer),
                first_day=first_day,
                display_zone=zone,
                now=self._now(),
            )
        except LookupError:
            return False
        self.calendar = calendar_view(grid)
        offered = sorted({minutes for day in self.calendar.lengths for cell in day for minutes in cell})
        if offered:  # a week without free time says nothing about the lengths: keep them
            self.length_options = [Option(value=str(m), label=f"{m} min") for m in offered]
        self.week_start = first_day.isoformat()
        self.week_label = week_label(first_day)
        self.zone_label = f"{zone.replace('_', ' ')} ({datetime.now(ZoneInfo(zone)):%Z})"
        # Keep the chosen time only while the week shown still offers it.
        self.selected = locate(self.calendar, self.selected_start, self.selected_minutes)
        if self.selected is None:
            self._clear_time()
        return True

    def _week_after(self, viewer: Viewer, step: int) -> date | None:
        """The first day of the week ``step`` weeks from the one shown, if it may be shown."""
        if not self.week_start:
            return None
        today = self._today(viewer)
        first = date.fromisoformat(self.week_start) + timedelta(weeks=step)
        if today <= first + timedelta(days=6) and first <= today + timedelta(weeks=MAX_WEEKS_AHEAD):
            return first
        return None

    def _pick(self, viewer: Viewer, start: int, minutes: int) -> bool:
        """Choose ``start`` for ``minutes`` if the week shown offers it (else nothing is chosen)."""
        located = locate(self.calendar, start, minutes)
        if located is None:
            self._clear_time()
            return False
        self.selected, self.selected_start, self.selected_minutes = located, start, minutes
        self.preferred_minutes = minutes
        self.selection_label = self._when(viewer)
        return True

    def _set_length(self, viewer: Viewer, value: str) -> bool:
        """Prefer the offered length ``value``; a time already chosen takes it if its cell allows.

        Returns False (and changes nothing) when ``value`` is not offered, or when the chosen
        time's cell does not allow that length.
        """
        if value not in {option.value for option in self.length_options}:
            return False
        minutes = int(value)
        if self.selected_start and locate(self.calendar, self.selected_start, minutes) is None:
            return False
        self.preferred_minutes = minutes
        if self.selected_start:
            self._pick(viewer, self.selected_start, minutes)
        return True

    def _forget_lengths(self) -> None:
        """Another service: its lengths are not known until its week is shown."""
        self.length_options, self.preferred_minutes = [], 0

    def _clear_time(self) -> None:
        if self.selected is not None or self.selected_start or self.selection_label:
            self.selected, self.selected_start, self.selected_minutes, self.selection_label = None, 0, 0, ""

    def _when(self, viewer: Viewer) -> str:
        zone = self._calendar_zone(viewer)
        starts_at = datetime.fromtimestamp(self.selected_start, tz=UTC)
        ends_at = starts_at + timedelta(minutes=self.selected_minutes)
        return f"{day_label(starts_at, zone)}, {time_range_label(starts_at, ends_at, zone)}"

    def _interval(self) -> dict[str, datetime]:
        starts_at = datetime.fromtimestamp(self.selected_start, tz=UTC)
        return {"starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=self.selected_minutes)}
