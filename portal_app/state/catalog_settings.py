"""The Settings page's Services and Locations tabs: add, change, retire and restore (admins)."""

from __future__ import annotations

import reflex as rx

from portal_app.domain.vocabulary import Role, SettingSubject
from portal_app.services.auth import Viewer
from portal_app.services.catalog_editing import catalog_listing, save_catalog_entry, set_catalog_entry_active
from portal_app.services.setting_history import recent_changes
from portal_app.services.setting_inputs import EditResult
from portal_app.state import wording
from portal_app.state.access import Choice, Flag, RecordId, in_worker, open_to_all, requires
from portal_app.state.session import SessionState
from portal_app.state.settings import first_to_correct
from portal_app.state.settings_rows import ChangeRow, EntryForm, EntryRow
from portal_app.state.staff import STAFF_ROLES

KINDS = {"service": SettingSubject.SERVICE, "location": SettingSubject.LOCATION}


class CatalogSettingsState(SessionState):
    """The practice's services and locations, the dialog editing one, and the retire confirmation."""

    loaded: bool = False
    is_admin: bool = False
    services: list[EntryRow] = []
    locations: list[EntryRow] = []
    service_history: list[ChangeRow] = []
    location_history: list[ChangeRow] = []
    notice: str = ""
    notice_ok: bool = True
    # The edit dialog: which kind, the entry (id 0: a new one), and the refused fields.
    editing_kind: str = ""
    editing: EntryRow = EntryRow()
    errors: dict[str, str] = {}
    # The retire confirmation: the kind and entry named in it.
    retiring_kind: str = ""
    retiring: EntryRow = EntryRow()

    _listed: dict[str, dict[int, EntryRow]] = {}

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Read the practice's services and locations and their recent changes."""
        self.notice = ""
        self._close()
        await self._reload(viewer)

    async def _reload(self, viewer: Viewer) -> None:
        listing = await in_worker(catalog_listing, practice_id=viewer.practice_id)
        self.services = [EntryRow.of_service(service) for service in listing.services]
        self.locations = [EntryRow.of_location(location) for location in listing.locations]
        self._listed = {
            "service": {row.id: row for row in self.services},
            "location": {row.id: row for row in self.locations},
        }
        zone = self._display_zone(viewer)
        for kind, subject in KINDS.items():
            changes = await in_worker(recent_changes, practice_id=viewer.practice_id, subjects=[subject])
            rows = [ChangeRow.of(change, zone, name_subject=True) for change in changes]
            setattr(self, f"{kind}_history", rows)
        self.is_admin = viewer.role == Role.ADMIN
        self.loaded = True

    def _close(self) -> None:
        self.editing_kind, self.editing, self.errors = "", EntryRow(), {}
        self.retiring_kind, self.retiring = "", EntryRow()

    def _show(self, result: EditResult) -> None:
        self.notice, self.notice_ok = wording.EDIT_OUTCOMES[result.outcome], result.ok

    @rx.event
    @requires(Role.ADMIN)
    async def open_new(self, viewer: Viewer, kind: Choice):
        """Open the dialog for a new service or location."""
        if kind in KINDS:
            self._close()
            self.editing_kind, self.notice = kind, ""

    @rx.event
    @requires(Role.ADMIN)
    async def open_edit(self, viewer: Viewer, kind: Choice, entry_id: RecordId):
        """Open the dialog for one of the listed services or locations."""
        row = self._listed.get(kind, {}).get(entry_id) if kind in KINDS else None
        if row is not None:
            self._close()
            self.editing_kind, self.editing, self.notice = kind, row, ""

    @rx.event
    @open_to_all
    async def set_editor_open(self, is_open: Flag):
        """Close the dialog (it opens through ``open_new`` or ``open_edit``)."""
        if not is_open:
            self._close()

    @rx.event
    @requires(Role.ADMIN)
    async def save_entry(self, viewer: Viewer, form: EntryForm):
        """Save the dialog: a new entry, or changes to the one open."""
        if self.editing_kind not in KINDS:
            return
        result = await in_worker(
            save_catalog_entry,
            writing=True,
            viewer=viewer,
            kind=KINDS[self.editing_kind],
            entry_id=self.editing.id or None,
            values=form.model_dump(),
            now=self._now(),
        )
        self.errors = wording.field_messages(result.problems)
        if result.problems:
            return first_to_correct(self.errors)
        self._show(result)
        self._close()
        await self._reload(viewer)

    @rx.event
    @requires(Role.ADMIN)
    async def ask_retire(self, viewer: Viewer, kind: Choice, entry_id: RecordId):
        """Ask to confirm retiring one of the listed services or locations."""
        row = self._listed.get(kind, {}).get(entry_id) if kind in KINDS else None
        if row is not None and row.active:
            self._close()
            self.retiring_kind, self.retiring = kind, row

    @rx.event
    @open_to_all
    async def set_confirm_open(self, is_open: Flag):
        """Close the retire confirmation (it opens through ``ask_retire``)."""
        if not is_open:
            self._close()

    @rx.event
    @requires(Role.ADMIN)
    async def retire(self, viewer: Viewer):
        """Retire the entry named in the confirmation: kept for history, no longer offered."""
        if self.retiring_kind in KINDS and self.retiring.id:
            await self._set_active(viewer, self.retiring_kind, self.retiring.id, active=False)

    @rx.event
    @requires(Role.ADMIN)
    async def restore(self, viewer: Viewer, kind: Choice, entry_id: RecordId):
        """Offer a retired service or location again."""
        if kind in KINDS:
            await self._set_active(viewer, kind, entry_id, active=True)

    async def _set_active(self, viewer: Viewer, kind: str, entry_id: int, *, active: bool) -> None:
        result = await in_worker(
            set_catalog_entry_active,
            writing=True,
            viewer=viewer,
            kind=KINDS[kind],
            entry_id=entry_id,
            active=active,
            now=self._now(),
        )
        self._show(result)
        self._close()
        await self._reload(viewer)
