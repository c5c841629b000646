"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app.database import open_session
from portal_app.models import Role
from portal_app.services.appointments import client_appointments
from portal_app.state.session import SessionState


class ClientAppointmentsState(SessionState):
    """Upcoming, Requested and Past, for the signed-in client only."""

    upcoming: list[dict[str, str]] = []
    requested: list[dict[str, str]] = []
    past: list[dict[str, str]] = []
    loaded: bool = False

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
