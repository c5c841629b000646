"""Following a clinician's direct booking link."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.domain.vocabulary import Role
from portal_app.services.auth import Viewer
from portal_app.services.clinician_profiles import closed_booking_link
from portal_app.state import wording
from portal_app.state.access import in_worker, requires
from portal_app.state.session import SessionState


class DirectBookingState(SessionState):
    """Sends a signed-in client to the wizard with the linked provider chosen, or says why not."""

    # Set when the linked clinician does not take online requests: the page explains instead.
    closed_title: str = ""
    closed_detail: str = ""

    @rx.event
    @requires(Role.CLIENT)
    async def follow_link(self, viewer: Viewer):
        """Open the booking wizard for the slug in the address (sign-in comes first)."""
        slug = self.current_page.removeprefix(routes.BOOK_PREFIX)
        closed = await in_worker(closed_booking_link, practice_id=viewer.practice_id, slug=slug)
        if closed is not None:
            self.closed_title, self.closed_detail = wording.closed_link_text(
                closed.clinician, closed.practice_phone
            )
            return None
        self.closed_title = self.closed_detail = ""
        return rx.redirect(routes.appointments_booking(slug), replace=True)
