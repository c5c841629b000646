"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.database import open_session
from portal_app.models import Role
from portal_app.services.appointments import client_appointment, client_appointments
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
        if view is None:
            self.detail_error = "That appointment could not be found."
        else:
            self.detail = view.as_row() | {
                "calendar_url": routes.calendar_file_url(rx.config.get_config().api_url, view.id)
            }
        self.detail_open = True
        return None

    @rx.event
    def set_detail_open(self, is_open: bool):
        """Close (or reopen) the details dialog."""
        self.detail_open = bool(is_open) and bool(self.detail or self.detail_error)
