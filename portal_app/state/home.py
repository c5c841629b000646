"""The practice's public portal page."""

from __future__ import annotations

import reflex as rx

from portal_app.state.access import open_to_all
from portal_app.state.session import SessionState


class HomeState(SessionState):
    """Signed-in visitors go to their own home page; others see the practice."""

    @rx.event
    @open_to_all
    async def load(self):
        """Send a signed-in person on; otherwise show the practice's name and phone."""
        return await self._welcome()


class NotFoundState(SessionState):
    """The page for an unknown address names the practice, whoever is looking."""

    @rx.event
    @open_to_all
    async def load(self):
        """Show the practice's name."""
        await self._show_practice()
