"""The availability form in the side panel: weekly hours, time off or extra hours, as a draft.

Every field change is an event (one per change, not per key: times and dates report whole
values), so the preview beside the form shows the draft as clients would see it before it is
saved. The service validates the draft; its problems are shown beside their fields.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import reflex as rx
from pydantic import Field, StringConstraints

from portal_app.services.auth import Viewer
from portal_app.services.availability_editing import AvailabilityChange, ChangeKind, EditOutcome
from portal_app.services.availability_forms import MAX_NOTE_LENGTH
from portal_app.state import wording
from portal_app.state.access import Choice, Flag, RecordId, requires
from portal_app.state.availability import AvailabilityState
from portal_app.state.session import SessionState
from portal_app.state.staff import STAFF_ROLES

Weekday = Annotated[int, Field(strict=True, ge=0, le=6)]
Note = Annotated[str, StringConstraints(strict=True, max_length=MAX_NOTE_LENGTH)]
# The fields a text input may set (dates, times, numbers and the location, all short).
_TEXT_FIELDS = frozenset(
    {"start", "end", "every_n_weeks", "valid_from", "valid_until", "location_id", "first_day", "last_day"}
)
# The form replaces the lists: the focus (and the view, on a phone) moves to it.
_FOCUS_FORM = (
    "setTimeout(() => { const form = document.getElementById('availability-editor');"
    " if (form) { form.focus(); form.scrollIntoView({block: 'start'}); } }, 0)"
)
_KINDS = {
    "block": ChangeKind.SAVE_BLOCK,
    "time_off": ChangeKind.ADD_TIME_OFF,
    "extra_hours": ChangeKind.ADD_EXTRA_HOURS,
}


class AvailabilityDraftState(SessionState):
    """The form being filled in; nothing is saved until Save."""

    mode: str = ""  # "" (closed) | "block" | "time_off" | "extra_hours"
    block_id: int = 0
    weekdays: list[int] = []
    start: str = ""
    end: str = ""
    every_n_weeks: str = "1"
    valid_from: str = ""
    valid_until: str = ""
    location_id: str = ""
    in_person: bool = True
    telehealth: bool = False
    service_ids: list[str] = []
    whole_days: bool = True
    first_day: str = ""
    last_day: str = ""
    note: str = ""
    problems: dict[str, str] = {}
    saving: bool = False

    def _today(self, viewer: Viewer) -> date:
        return self._now().astimezone(ZoneInfo(viewer.practice_zone)).date()

    async def _open(self, viewer: Viewer, mode: str, values: dict[str, object]):
        page = await self.get_state(AvailabilityState)
        first_location = page.locations[0].value if page.locations else ""
        today = self._today(viewer).isoformat()
        defaults: dict[str, object] = {
            "block_id": 0,
            "weekdays": [0, 1, 2, 3, 4],
            "start": "09:00",
            "end": "17:00",
            "every_n_weeks": "1",
            "valid_from": today,
            "valid_until": "",
            "location_id": first_location,
            "in_person": True,
            "telehealth": False,
            "service_ids": [],
            "whole_days": True,
            "first_day": (self._today(viewer) + timedelta(days=1)).isoformat(),
            "last_day": "",
            "note": "",
        }
        for name, value in (defaults | values).items():
            setattr(self, name, value)
        self.mode, self.problems = mode, {}
        page.flash = page.flash_error = ""
        await self._preview(viewer)
        yield rx.call_script(_FOCUS_FORM)

    @rx.event
    @requires(*STAFF_ROLES)
    async def start_block(self, viewer: Viewer):
        """Open the form for new weekly hours."""
        async for update in self._open(viewer, "block", {}):
            yield update

    @rx.event
    @requires(*STAFF_ROLES)
    async def edit_block(self, viewer: Viewer, block_id: RecordId):
        """Open the form with one of the listed blocks (only those listed can be opened)."""
        page = await self.get_state(AvailabilityState)
        draft = page._block_drafts.get(block_id)
        if draft is not None:
            async for update in self._open(viewer, "block", {**draft, "block_id": block_id}):
                yield update

    @rx.event
    @requires(*STAFF_ROLES)
    async def start_time_off(self, viewer: Viewer):
        """Open the form for time off."""
        async for update in self._open(viewer, "time_off", {}):
            yield update

    @rx.event
    @requires(*STAFF_ROLES)
    async def start_extra_hours(self, viewer: Viewer):
        """Open the form for extra one-off hours."""
        async for update in self._open(viewer, "extra_hours", {"start": "10:00", "end": "14:00"}):
            yield update

    @rx.event
    @requires(*STAFF_ROLES)
    async def cancel(self, viewer: Viewer):
        """Close the form without saving; the preview shows saved availability again."""
        await self._close(viewer)

    async def _close(self, viewer: Viewer) -> None:
        self.mode, self.problems, self.block_id = "", {}, 0
        await self._preview(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_field(self, viewer: Viewer, field: Choice, value: Choice):
        """One text field changed (a time, a date, a number or the location)."""
        if field in _TEXT_FIELDS and self.mode:
            setattr(self, field, value)
            await self._changed(viewer, field)

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_note(self, viewer: Viewer, value: Note):
        """The note of a time off or extra hours (shown to staff only)."""
        self.note = value

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_whole_days(self, viewer: Viewer, value: Choice):
        """Time off for whole days ("whole") or part of one day ("part")."""
        if value in ("whole", "part"):
            self.whole_days = value == "whole"
            await self._changed(viewer, "whole_days")

    @rx.event
    @requires(*STAFF_ROLES)
    async def toggle_weekday(self, viewer: Viewer, day: Weekday, on: Flag):
        """A weekday checkbox (Monday = 0)."""
        self.weekdays = sorted(set(self.weekdays) | {day} if on else set(self.weekdays) - {day})
        await self._changed(viewer, "weekdays")

    @rx.event
    @requires(*STAFF_ROLES)
    async def toggle_forum(self, viewer: Viewer, forum: Choice, on: Flag):
        """In-person or telehealth."""
        if forum in ("in_person", "telehealth"):
            setattr(self, forum, on)
            await self._changed(viewer, "forums")

    @rx.event
    @requires(*STAFF_ROLES)
    async def toggle_service(self, viewer: Viewer, service: Choice, on: Flag):
        """A service checkbox (only the practice's services listed on the page)."""
        page = await self.get_state(AvailabilityState)
        if service in {option.value for option in page.services}:
            chosen = set(self.service_ids) | {service} if on else set(self.service_ids) - {service}
            self.service_ids = [option.value for option in page.services if option.value in chosen]
            await self._changed(viewer, "service_ids")

    async def _changed(self, viewer: Viewer, field: str) -> None:
        # A corrected field loses its message; the others keep theirs until the next Save.
        if field in self.problems:
            self.problems = {name: text for name, text in self.problems.items() if name != field}
        await self._preview(
            viewer, follow=getattr(self, field) if field in ("first_day", "valid_from") else ""
        )

    def _change(self) -> AvailabilityChange | None:
        """The draft as the service's change (None while the form is closed)."""
        if self.mode not in _KINDS:
            return None
        values = {
            "weekdays": list(self.weekdays),
            "start": self.start,
            "end": self.end,
            "every_n_weeks": self.every_n_weeks,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "location_id": self.location_id,
            "in_person": self.in_person,
            "telehealth": self.telehealth,
            "service_ids": list(self.service_ids),
            "whole_days": self.whole_days,
            "first_day": self.first_day,
            "day": self.first_day,
            "last_day": self.last_day,
            "note": self.note,
        }
        target = self.block_id if self.mode == "block" and self.block_id else None
        return AvailabilityChange(_KINDS[self.mode], target_id=target, draft=values)

    async def _preview(self, viewer: Viewer, *, follow: str = "") -> None:
        from portal_app.state.availability_preview import AvailabilityPreviewState

        await (await self.get_state(AvailabilityPreviewState))._show(viewer, follow=follow)

    @rx.event
    @requires(*STAFF_ROLES)
    async def save(self, viewer: Viewer):
        """Save the draft; sessions it would strand are listed first (``AvailabilityState``)."""
        change = self._change()
        if change is None or self.saving:
            return
        self.saving = True
        yield
        try:
            page = await self.get_state(AvailabilityState)
            result = await page._apply(viewer, change)
        finally:
            self.saving = False
        if result.outcome == EditOutcome.INVALID:
            # Extra hours name their day "day"; the form has one date field for it.
            self.problems = {
                ("first_day" if name == "day" else name): wording.AVAILABILITY_PROBLEMS[problem]
                for name, problem in result.problems.items()
            }
        elif result.ok:
            await self._close(viewer)
