"""The Clients page: staff search their clients and open one; practice admins add clients.

Which clients a viewer sees is decided by the service from the viewer's ids. The page holds
only the rows it shows; search, "Show more" and a client's record are read in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import reflex as rx
from pydantic import StringConstraints

from portal_app import routes
from portal_app.domain.vocabulary import Role
from portal_app.services.accounts import AccountView
from portal_app.services.auth import Viewer
from portal_app.services.client_entry import add_client
from portal_app.services.clients import (
    MAX_LISTED,
    MAX_SEARCH_LENGTH,
    PAGE_SIZE,
    ClientListing,
    ClientRecord,
    client_directory,
    client_record,
)
from portal_app.state import live_updates, wording
from portal_app.state.access import Flag, Form, RecordId, in_worker, open_to_all, requires
from portal_app.state.people_rows import PersonRow
from portal_app.state.rows import AppointmentRow
from portal_app.state.session import SessionState
from portal_app.state.staff import STAFF_ROLES

SearchText = Annotated[str, StringConstraints(strict=True, max_length=MAX_SEARCH_LENGTH)]
"""What is typed into the search box (the page's input allows no more)."""
_Typed = Annotated[str, StringConstraints(max_length=1000)]


class NewClientForm(Form):
    """The Add client form as the page sends it; the service decides what is valid."""

    full_name: _Typed = ""
    email: _Typed = ""
    phone: _Typed = ""


@dataclass(frozen=True)
class ClientRow:
    """One client in the list."""

    id: int = 0
    name: str = ""
    email: str = ""
    phone: str = ""
    next_appointment: str = ""
    next_unconfirmed: bool = False
    account: str = ""
    account_label: str = ""

    @classmethod
    def of(cls, listing: ClientListing) -> ClientRow:
        """The row for one client of the directory."""
        return cls(
            id=listing.id,
            name=listing.name,
            email=listing.email,
            phone=listing.phone,
            next_appointment=listing.next_appointment,
            next_unconfirmed=listing.next_unconfirmed,
            account=listing.account.status.value,
            account_label=account_label(listing.account),
        )


@dataclass(frozen=True)
class ClientCard:
    """The client's details dialog: contact details and portal account."""

    id: int = 0
    name: str = ""
    email: str = ""
    phone: str = ""
    account: str = ""
    account_label: str = ""

    @classmethod
    def of(cls, record: ClientRecord) -> ClientCard:
        """The card for one client's record."""
        return cls(
            id=record.id,
            name=record.name,
            email=record.email,
            phone=record.phone,
            account=record.account.status.value,
            account_label=account_label(record.account),
        )


def account_label(account: AccountView) -> str:
    """A client's portal account in words."""
    return wording.ACCOUNT_STATUS_LABELS[account.status]


@dataclass(frozen=True)
class AttendeeRow:
    """Someone seen on the client's appointments."""

    name: str = ""
    about: str = ""


class ClientsState(SessionState):
    """The viewer's clients (a clinician's own, every client for a practice admin)."""

    clients: list[ClientRow] = []
    matching: int = 0
    total: int = 0
    search: str = ""
    loaded: bool = False
    searching: bool = False
    can_add: bool = False
    zone: str = ""
    notice: str = ""
    detail: ClientCard = ClientCard()
    # The client's portal account with what an admin may do about it (invite, re-send, revoke…).
    detail_account: PersonRow = PersonRow()
    detail_upcoming: list[AppointmentRow] = []
    detail_past: list[AppointmentRow] = []
    detail_attendees: list[AttendeeRow] = []
    # A practice admin downloads everything held about the client from here ("" for others).
    detail_export_url: str = ""
    detail_open: bool = False
    detail_loading: bool = False
    detail_error: str = ""
    adding_open: bool = False
    add_errors: dict[str, str] = {}

    _limit: int = PAGE_SIZE

    async def _read(self, viewer: Viewer) -> None:
        directory = await in_worker(
            client_directory,
            practice_id=viewer.practice_id,
            clinician_id=viewer.clinician_scope,
            search=self.search,
            limit=self._limit,
            now=self._now(),
            zone=viewer.practice_zone,
        )
        self.clients = [ClientRow.of(listing) for listing in directory.clients]
        self.matching, self.total = directory.matching, directory.total
        self.can_add = viewer.role == Role.ADMIN
        self.zone = viewer.practice_zone
        self.loaded = True

    @rx.event
    @requires(*STAFF_ROLES)
    async def load(self, viewer: Viewer):
        """Read the first page of the viewer's clients."""
        self.search, self.notice, self._limit = "", "", PAGE_SIZE
        await self._read(viewer)
        # A request or a decision about one of the viewer's appointments re-reads the list.
        await live_updates.follow(self, viewer.user_id)

    @rx.event
    @requires(*STAFF_ROLES, activity=False)
    async def refresh(self, viewer: Viewer):
        """Re-read the same search (and the open record): pushed when an appointment of the
        viewer's changes, or an admin changes a client's portal account."""
        await self._read(viewer)
        if self.detail_open and self.detail.id:
            await self._load_record(viewer, self.detail.id)

    @rx.event
    @requires(*STAFF_ROLES)
    async def search_clients(self, viewer: Viewer, text: SearchText):
        """List the viewer's clients whose name, email or phone contains ``text``."""
        self.search, self._limit, self.searching = text, PAGE_SIZE, True
        yield
        await self._read(viewer)
        self.searching = False

    @rx.event
    @requires(*STAFF_ROLES)
    async def show_more(self, viewer: Viewer):
        """List the next clients of the same search."""
        self._limit = min(self._limit + PAGE_SIZE, MAX_LISTED)
        await self._read(viewer)

    @rx.event
    @requires(*STAFF_ROLES)
    async def open_client(self, viewer: Viewer, client_id: RecordId):
        """Show one of the viewer's clients: contact details, account, appointments."""
        self.detail, self.detail_error, self.detail_export_url = ClientCard(), "", ""
        self.detail_upcoming, self.detail_past, self.detail_attendees = [], [], []
        self.detail_open, self.detail_loading = True, True
        yield
        await self._load_record(viewer, client_id)

    async def _load_record(self, viewer: Viewer, client_id: int) -> None:
        record = await in_worker(
            client_record,
            practice_id=viewer.practice_id,
            clinician_id=viewer.clinician_scope,
            client_id=client_id,
            now=self._now(),
            zone=viewer.practice_zone,
        )
        self.detail_loading = False
        if record is None:
            self.detail_error = wording.CLIENT_NOT_FOUND
            return
        self.detail = ClientCard.of(record)
        if viewer.role == Role.ADMIN:
            self.detail_export_url = routes.client_export_url(rx.config.get_config().api_url, record.id)
        self.detail_account = PersonRow.for_account(
            record_id=record.id,
            role=Role.CLIENT,
            name=record.name,
            email=record.email,
            account=record.account,
            zone=self._display_zone(viewer),
        )
        self.detail_upcoming = [AppointmentRow.of(view) for view in record.upcoming]
        self.detail_past = [AppointmentRow.of(view) for view in record.past]
        self.detail_attendees = [
            AttendeeRow(
                name=line.name,
                about=", ".join(
                    part for part in (line.relationship, "minor" if line.is_minor else "") if part
                ),
            )
            for line in record.attendees
        ]

    @rx.event
    @open_to_all
    async def set_detail_open(self, is_open: Flag):
        """Close the client's dialog (Close, Escape or a click outside)."""
        self.detail_open = is_open and bool(self.detail.id or self.detail_error)

    @rx.event
    @requires(Role.ADMIN)
    async def set_adding_open(self, viewer: Viewer, is_open: Flag):
        """Open the Add client dialog with an empty form, or close it."""
        self.adding_open, self.add_errors = is_open, {}
        if is_open:
            self.notice = ""

    @rx.event
    @requires(Role.ADMIN)
    async def add_client(self, viewer: Viewer, form_data: NewClientForm):
        """Add a client to the practice; refused fields get their message beside them."""
        change = await in_worker(
            add_client,
            writing=True,
            practice_id=viewer.practice_id,
            actor_user_id=viewer.user_id,
            full_name=form_data.full_name,
            email=form_data.email,
            phone=form_data.phone,
            now=self._now(),
        )
        if not change.ok:
            self.add_errors = {
                name: wording.CLIENT_PROBLEMS[problem] for name, problem in change.problems.items()
            }
            return
        self.adding_open, self.add_errors = False, {}
        self.notice = wording.client_added(change.name)
        await self._read(viewer)
