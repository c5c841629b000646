"""Staff page states: the Settings view (Availability lives in ``state.availability``)."""

from __future__ import annotations

import reflex as rx

from portal_app.domain.vocabulary import Role
from portal_app.services.auth import Viewer
from portal_app.services.practice import PolicyLine, practice_policy
from portal_app.state.access import in_worker, requires
from portal_app.state.session import SessionState

STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN)


class SettingsState(SessionState):
    """The practice's scheduling policy."""

    policy: list[PolicyLine] = []
    loaded: bool = False

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Read the viewer's practice's policy."""
        self.policy = await in_worker(practice_policy, practice_id=viewer.practice_id)
        self.loaded = True
