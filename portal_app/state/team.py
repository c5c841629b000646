"""The Team page: clinicians and their accounts, invitations, deactivation. Practice admins only.

The account actions take the kind of person ("clinician" or "client") and their record id, so
other admin pages (the client directory) can offer the same buttons and the same confirmation
dialog (``pages.team.account_dialogs``).
"""

from __future__ import annotations

import reflex as rx

from portal_app.domain.vocabulary import Role
from portal_app.http_security import portal_address
from portal_app.services.account_results import AccountOutcome, AccountResult
from portal_app.services.accounts import find_person, set_active
from portal_app.services.auth import Viewer
from portal_app.services.invitations import (
    add_client_and_invite,
    invite_client,
    invite_clinician,
    resend_invitation,
    revoke_invitation,
)
from portal_app.services.second_step import reset_two_factor
from portal_app.services.team import practice_team
from portal_app.state import live_updates, wording
from portal_app.state.access import Choice, Flag, RecordId, in_worker, requires
from portal_app.state.people_rows import (
    CONFIRMATIONS,
    KINDS,
    ClientInviteForm,
    ClinicianInviteForm,
    FieldErrors,
    PersonRow,
    field_errors,
)
from portal_app.state.session import SessionState


class TeamState(SessionState):
    """Clinicians with their account status, client invitations, and the actions on them."""

    clinicians: list[PersonRow] = []
    invited_clients: list[PersonRow] = []
    loaded: bool = False
    notice: str = ""
    notice_is_error: bool = False
    clinician_dialog_open: bool = False
    client_dialog_open: bool = False
    clinician_errors: FieldErrors = FieldErrors()
    client_errors: FieldErrors = FieldErrors()
    sending: bool = False
    confirm_open: bool = False
    confirm_title: str = ""
    confirm_text: str = ""
    confirm_button: str = ""
    # What the confirmation dialog will do: (action, kind, record id); never from the browser.
    _pending: tuple[str, str, int] = ("", "", 0)

    @rx.event
    @requires(Role.ADMIN)
    async def load(self, viewer: Viewer):
        """Read the practice's team and follow it, so other admins' changes show at once."""
        self.notice = ""
        await self._read(viewer)
        await live_updates.follow(self, viewer.user_id)

    @rx.event
    @requires(Role.ADMIN, activity=False)
    async def refresh(self, viewer: Viewer):
        """Re-read (pushed when another admin changes an account)."""
        await self._read(viewer)

    async def _read(self, viewer: Viewer) -> None:
        team = await in_worker(
            practice_team, practice_id=viewer.practice_id, viewer_user_id=viewer.user_id, now=self._now()
        )
        zone = self._display_zone(viewer)
        self.clinicians = [PersonRow.of(member, zone) for member in team.clinicians]
        self.invited_clients = [PersonRow.of(member, zone) for member in team.invited_clients]
        self.loaded = True

    async def _after(self, viewer: Viewer, result: AccountResult) -> None:
        self.notice, self.notice_is_error = wording.account_text(result), not result.ok
        await self._read(viewer)
        live_updates.push(result.concerns, origin=self)

    @rx.event
    @requires(Role.ADMIN)
    async def set_clinician_dialog_open(self, viewer: Viewer, is_open: Flag):
        """Open or close the Invite clinician dialog (a fresh form each time)."""
        self.clinician_dialog_open, self.clinician_errors = is_open, FieldErrors()

    @rx.event
    @requires(Role.ADMIN)
    async def set_client_dialog_open(self, viewer: Viewer, is_open: Flag):
        """Open or close the Invite client dialog (a fresh form each time)."""
        self.client_dialog_open, self.client_errors = is_open, FieldErrors()

    @rx.event
    @requires(Role.ADMIN)
    async def invite_clinician(self, viewer: Viewer, form_data: ClinicianInviteForm):
        """Add a clinician without a password and email them a one-time link to set one."""
        self.sending = True
        yield
        result = await self._sending(
            invite_clinician,
            practice_id=viewer.practice_id,
            inviter_user_id=viewer.user_id,
            name=form_data.name,
            email=form_data.email,
            credentials=form_data.credentials,
        )
        self.clinician_errors = field_errors(result, extra="credentials")
        self.clinician_dialog_open = not result.ok
        if result.ok:
            await self._after(viewer, result)

    @rx.event
    @requires(Role.ADMIN)
    async def invite_new_client(self, viewer: Viewer, form_data: ClientInviteForm):
        """Add a client with an account without a password and email them a link to set one."""
        self.sending = True
        yield
        result = await self._sending(
            add_client_and_invite,
            practice_id=viewer.practice_id,
            inviter_user_id=viewer.user_id,
            name=form_data.name,
            email=form_data.email,
            phone=form_data.phone,
        )
        self.client_errors = field_errors(result, extra="phone")
        self.client_dialog_open = not result.ok
        if result.ok:
            await self._after(viewer, result)

    async def _sending(self, service, **arguments) -> AccountResult:
        self.sending = True
        try:
            return await in_worker(
                service, writing=True, link_base=portal_address(), now=self._now(), **arguments
            )
        finally:
            self.sending = False

    @rx.event
    @requires(Role.ADMIN)
    async def invite_client(self, viewer: Viewer, client_id: RecordId):
        """Invite an existing client of the practice who has no portal account yet."""
        result = await self._sending(
            invite_client, practice_id=viewer.practice_id, inviter_user_id=viewer.user_id, client_id=client_id
        )
        await self._after(viewer, result)

    @rx.event
    @requires(Role.ADMIN)
    async def resend(self, viewer: Viewer, kind: Choice, record_id: RecordId):
        """Send a new invitation link; the earlier ones stop working."""
        if kind not in KINDS:
            return self._bad_input()
        result = await self._sending(
            resend_invitation,
            practice_id=viewer.practice_id,
            inviter_user_id=viewer.user_id,
            role=KINDS[kind],
            record_id=record_id,
        )
        await self._after(viewer, result)
        return None

    @rx.event
    @requires(Role.ADMIN)
    async def reactivate(self, viewer: Viewer, kind: Choice, record_id: RecordId):
        """Let a deactivated person sign in again."""
        if kind not in KINDS:
            return self._bad_input()
        await self._set_active(viewer, kind, record_id, active=True)
        return None

    async def _set_active(self, viewer: Viewer, kind: str, record_id: int, *, active: bool) -> None:
        result = await in_worker(
            set_active,
            writing=True,
            practice_id=viewer.practice_id,
            actor_user_id=viewer.user_id,
            role=KINDS[kind],
            record_id=record_id,
            active=active,
            now=self._now(),
        )
        await self._after(viewer, result)

    @rx.event
    @requires(Role.ADMIN)
    async def ask(self, viewer: Viewer, action: Choice, kind: Choice, record_id: RecordId):
        """Open the confirmation for revoking an invitation or deactivating someone, naming them."""
        if action not in CONFIRMATIONS or kind not in KINDS:
            return self._bad_input()
        person = await in_worker(
            find_person, practice_id=viewer.practice_id, role=KINDS[kind], record_id=record_id
        )
        if person is None:
            self.notice, self.notice_is_error = wording.ACCOUNT_OUTCOMES[AccountOutcome.NOT_FOUND], True
            return None
        title, text, button = CONFIRMATIONS[action]
        self.confirm_title, self.confirm_button = title.format(name=person.name), button
        self.confirm_text = text.format(name=person.name, email=person.email)
        self._pending, self.confirm_open = (action, kind, record_id), True
        return None

    @rx.event
    @requires(Role.ADMIN)
    async def confirm(self, viewer: Viewer):
        """Do what the confirmation dialog named."""
        action, kind, record_id = self._pending
        self._pending, self.confirm_open = ("", "", 0), False
        if action == "deactivate":
            await self._set_active(viewer, kind, record_id, active=False)
        elif action == "revoke":
            result = await in_worker(
                revoke_invitation,
                writing=True,
                practice_id=viewer.practice_id,
                role=KINDS[kind],
                record_id=record_id,
                now=self._now(),
            )
            await self._after(viewer, result)
        elif action == "reset_two_factor":
            result = await in_worker(
                reset_two_factor,
                writing=True,
                practice_id=viewer.practice_id,
                actor_user_id=viewer.user_id,
                clinician_id=record_id,
                now=self._now(),
            )
            await self._after(viewer, result)

    @rx.event
    @requires(Role.ADMIN)
    async def set_confirm_open(self, viewer: Viewer, is_open: Flag):
        """Close the confirmation dialog without doing anything."""
        self.confirm_open = is_open and self._pending[0] != ""
        if not self.confirm_open:
            self._pending = ("", "", 0)
