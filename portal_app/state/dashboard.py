"""The staff Dashboard: the request queue with Accept / Decline, and what is coming up."""

from __future__ import annotations

import reflex as rx

from portal_app.database import open_session
from portal_app.domain.time_display import waiting_label
from portal_app.services.appointments import (
    audit_trail,
    pending_requests,
    staff_appointment,
    upcoming_confirmed,
)
from portal_app.services.auth import Viewer
from portal_app.services.request_decisions import accept_request, decline_request, pending_conflicts
from portal_app.services.request_review import overlapping_requests
from portal_app.state.staff import StaffState

MAX_MESSAGE_LENGTH = 2000


def _valid_id(value: object) -> int | None:
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        return int(value)
    return None


class DashboardState(StaffState):
    """Requests oldest first; staff act on their own (admins on the practice's)."""

    pending: list[dict[str, str]] = []
    upcoming: list[dict[str, str]] = []
    sees_all_clinicians: bool = False
    loaded: bool = False
    flash: str = ""
    flash_error: str = ""
    busy_id: str = ""
    decline_id: str = ""
    decline_summary: str = ""
    detail: dict[str, str] = {}
    detail_trail: list[dict[str, str]] = []
    detail_open: bool = False

    @rx.event
    def load(self):
        """Read the viewer's queue (every clinician's for a practice admin)."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        self.flash = self.flash_error = ""
        self._read(*access)
        return None

    @rx.event
    def refresh(self):
        """Re-read while the page is open, so new requests appear within seconds."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        self._read(*access)
        return None

    def _read(self, viewer: Viewer, clinician_id: int | None) -> None:
        now, zone = self._now(), viewer.practice_zone
        with open_session() as session:
            scope = {
                "session": session,
                "practice_id": viewer.practice_id,
                "clinician_id": clinician_id,
                "now": now,
            }
            conflicts = pending_conflicts(**scope)
            overlaps = overlapping_requests(**scope)
            pending = pending_requests(**scope, zone=zone)
            upcoming = upcoming_confirmed(**scope, zone=zone)
        self.pending = [
            view.as_row()
            | {
                "waiting": waiting_label(view.requested_at, now),
                "conflict": conflicts.get(view.id, ""),
                "warning": overlaps.get(view.id, ""),
            }
            for view in pending
        ]
        self.upcoming = [view.as_row() for view in upcoming]
        self.sees_all_clinicians = clinician_id is None
        self.loaded = True

    @rx.event
    def accept(self, appointment_id: str):
        """Accept a request: the service re-checks it is still pending and still free."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        viewer, clinician_id = access
        request_id = _valid_id(appointment_id)
        if request_id is None:
            self.flash, self.flash_error = "", "That request could not be found."
            return None
        with open_session(for_writing=True) as session:
            result = accept_request(
                session=session, viewer=viewer, appointment_id=request_id, now=self._now()
            )
        self._report(result, "Accepted. The client has been told by email.")
        self.detail_open = False
        self._read(viewer, clinician_id)
        return None

    @rx.event
    def ask_decline(self, appointment_id: str):
        """Open the Decline dialog for one request of the viewer's."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        row = next((row for row in self.pending if row["id"] == appointment_id), None)
        if not isinstance(appointment_id, str) or row is None:
            self.flash, self.flash_error = "", "That request could not be found."
            return None
        self.decline_id, self.detail_open = appointment_id, False
        self.decline_summary = f"{row['client']} · {row['day']} · {row['time']}"
        return None

    @rx.event
    def set_decline_open(self, is_open: bool):
        """Closing the dialog (Escape, outside click) is the same as Cancel."""
        if not is_open:
            self.decline_id = ""

    @rx.event
    def decline(self, form_data: dict):
        """Decline the request in the dialog, with the optional message to the client."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        viewer, clinician_id = access
        message = form_data.get("message", "") if isinstance(form_data, dict) else ""
        request_id = _valid_id(self.decline_id)
        if not isinstance(message, str) or request_id is None:
            self.flash_error = "That request could not be found."
            return None
        if len(message) > MAX_MESSAGE_LENGTH:
            self.flash_error = f"Please keep the message under {MAX_MESSAGE_LENGTH} characters."
            return None
        with open_session(for_writing=True) as session:
            result = decline_request(
                session=session,
                viewer=viewer,
                appointment_id=request_id,
                message=message.strip(),
                now=self._now(),
            )
        self.decline_id = ""
        self._report(result, "Declined. The time is free again and the client has been told.")
        self._read(viewer, clinician_id)
        return None

    @rx.event
    def open_details(self, appointment_id: str):
        """Show one appointment with its history (audit log), if the viewer may see it."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        viewer, clinician_id = access
        request_id = _valid_id(appointment_id)
        view, trail = None, []
        if request_id is not None:
            with open_session() as session:
                zone = viewer.practice_zone
                view = staff_appointment(
                    session=session,
                    practice_id=viewer.practice_id,
                    clinician_id=clinician_id,
                    appointment_id=request_id,
                    zone=zone,
                )
                trail = audit_trail(session=session, appointment_id=request_id, zone=zone) if view else []
        if view is None:
            self.flash, self.flash_error = "", "That appointment could not be found."
            return None
        self.detail, self.detail_trail, self.detail_open = view.as_row(), trail, True
        return None

    @rx.event
    def set_detail_open(self, is_open: bool):
        """Close the details dialog."""
        self.detail_open = bool(is_open) and bool(self.detail)

    def _report(self, result, success: str) -> None:
        self.flash, self.flash_error = (success, "") if result.ok else ("", result.message)
