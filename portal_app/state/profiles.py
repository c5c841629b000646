"""The Settings page's Clinicians tab: a clinician edits their own profile, an admin anyone's."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.domain.vocabulary import Role, SettingSubject
from portal_app.services.auth import Viewer
from portal_app.services.clinician_profiles import editable_profiles, save_profile
from portal_app.services.setting_history import recent_changes
from portal_app.state import wording
from portal_app.state.access import Flag, RecordId, in_worker, open_to_all, requires
from portal_app.state.session import SessionState
from portal_app.state.settings import first_to_correct
from portal_app.state.settings_rows import ChangeRow, ProfileForm, ProfileRow
from portal_app.state.staff import STAFF_ROLES


class ProfilesState(SessionState):
    """The profiles the viewer may edit, the dialog editing one, and their recent changes."""

    loaded: bool = False
    profiles: list[ProfileRow] = []
    history: list[ChangeRow] = []
    editing: ProfileRow = ProfileRow()
    errors: dict[str, str] = {}
    notice: str = ""
    notice_ok: bool = True
    # The profile whose booking link was just copied (its Copy button says "Copied").
    copied: int = 0

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Read the viewer's own profile (every clinician's for an admin)."""
        self.notice, self.editing, self.errors = "", ProfileRow(), {}
        await self._reload(viewer)

    async def _reload(self, viewer: Viewer) -> None:
        clinicians = await in_worker(editable_profiles, viewer=viewer)
        origin = getattr(self.router.url, "origin", "") or ""
        self.profiles = [
            ProfileRow.of(clinician, f"{origin}{routes.booking_link(clinician.slug)}")
            for clinician in clinicians
        ]
        changes = await in_worker(
            recent_changes,
            practice_id=viewer.practice_id,
            subjects=[SettingSubject.CLINICIAN],
            # A clinician sees the changes to their own profile only.
            subject_id=viewer.clinician_id if viewer.role == Role.CLINICIAN else None,
        )
        zone = self._display_zone(viewer)
        self.history = [ChangeRow.of(change, zone, name_subject=True) for change in changes]
        self.loaded = True

    @rx.event
    @requires(*STAFF_ROLES)
    async def open_edit(self, viewer: Viewer, clinician_id: RecordId):
        """Open the dialog for one of the listed profiles."""
        row = next((profile for profile in self.profiles if profile.id == clinician_id), None)
        if row is not None:
            self.editing, self.errors, self.notice = row, {}, ""

    @rx.event
    @requires(*STAFF_ROLES)
    async def mark_copied(self, viewer: Viewer, clinician_id: RecordId):
        """Confirm the booking link of a listed profile was copied."""
        if any(profile.id == clinician_id for profile in self.profiles):
            self.copied = clinician_id

    @rx.event
    @open_to_all
    async def set_editor_open(self, is_open: Flag):
        """Close the dialog (it opens through ``open_edit``)."""
        if not is_open:
            self.editing, self.errors = ProfileRow(), {}

    @rx.event
    @requires(*STAFF_ROLES)
    async def save(self, viewer: Viewer, form: ProfileForm):
        """Save the profile open in the dialog (the service checks it is the viewer's to change)."""
        if not self.editing.id:
            return
        result = await in_worker(
            save_profile,
            writing=True,
            viewer=viewer,
            clinician_id=self.editing.id,
            values=form.model_dump(),
            now=self._now(),
        )
        self.errors = wording.field_messages(result.problems)
        if result.problems:
            return first_to_correct(self.errors)
        self.notice, self.notice_ok = wording.EDIT_OUTCOMES[result.outcome], result.ok
        self.editing = ProfileRow()
        await self._reload(viewer)
