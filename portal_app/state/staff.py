"""Staff page states: the Availability view."""

from __future__ import annotations

import reflex as rx

from portal_app.domain.vocabulary import Role
from portal_app.services.auth import Viewer
from portal_app.services.availability_blocks import describe_blocks
from portal_app.state.access import in_worker, requires
from portal_app.state.session import SessionState

STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN)


class AvailabilityState(SessionState):
    """The recurring availability blocks, in words."""

    blocks: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Read the viewer's own blocks (every clinician's for a practice admin)."""
        self.blocks = await in_worker(
            describe_blocks, practice_id=viewer.practice_id, clinician_id=viewer.clinician_scope
        )
        self.loaded = True
