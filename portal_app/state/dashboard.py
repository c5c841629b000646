"""The staff Dashboard: the request queue with Accept / Decline, and what is coming up."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.domain.time_display import waiting_label
from portal_app.http_security import portal_address
from portal_app.services.appointments import AuditLine, staff_appointment_details
from portal_app.services.auth import Viewer
from portal_app.services.request_decisions import accept_request, decline_request
from portal_app.services.session_records import cancel_by_staff, record_attendance
from portal_app.services.staff_queue import staff_queue
from portal_app.state import live_updates, wording
from portal_app.state.access import Flag, MessageForm, RecordId, in_worker, open_to_all, requires
from portal_app.state.proposal import ProposalState
from portal_app.state.rows import AppointmentRow, PendingRow, StaffDetail
from portal_app.state.session import SessionState
from portal_app.state.staff import STAFF_ROLES


class DashboardState(SessionState):
    """Requests oldest first; staff act on their own (admins on the practice's)."""

    pending: list[PendingRow] = []
    upcoming: list[AppointmentRow] = []
    to_record: list[AppointmentRow] = []
    sees_all_clinicians: bool = False
    loaded: bool = False
    flash: str = ""
    flash_error: str = ""
    decline_id: int = 0
    decline_summary: str = ""
    detail: StaffDetail = StaffDetail()
    detail_trail: list[AuditLine] = []
    detail_open: bool = False
    # The details dialog asks "are you sure?" (with a message to the client) before a cancel.
    confirming_cancel: bool = False
    _detail_opened_in: str = ""

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Read the viewer's queue (every clinician's for a practice admin)."""
        self.flash = self.flash_error = ""
        await self._read(viewer)
        await live_updates.follow(self, viewer.user_id)

    @rx.event
    @requires(*STAFF_ROLES)
    async def page_opened(self, viewer: Viewer):
        """The page was opened or reloaded (not a connection coming back): dialogs left open in an
        earlier page close."""
        if self._detail_opened_in != self._connection():
            self.detail_open = self.confirming_cancel = False
            self.decline_id = 0
        return ProposalState.close_if_left_open

    @rx.event
    @requires(*STAFF_ROLES, activity=False)
    async def refresh(self, viewer: Viewer):
        """Re-read: pushed when a request of the viewer's changes, polled slowly as a safety net."""
        await self._read(viewer)

    async def _read(self, viewer: Viewer) -> None:
        now = self._now()
        queue = await in_worker(
            staff_queue,
            practice_id=viewer.practice_id,
            clinician_id=viewer.clinician_scope,
            now=now,
            zone=viewer.practice_zone,
        )
        self.pending = [
            PendingRow(
                appointment=AppointmentRow.of(view),
                waiting=waiting_label(view.requested_at, now),
                conflict=wording.overlaps_confirmed(queue.conflicts.get(view.id, "")),
                warning=wording.overlaps_pending(queue.overlaps.get(view.id, "")),
                newcomer=wording.newcomer_line(queue.newcomers.get(view.id)),
            )
            for view in queue.pending
        ]
        self.upcoming = [AppointmentRow.of(view) for view in queue.upcoming]
        self.to_record = [AppointmentRow.of(view) for view in queue.to_record]
        self.sees_all_clinicians = viewer.clinician_scope is None
        self.loaded = True

    @rx.event
    @requires(*STAFF_ROLES)
    async def accept(self, viewer: Viewer, appointment_id: RecordId):
        """Accept a request: the service re-checks it is still pending and still free."""
        result = await in_worker(
            accept_request,
            writing=True,
            viewer=viewer,
            appointment_id=appointment_id,
            link_base=portal_address(),
            now=self._now(),
        )
        self._report(result)
        self.detail_open = False
        await self._read(viewer)
        live_updates.push(result.concerns, origin=self)

    @rx.event
    @requires(*STAFF_ROLES)
    async def ask_decline(self, viewer: Viewer, appointment_id: RecordId):
        """Open the Decline dialog for one request of the viewer's queue."""
        row = next((row for row in self.pending if row.appointment.id == appointment_id), None)
        if row is None:
            self.flash, self.flash_error = "", wording.NOT_FOUND
            return
        request = row.appointment
        self.decline_id, self.detail_open = appointment_id, False
        self._detail_opened_in = self._connection()
        self.decline_summary = f"{request.client} · {request.day} · {request.time}"

    @rx.event
    @open_to_all
    async def set_decline_open(self, is_open: Flag):
        """Closing the dialog (Escape, outside click) is the same as Cancel."""
        if not is_open:
            self.decline_id = 0

    @rx.event
    @requires(*STAFF_ROLES)
    async def decline(self, viewer: Viewer, form_data: MessageForm):
        """Decline the request in the dialog, with the optional message to the client."""
        if not self.decline_id:
            self.flash, self.flash_error = "", wording.NOT_FOUND
            return
        result = await in_worker(
            decline_request,
            writing=True,
            viewer=viewer,
            appointment_id=self.decline_id,
            message=form_data.message,
            now=self._now(),
        )
        self.decline_id = 0
        self._report(result)
        await self._read(viewer)
        live_updates.push(result.concerns, origin=self)

    @rx.event
    @requires(*STAFF_ROLES)
    async def open_details(self, viewer: Viewer, appointment_id: RecordId):
        """Show one appointment with its history (audit log), if the viewer may see it."""
        details = await in_worker(
            staff_appointment_details,
            practice_id=viewer.practice_id,
            clinician_id=viewer.clinician_scope,
            appointment_id=appointment_id,
            zone=viewer.practice_zone,
            now=self._now(),
        )
        if details is None:
            self.flash, self.flash_error = "", wording.NOT_FOUND
            return
        self.detail = StaffDetail(
            appointment=AppointmentRow.of(details.view),
            email=details.client_email,
            phone=details.client_phone,
            phone_href=routes.phone_link(details.client_phone),
            attendees=", ".join(details.attendees),
            can_cancel=details.can_cancel,
            can_record=details.can_record,
        )
        self.detail_trail = details.trail
        self.detail_open, self.confirming_cancel = True, False
        self._detail_opened_in = self._connection()

    @rx.event
    @requires(*STAFF_ROLES)
    async def ask_to_cancel(self, viewer: Viewer, asking: Flag):
        """Show (or leave) the "are you sure?" step of cancelling the open appointment."""
        self.confirming_cancel = asking and self.detail.can_cancel

    @rx.event
    @requires(*STAFF_ROLES)
    async def cancel(self, viewer: Viewer, form_data: MessageForm):
        """Cancel the confirmed appointment in the dialog; the client gets the message by email."""
        await self._settle(
            viewer, cancel_by_staff, appointment_id=self.detail.appointment.id, message=form_data.message
        )

    @rx.event
    @requires(*STAFF_ROLES)
    async def record_attendance(self, viewer: Viewer, attended: Flag):
        """Record the started session in the dialog as attended, or as a no-show."""
        await self._settle(
            viewer, record_attendance, appointment_id=self.detail.appointment.id, attended=attended
        )

    async def _settle(self, viewer: Viewer, change, **arguments) -> None:
        result = await in_worker(change, writing=True, viewer=viewer, now=self._now(), **arguments)
        self.confirming_cancel = self.detail_open = False
        self._report(result)
        await self._read(viewer)
        live_updates.push(result.concerns, origin=self)

    @rx.event
    @open_to_all
    async def set_detail_open(self, is_open: Flag):
        """Close the details dialog."""
        self.detail_open = is_open and bool(self.detail.appointment.id)
        self.confirming_cancel = False

    def _report(self, result) -> None:
        text = wording.result_text(result)
        self.flash, self.flash_error = (text, "") if result.ok else ("", text)
