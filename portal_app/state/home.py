"""The practice's public portal page."""

from __future__ import annotations

import reflex as rx

from portal_app.services.practice import the_practice
from portal_app.state.access import in_worker, open_to_all
from portal_app.state.session import SessionState


class HomeState(SessionState):
    """Signed-in visitors go to their own home page; others see the practice."""

    # Whether the practice takes first-appointment requests online ("I'm a New Client").
    new_clients_welcome: bool = False

    @rx.event
    @open_to_all
    async def load(self):
        """Send a signed-in person on; otherwise show the practice's name and phone."""
        practice = await in_worker(the_practice)
        self.new_clients_welcome = practice is not None and practice.new_client_requests
        return await self._welcome()


class NotFoundState(SessionState):
    """The page for an unknown address names the practice, whoever is looking."""

    @rx.event
    @open_to_all
    async def load(self):
        """Show the practice's name."""
        await self._show_practice()
