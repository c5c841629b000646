"""Following a clinician's direct booking link."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.domain.vocabulary import Role
from portal_app.services.auth import Viewer
from portal_app.state.access import requires
from portal_app.state.session import SessionState


class DirectBookingState(SessionState):
    """Sends a signed-in client to the wizard with the linked provider chosen."""

    @rx.event
    @requires(Role.CLIENT)
    async def follow_link(self, viewer: Viewer):
        """Open the booking wizard for the slug in the address (sign-in comes first)."""
        slug = self.current_page.removeprefix(routes.BOOK_PREFIX)
        return rx.redirect(routes.appointments_booking(slug), replace=True)
