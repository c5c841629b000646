"""Following a clinician's direct booking link."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.domain.vocabulary import Role
from portal_app.services.clinician_profiles import closed_booking_link
from portal_app.services.practice import the_practice
from portal_app.state import wording
from portal_app.state.access import in_worker, open_to_all
from portal_app.state.session import SessionState


class DirectBookingState(SessionState):
    """A signed-in client goes to the wizard with the linked provider chosen; a visitor chooses
    "I'm a New Client" or "I'm an Existing Client"; or the page says why the link is closed."""

    # Set when the linked clinician does not take online requests: the page explains instead.
    closed_title: str = ""
    closed_detail: str = ""
    # Signed out: the two ways in (new clients only when the practice takes them online).
    choosing: bool = False
    new_clients_welcome: bool = False
    new_client_url: str = ""
    sign_in_url: str = ""

    @rx.event
    @open_to_all
    async def follow_link(self):
        """Open the booking wizard for the slug in the address, or offer the ways in."""
        slug = self.current_page.removeprefix(routes.BOOK_PREFIX)
        self.choosing, self.closed_title, self.closed_detail = False, "", ""
        viewer = await self._signed_in_viewer()
        if viewer is not None and viewer.role != Role.CLIENT:
            return rx.redirect(routes.HOME_FOR_ROLE[viewer.role], replace=True)
        practice = await in_worker(the_practice)
        if practice is None:
            return rx.redirect(routes.HOME, replace=True)
        closed = await in_worker(closed_booking_link, practice_id=practice.id, slug=slug)
        if closed is not None:
            await self._show_practice()
            self.closed_title, self.closed_detail = wording.closed_link_text(
                closed.clinician, closed.practice_phone
            )
            return None
        if viewer is not None:
            return rx.redirect(routes.appointments_booking(slug), replace=True)
        await self._show_practice()
        self.choosing, self.new_clients_welcome = True, practice.new_client_requests
        self.new_client_url = routes.new_client_booking(slug)
        self.sign_in_url = routes.login_url(routes.booking_link(slug))
        return None
