"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.database import open_session
from portal_app.domain.cancellation import can_cancel_online
from portal_app.domain.vocabulary import AppointmentStatus, Role
from portal_app.models import Practice
from portal_app.services.appointment_requests import call_to_cancel, cancel_appointment, withdraw_request
from portal_app.services.appointments import AppointmentView, client_appointment, client_appointments
from portal_app.services.booking_catalog import booking_catalog
from portal_app.state.booking import BookingWizardState
from portal_app.state.session import SessionState


class ClientAppointmentsState(SessionState):
    """Upcoming, Requested and Past, for the signed-in client only."""

    upcoming: list[dict[str, str]] = []
    requested: list[dict[str, str]] = []
    past: list[dict[str, str]] = []
    loaded: bool = False
    # Whether any provider takes online requests (otherwise there is no New Appointment button).
    can_request: bool = False
    detail: dict[str, str] = {}
    detail_open: bool = False
    detail_error: str = ""
    notice: str = ""

    @rx.event
    def load(self):
        """Read the signed-in client's appointments (never anyone else's)."""
        viewer = self._require_user(Role.CLIENT)
        if viewer is None or viewer.client_id is None:
            return self._refusal()
        self._read(viewer)
        slug = self.router.url.query_parameters.get("book")
        if slug and self.can_request:
            return BookingWizardState.open_for_provider(slug)
        if slug:
            return BookingWizardState.open_new
        return None

    @rx.event
    def refresh(self):
        """Re-read while the page is open, so a therapist's decision shows within seconds."""
        viewer = self._require_user(Role.CLIENT)
        if viewer is None or viewer.client_id is None:
            return self._refusal()
        self._read(viewer)
        return None

    def _read(self, viewer) -> None:
        with open_session() as session:
            sections = client_appointments(
                session=session,
                client_id=viewer.client_id,
                now=self._now(),
                zone=self._display_zone(viewer),
            )
            self.can_request = bool(
                booking_catalog(session=session, practice_id=viewer.practice_id).providers
            )
        self.upcoming = [view.as_row() for view in sections.upcoming]
        self.requested = [view.as_row() for view in sections.requested]
        self.past = [view.as_row() for view in sections.past]
        self.loaded = True

    @rx.event
    def open_details(self, appointment_id: str):
        """Show one appointment, if and only if it is the signed-in client's own."""
        viewer = self._require_user(Role.CLIENT)
        if viewer is None or viewer.client_id is None:
            return self._refusal()
        self.detail, self.detail_error = {}, ""
        if not (isinstance(appointment_id, (str, int)) and str(appointment_id).isdigit()):
            self.detail_error = "That appointment could not be found."
            self.detail_open = True
            return None
        with open_session() as session:
            view = client_appointment(
                session=session,
                client_id=viewer.client_id,
                appointment_id=int(appointment_id),
                zone=self._display_zone(viewer),
            )
            practice = session.get(Practice, viewer.practice_id)
        if view is None:
            self.detail_error = "That appointment could not be found."
        else:
            self.detail = view.as_row() | self._actions(view, practice)
        self.detail_open = True
        return None

    def _actions(self, view: AppointmentView, practice: Practice) -> dict[str, str]:
        """What the client may do with this appointment now, as flags the dialog shows."""
        now = self._now()
        upcoming = view.starts_at > now
        confirmed = view.status == AppointmentStatus.CONFIRMED.value
        may_cancel = (
            upcoming
            and confirmed
            and can_cancel_online(
                online_cancellation=practice.online_cancellation,
                window_hours=practice.cancellation_window_hours,
                starts_at=view.starts_at,
                now=now,
            )
        )
        return {
            "calendar_url": routes.calendar_file_url(rx.config.get_config().api_url, view.id),
            "can_withdraw": "yes" if upcoming and view.status == AppointmentStatus.REQUESTED.value else "",
            "can_cancel": "yes" if may_cancel else "",
            "cancel_note": call_to_cancel(practice) if upcoming and confirmed and not may_cancel else "",
        }

    @rx.event
    def withdraw(self, appointment_id: str):
        """Withdraw one of the client's own pending requests."""
        return self._change(appointment_id, withdraw_request)

    @rx.event
    def cancel(self, appointment_id: str):
        """Cancel one of the client's own confirmed appointments, inside the practice's rules."""
        return self._change(appointment_id, cancel_appointment)

    def _change(self, appointment_id: object, change):
        viewer = self._require_user(Role.CLIENT)
        if viewer is None or viewer.client_id is None:
            return self._refusal()
        if not (isinstance(appointment_id, str) and appointment_id.isdigit() and len(appointment_id) < 12):
            self.detail_error = "That appointment could not be found."
            return None
        with open_session(for_writing=True) as session:
            result = change(
                session=session, viewer=viewer, appointment_id=int(appointment_id), now=self._now()
            )
        if not result.ok:
            self.detail_error = result.message
            return None
        self.detail_open, self.notice = False, result.message
        self._read(viewer)
        return None

    @rx.event
    def set_detail_open(self, is_open: bool):
        """Close (or reopen) the details dialog."""
        self.detail_open = bool(is_open) and bool(self.detail or self.detail_error)
