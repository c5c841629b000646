"""Propose another time: a therapist answers a pending request with a time of their own.

The week shown is the clinician's availability for the request's service, place and forum, as
the client would see it (same engine), with the request's own time free; the service re-checks
the chosen time under the clinician's lock.
"""

from __future__ import annotations

import reflex as rx

from portal_app.domain.time_display import week_containing
from portal_app.domain.vocabulary import Forum
from portal_app.http_security import portal_address
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest
from portal_app.services.proposals import proposal_context, propose_time
from portal_app.state import live_updates, wording
from portal_app.state.access import (
    Epoch,
    Flag,
    MessageForm,
    Minutes,
    RecordId,
    Step,
    in_worker,
    open_to_all,
    requires,
)
from portal_app.state.session import SessionState
from portal_app.state.staff import STAFF_ROLES
from portal_app.state.week_picker import WeekPicker


class ProposalState(WeekPicker, SessionState):
    """The "Propose another time" dialog of the Dashboard."""

    is_open: bool = False
    client: str = ""
    requested: str = ""
    error: str = ""
    sending: bool = False

    _request_id: int = 0
    _opened_in: str = ""
    _slot: dict[str, int | str] = {}

    def _slot_request(self, viewer: Viewer) -> SlotRequest:
        return SlotRequest(
            clinician_id=int(self._slot["clinician_id"]),
            service_id=int(self._slot["service_id"]),
            location_id=int(self._slot["location_id"]),
            forum=Forum(str(self._slot["forum"])),
            is_new_client=False,
            ignore_appointment_id=self._request_id,
        )

    def _calendar_zone(self, viewer: Viewer) -> str:
        return viewer.practice_zone

    @rx.event
    @requires(*STAFF_ROLES)
    async def open_for(self, viewer: Viewer, appointment_id: RecordId):
        """Open the dialog on one pending request of the viewer's (an admin's: the practice's)."""
        context = await in_worker(
            proposal_context, viewer=viewer, appointment_id=appointment_id, zone=viewer.practice_zone
        )
        self._clear_time()
        if context is None:
            self.is_open, self.error = False, ""
            return rx.toast.error(wording.NOT_FOUND, id="proposal-not-found")
        self._request_id = context.appointment_id
        self._slot = {
            "clinician_id": context.clinician_id,
            "service_id": context.service_id,
            "location_id": context.location_id,
            "forum": context.forum.value,
        }
        self.client, self.requested, self.error, self.is_open = context.client, context.requested, "", True
        self._opened_in = self._connection()
        await self._load_week(
            viewer, week_containing(self._local_day(viewer, context.starts_at), self._today(viewer))
        )
        return None

    @rx.event
    @requires(*STAFF_ROLES)
    async def change_week(self, viewer: Viewer, step: Step):
        """Show the previous (-1) or next (+1) week."""
        first = self._week_after(viewer, step)
        if self._request_id and first is not None:
            await self._load_week(viewer, first)

    @rx.event
    @requires(*STAFF_ROLES)
    async def select_time(self, viewer: Viewer, start: Epoch, minutes: Minutes):
        """The calendar's one event per choice: kept if the week offered that time and length."""
        self.error = "" if self._pick(viewer, start, minutes) else wording.NOT_OFFERED_TIME

    @rx.event
    @requires(*STAFF_ROLES)
    async def send(self, viewer: Viewer, form: MessageForm):
        """Send the proposal: the request is declined and the client asked to accept the new time."""
        if self.sending or not self._request_id:
            return
        if not self.selected_start:
            self.error = wording.CHOOSE_FIRST
            return
        self.sending = True
        yield
        try:
            result = await in_worker(
                propose_time,
                writing=True,
                viewer=viewer,
                appointment_id=self._request_id,
                message=form.message,
                link_base=portal_address(),
                now=self._now(),
                **self._interval(),
            )
        finally:
            self.sending = False
        if not result.ok:
            self.error = wording.result_text(result)
            await self._load_week(viewer, self._local_day(viewer, self._interval()["starts_at"]))
            return
        self.is_open, self._request_id = False, 0
        live_updates.push(result.concerns, origin=self)
        yield rx.toast.success(wording.result_text(result), id="proposal-sent")

    @rx.event
    @requires(*STAFF_ROLES)
    async def close_if_left_open(self, viewer: Viewer):
        """A page opened or reloaded: the dialog left open in an earlier page closes."""
        if self._opened_in != self._connection():
            self.is_open = False

    @rx.event
    @open_to_all
    async def set_is_open(self, is_open: Flag):
        """Close the dialog (Cancel, Escape, a click outside)."""
        if not is_open:
            self.is_open = False
