"""Following a clinician's direct booking link."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.state.session import SessionState


class DirectBookingState(SessionState):
    """Sends a signed-in client to the wizard with the linked provider chosen."""

    @rx.event
    def follow_link(self):
        """Open the booking wizard for the slug in the address (sign-in comes first)."""
        if self._require_user(*routes.roles_for(self.current_page)) is None:
            return self._refusal()
        slug = self.current_page.removeprefix(routes.BOOK_PREFIX)
        return rx.redirect(routes.appointments_booking(slug), replace=True)
