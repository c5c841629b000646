"""Staff page states: the shared access check, and the Availability and Settings views."""

from __future__ import annotations

import reflex as rx

from portal_app.database import open_session
from portal_app.domain.vocabulary import Role
from portal_app.models import Practice
from portal_app.services.auth import Viewer
from portal_app.services.practice import policy_summary
from portal_app.services.schedule_overview import describe_blocks
from portal_app.state.session import SessionState

STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN)


class StaffState(SessionState):
    """Shared by the staff pages: which clinician's data the viewer may see."""

    def _require_staff(self) -> tuple[Viewer, int | None] | None:
        """The staff viewer and the clinician they are limited to (None: all, for admins)."""
        viewer = self._require_user(*STAFF_ROLES)
        if viewer is None or viewer.practice_id is None:
            return None
        if viewer.role == Role.ADMIN:
            return viewer, None
        if viewer.clinician_id is None:
            return None
        return viewer, viewer.clinician_id


class AvailabilityState(StaffState):
    """The recurring availability blocks, in words."""

    blocks: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    def load(self):
        """Read the viewer's own blocks (every clinician's for a practice admin)."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        viewer, clinician_id = access
        with open_session() as session:
            self.blocks = describe_blocks(
                session=session, practice_id=viewer.practice_id, clinician_id=clinician_id
            )
        self.loaded = True
        return None


class SettingsState(StaffState):
    """The practice's scheduling policy."""

    policy: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    def load(self):
        """Read the viewer's practice's policy."""
        access = self._require_staff()
        if access is None:
            return self._refusal()
        viewer, _ = access
        with open_session() as session:
            practice = session.get(Practice, viewer.practice_id)
            self.policy = policy_summary(practice) if practice else []
        self.loaded = True
        return None
