"""The Availability page: whose availability, its lists, deleting and ending, and the decisions.

Every change, from the form (``availability_draft``) or from a row's buttons here, goes through
``_apply``: the service validates it, works out which sessions it would strand and, until each
has a decision, answers with that list, which this state shows in the "Before saving" dialog.
"""

from __future__ import annotations

from typing import Annotated

import reflex as rx
from pydantic import StringConstraints

from portal_app.domain import time_display
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.services.auth import Viewer
from portal_app.services.availability_editing import (
    AvailabilityChange,
    ChangeKind,
    Decision,
    EditOutcome,
    EditResult,
    apply_change,
    availability_editor,
)
from portal_app.state import live_updates, wording
from portal_app.state.access import Choice, Flag, RecordId, in_worker, requires
from portal_app.state.availability_rows import AffectedRow, BlockRow, ExceptionRow
from portal_app.state.rows import Option
from portal_app.state.session import SessionState
from portal_app.state.staff import STAFF_ROLES

KEEP, RELEASE = "keep", "release"
Message = Annotated[str, StringConstraints(strict=True, max_length=MAX_MESSAGE_LENGTH)]


class AvailabilityState(SessionState):
    """One clinician's availability: the viewer's own, or any of the practice's for an admin."""

    loaded: bool = False
    clinicians: list[Option] = []
    clinician_id: str = ""
    zone: str = ""
    zone_label: str = ""
    locations: list[Option] = []
    services: list[Option] = []
    blocks: list[BlockRow] = []
    exceptions: list[ExceptionRow] = []
    flash: str = ""
    flash_error: str = ""
    # The confirmation dialog of a delete or an end: what it is about, and the end's last day.
    confirm: str = ""  # "" | "delete_block" | "end_block" | "delete_exception"
    confirm_title: str = ""
    confirm_id: int = 0
    end_day: str = ""
    end_error: str = ""
    # The "Before saving" dialog.
    affected: list[AffectedRow] = []
    decisions: dict[str, str] = {}
    deciding: bool = False
    decide_error: str = ""

    _pending: AvailabilityChange | None = None
    _messages: dict[str, str] = {}
    _block_drafts: dict[int, dict[str, object]] = {}

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Show the viewer's own availability (an admin's first clinician's)."""
        self.flash = self.flash_error = ""
        await self._read(viewer, None)
        await live_updates.follow(self, viewer.user_id)

    @rx.event
    @requires(*STAFF_ROLES, activity=False)
    async def refresh(self, viewer: Viewer):
        """Re-read the lists: pushed when someone changes this availability."""
        await self._read(viewer, Option.chosen(self.clinician_id, self.clinicians))
        await self._show_preview(viewer)

    async def _show_preview(self, viewer: Viewer) -> None:
        from portal_app.state.availability_preview import AvailabilityPreviewState

        await (await self.get_state(AvailabilityPreviewState))._show(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def choose_clinician(self, viewer: Viewer, value: Choice):
        """An admin picks whose availability to edit (only the clinicians offered)."""
        chosen = Option.chosen(value, self.clinicians)
        if chosen is None:
            return
        self.flash = self.flash_error = ""
        await self._read(viewer, chosen)
        self._end_decisions()
        await (await self.get_state(_draft_state()))._close(viewer)

    async def _read(self, viewer: Viewer, clinician_id: int | None) -> None:
        data = await in_worker(availability_editor, viewer=viewer, clinician_id=clinician_id, now=self._now())
        if data is None:
            self.loaded, self.flash_error = True, wording.AVAILABILITY_OUTCOMES[EditOutcome.NOT_FOUND]
            return
        self.clinicians = Option.listed(data.clinicians, data.clinicians)
        self.clinician_id = str(data.clinician_id)
        self.zone = data.zone
        self.zone_label = time_display.zone_label(data.zone, self._now())
        self.locations = Option.listed(data.locations, data.locations)
        self.services = Option.listed(data.services, data.services)
        self.blocks = [
            BlockRow(
                id=b.id,
                days=b.days,
                hours=b.hours,
                repeats=b.repeats,
                location=b.location,
                forums=b.forums,
                services=b.services,
                valid=b.valid,
                label=f"{b.days}, {b.hours} at {b.location}",
            )
            for b in data.blocks
        ]
        self._block_drafts = {b.id: b.draft for b in data.blocks}
        self.exceptions = [
            ExceptionRow(id=e.id, kind=e.kind, title=e.title, when=e.when, details=e.details, note=e.note)
            for e in data.exceptions
        ]
        self.loaded = True

    def _clinician(self) -> int:
        return Option.chosen(self.clinician_id, self.clinicians) or 0

    async def _apply(self, viewer: Viewer, change: AvailabilityChange) -> EditResult:
        """Save ``change`` with the decisions made so far; show the list when more are needed."""
        decisions = {
            int(key): Decision(release=choice == RELEASE, message=self._messages.get(key, ""))
            for key, choice in self.decisions.items()
        }
        result = await in_worker(
            apply_change,
            writing=True,
            viewer=viewer,
            clinician_id=self._clinician(),
            change=change,
            decisions=decisions if self._pending == change else {},
            now=self._now(),
        )
        if result.outcome == EditOutcome.NEEDS_DECISIONS:
            if self._pending != change:
                self.decisions, self._messages = {}, {}
            self._pending = change
            self.affected = [AffectedRow.of(item) for item in result.affected]
            shown = {row.key for row in self.affected}
            self.decisions = {k: v for k, v in self.decisions.items() if k in shown}
            self.deciding, self.decide_error = True, ""
            return result
        self._end_decisions()
        if result.ok:
            self.flash = wording.AVAILABILITY_OUTCOMES[result.outcome] + wording.released_text(
                result.released
            )
            self.flash_error = ""
            await self._read(viewer, self._clinician())
            await self._show_preview(viewer)
            live_updates.push(result.concerns, origin=self)
        elif result.outcome != EditOutcome.INVALID:
            self.flash, self.flash_error = "", wording.AVAILABILITY_OUTCOMES[result.outcome]
        return result

    def _end_decisions(self) -> None:
        self._pending, self.affected, self.decisions, self._messages = None, [], {}, {}
        self.deciding, self.decide_error = False, ""

    @rx.event
    @requires(*STAFF_ROLES)
    async def choose_decision(self, viewer: Viewer, appointment_key: Choice, choice: Choice):
        """Keep, or release (decline / cancel), one session of the list."""
        if choice in (KEEP, RELEASE) and appointment_key in {row.key for row in self.affected}:
            self.decisions = {**self.decisions, appointment_key: choice}

    @rx.event
    @requires(*STAFF_ROLES)
    async def save_with_decisions(self, viewer: Viewer):
        """Save the change with a decision for each session (re-checked on the server)."""
        if self._pending is None:
            self.deciding = False
            return
        if any(row.key not in self.decisions for row in self.affected):
            self.decide_error = "Choose what to do with each session first."
            return
        result = await self._apply(viewer, self._pending)
        if result.outcome == EditOutcome.NEEDS_DECISIONS:
            self.decide_error = "The list changed while you were deciding. Please check it again."
        elif result.ok:
            await (await self.get_state(_draft_state()))._close(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_decision_message(self, viewer: Viewer, appointment_key: Choice, message: Message):
        """The message to the client of one released session (kept on the server until Save)."""
        if appointment_key in {row.key for row in self.affected}:
            self._messages = {**self._messages, appointment_key: message.strip()}

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_deciding(self, viewer: Viewer, is_open: Flag):
        """Closing the dialog leaves the change unsaved."""
        if not is_open:
            self._end_decisions()

    @rx.event
    @requires(*STAFF_ROLES)
    async def ask_delete_block(self, viewer: Viewer, block_id: RecordId):
        """Ask before deleting a block, naming it."""
        row = next((b for b in self.blocks if b.id == block_id), None)
        if row is not None:
            self.confirm, self.confirm_id, self.confirm_title = "delete_block", block_id, row.label

    @rx.event
    @requires(*STAFF_ROLES)
    async def ask_end_block(self, viewer: Viewer, block_id: RecordId):
        """Ask for a block's last day."""
        row = next((b for b in self.blocks if b.id == block_id), None)
        if row is not None:
            self.confirm, self.confirm_id, self.confirm_title = "end_block", block_id, row.label
            self.end_day, self.end_error = (
                str(self._block_drafts.get(block_id, {}).get("valid_until", "")),
                "",
            )

    @rx.event
    @requires(*STAFF_ROLES)
    async def ask_delete_exception(self, viewer: Viewer, exception_id: RecordId):
        """Ask before deleting a time off or extra hours, naming it."""
        row = next((e for e in self.exceptions if e.id == exception_id), None)
        if row is not None:
            self.confirm, self.confirm_id = "delete_exception", exception_id
            self.confirm_title = f"{row.title}: {row.when}"

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_end_day(self, viewer: Viewer, value: Choice):
        """The last day typed in the End dialog."""
        self.end_day = value

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_confirm_open(self, viewer: Viewer, is_open: Flag):
        """Closing a confirmation is the same as its Cancel."""
        if not is_open:
            self.confirm, self.confirm_id, self.end_error = "", 0, ""

    @rx.event
    @requires(*STAFF_ROLES)
    async def confirm_change(self, viewer: Viewer):
        """Delete or end what the open confirmation names."""
        kinds = {
            "delete_block": ChangeKind.DELETE_BLOCK,
            "end_block": ChangeKind.END_BLOCK,
            "delete_exception": ChangeKind.DELETE_EXCEPTION,
        }
        if self.confirm not in kinds or not self.confirm_id:
            return
        draft = {"valid_until": self.end_day} if self.confirm == "end_block" else {}
        change = AvailabilityChange(kinds[self.confirm], target_id=self.confirm_id, draft=draft)
        result = await self._apply(viewer, change)
        if result.outcome == EditOutcome.INVALID:
            problem = next(iter(result.problems.values()))
            self.end_error = wording.AVAILABILITY_PROBLEMS[problem]
            return
        self.confirm, self.confirm_id, self.end_error = "", 0, ""


def _draft_state() -> type[SessionState]:
    # The form's state imports this one; imported when first needed.
    from portal_app.state.availability_draft import AvailabilityDraftState

    return AvailabilityDraftState
