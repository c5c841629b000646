"""The practice's public portal page."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.services.practice import the_practice
from portal_app.state.access import in_worker, open_to_all
from portal_app.state.session import SessionState


class HomeState(SessionState):
    """Signed-in visitors go to their own home page; others see the practice."""

    practice_phone: str = ""

    @rx.event
    @open_to_all
    async def load(self):
        """Send a signed-in person on; otherwise show the practice's name and phone."""
        viewer = await self._signed_in_viewer()
        if viewer is not None:
            return rx.redirect(routes.HOME_FOR_ROLE[viewer.role])
        practice = await in_worker(the_practice)
        self.practice_name = practice.name if practice else "Client Portal"
        self.practice_phone = practice.phone if practice else ""
        return None
