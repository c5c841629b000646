"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app.database import open_session
from portal_app.models import Role
from portal_app.services.appointments import client_appointment, client_appointments
from portal_app.state.session import SessionState


class ClientAppointmentsState(SessionState):
    """Upcoming, Requested and Past, for the signed-in client only."""

    upcoming: list[dict[str, str]] = []
    requested: list[dict[str, str]] = []
    past: list[dict[str, str]] = []
    loaded: bool = False
    detail: dict[str, str] = {}
    detail_open: bool = False
    detail_error: str = ""

    @rx.event
    def load(self):
        """Read the signed-in client's appointments (never anyone else's)."""
        viewer = self._require_user(Role.CLIENT)
        if viewer is None or viewer.client_id is None:
            return self._refusal()
        with open_session() as session:
            sections = client_appointments(
                session=session,
                client_id=viewer.client_id,
                now=self._now(),
                zone=self._display_zone(viewer),
            )
        self.upcoming = [view.as_row() for view in sections.upcoming]
        self.requested = [view.as_row() for view in sections.requested]
        self.past = [view.as_row() for view in sections.past]
        self.loaded = True
        return None

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
            self.detail = view.as_row()
        self.detail_open = True
        return None

    @rx.event
    def set_detail_open(self, is_open: bool):
        """Close (or reopen) the details dialog."""
        self.detail_open = bool(is_open) and bool(self.detail or self.detail_error)
