"""The Settings page's Practice tab: the practice's rules (admins change them, clinicians read them)."""

from __future__ import annotations

import reflex as rx

from portal_app.domain.vocabulary import Role, SettingSubject
from portal_app.services.auth import Viewer
from portal_app.services.practice_settings import (
    SETTING_FIELDS,
    practice_settings,
    update_practice_settings,
)
from portal_app.services.setting_history import recent_changes
from portal_app.state import wording
from portal_app.state.access import Choice, in_worker, requires
from portal_app.state.session import SessionState
from portal_app.state.settings_rows import ChangeRow, PracticeForm, PracticeRow, SettingLine
from portal_app.state.staff import STAFF_ROLES

TABS = ("practice", "services", "locations", "clinicians")


def first_to_correct(errors: dict[str, str]) -> rx.event.EventSpec | None:
    """Focus the first refused field of a form (its id is the field's name), if any."""
    first = next(iter(errors), "")
    return rx.set_focus(first) if first else None


class SettingsState(SessionState):
    """Which tab is open, and the Practice tab: the form, its messages and its history."""

    tab: str = "practice"
    loaded: bool = False
    is_admin: bool = False
    practice: PracticeRow = PracticeRow()
    # The same settings in words, for clinicians (who read them but may not change them).
    summary: list[SettingLine] = []
    # Bumped when the saved values are shown again, so the form takes them as its defaults.
    form_version: int = 0
    errors: dict[str, str] = {}
    notice: str = ""
    notice_ok: bool = True
    history: list[ChangeRow] = []

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Read the practice's settings and their recent changes."""
        self.errors, self.notice = {}, ""
        await self._reload(viewer)

    async def _reload(self, viewer: Viewer) -> None:
        practice = await in_worker(practice_settings, practice_id=viewer.practice_id)
        changes = await in_worker(
            recent_changes, practice_id=viewer.practice_id, subjects=[SettingSubject.PRACTICE]
        )
        zone = self._display_zone(viewer)
        self.practice = PracticeRow.of(practice) if practice else PracticeRow()
        self.summary = [SettingLine.of(practice, field) for field in SETTING_FIELDS] if practice else []
        self.history = [ChangeRow.of(change, zone, name_subject=False) for change in changes]
        self.is_admin = viewer.role == Role.ADMIN
        self.form_version += 1
        self.loaded = True

    @rx.event
    @requires(*STAFF_ROLES)
    async def set_tab(self, viewer: Viewer, tab: Choice):
        """Show another tab."""
        if tab in TABS:
            self.tab = tab

    @rx.event
    @requires(Role.ADMIN)
    async def save_practice(self, viewer: Viewer, form: PracticeForm):
        """Save the Practice tab: every value checked on the server, each change audited."""
        result = await in_worker(
            update_practice_settings,
            writing=True,
            viewer=viewer,
            values=form.model_dump(),
            now=self._now(),
        )
        self.errors = wording.field_messages(result.problems)
        self.notice, self.notice_ok = wording.EDIT_OUTCOMES[result.outcome], result.ok
        if result.ok:
            await self._reload(viewer)
        return first_to_correct(self.errors)
