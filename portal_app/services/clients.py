"""The client directory: whose clients a staff member sees, and each client's record.

Scope is decided here, from the viewer's ids, never from what a page sends: a clinician's
clients are those with any appointment or request with them; an admin's are every client of
the practice. A client outside the scope is answered exactly like one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import SEEN_HOLDS
from portal_app.domain.time_display import moment_label
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Attendee, Client
from portal_app.services.accounts import AccountView
from portal_app.services.appointments import AppointmentView, client_history
from portal_app.services.client_accounts import portal_accounts
from portal_app.services.stored_rows import stored_id

PAGE_SIZE = 25
"""Clients listed at first, and added by each "Show more"."""
MAX_LISTED = 500
"""The most a list shows at once: past it, the search must be refined."""
MAX_SEARCH_LENGTH = 100
# A search with this many digits also matches phones written with other marks: "6175550148"
# finds "(617) 555-0148".
_MIN_PHONE_DIGITS_SEARCHED = 3
_PHONE_MARKS = (" ", "(", ")", "-", ".", "+", "/")


def _in_scope(practice_id: int, clinician_id: int | None) -> list[ColumnElement[bool]]:
    """Which clients a staff member sees: the practice's, and for a clinician only their own."""
    conditions: list[ColumnElement[bool]] = [
        col(Client.practice_id) == practice_id,
        # Someone whose first request has not been accepted is not a client yet.
        col(Client.prospective) == False,  # noqa: E712
    ]
    if clinician_id is not None:
        seen = select(Appointment.client_id).where(
            Appointment.practice_id == practice_id, Appointment.clinician_id == clinician_id
        )
        conditions.append(col(Client.id).in_(seen))
    return conditions


def _without_phone_marks(phone: Mapped[str]) -> ColumnElement[str]:
    column: ColumnElement[str] = func.coalesce(phone, "")
    for mark in _PHONE_MARKS:
        column = func.replace(column, mark, "")
    return column


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matching(search: str) -> ColumnElement[bool] | None:
    """Clients whose name, email or phone contains ``search``, ignoring case (None: no search)."""
    words = " ".join(search.split())[:MAX_SEARCH_LENGTH].lower()
    if not words:
        return None
    pattern = f"%{_escape_like(words)}%"
    conditions = [
        func.lower(col(Client.full_name)).like(pattern, escape="\\"),
        func.lower(col(Client.email)).like(pattern, escape="\\"),
        func.lower(col(Client.phone)).like(pattern, escape="\\"),
    ]
    digits = re.sub(r"\D", "", words)
    if len(digits) >= _MIN_PHONE_DIGITS_SEARCHED and digits == re.sub(r"[\s()./+-]", "", words):
        conditions.append(_without_phone_marks(col(Client.phone)).like(f"%{digits}%"))
    return or_(*conditions)


@dataclass(frozen=True)
class ClientListing:
    """One client in the directory.

    Attributes:
        id: The client's id.
        name: Full name.
        email: Email.
        phone: Phone, or empty.
        next_appointment: When their next requested or confirmed appointment starts (in the
            viewer's scope), in ``zone`` with the zone named; empty when there is none.
        next_unconfirmed: Whether that next appointment is a request not yet accepted.
        account: Their portal account.
    """

    id: int
    name: str
    email: str
    phone: str
    next_appointment: str
    next_unconfirmed: bool
    account: AccountView


@dataclass(frozen=True)
class ClientDirectory:
    """A page of the directory: the clients listed, how many match, how many there are."""

    clients: list[ClientListing]
    matching: int
    total: int


def client_directory(
    *,
    session: Session,
    practice_id: int,
    clinician_id: int | None,
    search: str,
    limit: int,
    now: datetime,
    zone: str,
) -> ClientDirectory:
    """The clients a staff member sees, sorted by name, the first ``limit`` matching ``search``.

    Args:
        session: The database session.
        practice_id: The viewer's practice.
        clinician_id: The viewer's clinician id, or None for an admin (the whole practice).
        search: Text in the name, email or phone (any case); empty lists everyone.
        limit: How many to list (at most ``MAX_LISTED``).
        now: The current instant (for the next appointment).
        zone: The zone times are shown in.
    """
    scope = _in_scope(practice_id, clinician_id)
    match = _matching(search)
    matched = [*scope, match] if match is not None else scope
    total = session.exec(select(func.count()).select_from(Client).where(*scope)).one()
    matching = (
        session.exec(select(func.count()).select_from(Client).where(*matched)).one()
        if match is not None
        else total
    )
    clients = session.exec(
        select(Client)
        .where(*matched)
        .order_by(func.lower(col(Client.full_name)), col(Client.id))
        .limit(max(1, min(limit, MAX_LISTED)))
    ).all()
    upcoming = _next_appointments(session, clients, clinician_id=clinician_id, now=now)
    accounts = portal_accounts(session=session, clients=clients, now=now)
    listings = []
    for client in clients:
        client_id = stored_id(client)
        next_one = upcoming.get(client_id)
        listings.append(
            ClientListing(
                id=client_id,
                name=client.full_name,
                email=client.email,
                phone=client.phone,
                next_appointment=moment_label(next_one.starts_at, zone) if next_one else "",
                next_unconfirmed=bool(next_one and next_one.status == AppointmentStatus.REQUESTED),
                account=accounts[client_id],
            )
        )
    return ClientDirectory(clients=listings, matching=matching, total=total)


def _next_appointments(
    session: Session, clients: Sequence[Client], *, clinician_id: int | None, now: datetime
) -> dict[int, Appointment]:
    """Each listed client's next requested or confirmed appointment (with this clinician)."""
    if not clients:
        return {}
    query = select(Appointment).where(
        col(Appointment.client_id).in_([stored_id(client) for client in clients]),
        col(Appointment.starts_at) >= now,
        col(Appointment.status).in_(SEEN_HOLDS),
    )
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    first: dict[int, Appointment] = {}
    for appointment in session.exec(query.order_by(col(Appointment.starts_at), col(Appointment.id))):
        first.setdefault(appointment.client_id, appointment)
    return first


@dataclass(frozen=True)
class AttendeeLine:
    """Someone who joined the client's appointments: a partner, a child, a guardian."""

    name: str
    relationship: str
    is_minor: bool


@dataclass(frozen=True)
class ClientRecord:
    """One client as staff see them.

    Attributes:
        id: The client's id.
        name: Full name.
        email: Email.
        phone: Phone, or empty.
        account: Their portal account.
        attendees: Others seen on their appointments, each once, by name.
        upcoming: Requested and confirmed appointments still ahead, soonest first.
        past: Everything else (held, cancelled, declined, withdrawn), latest first.
    """

    id: int
    name: str
    email: str
    phone: str
    account: AccountView
    attendees: list[AttendeeLine]
    upcoming: list[AppointmentView]
    past: list[AppointmentView]


def client_record(
    *,
    session: Session,
    practice_id: int,
    clinician_id: int | None,
    client_id: int,
    now: datetime,
    zone: str,
) -> ClientRecord | None:
    """A client the viewer may see, with their appointments; None if not theirs or not there.

    A clinician sees only their own appointments with the client (and who came to those); an
    admin sees all of the client's appointments in the practice.
    """
    client = session.exec(
        select(Client).where(col(Client.id) == client_id, *_in_scope(practice_id, clinician_id))
    ).first()
    if client is None:
        return None
    history = client_history(
        session=session, practice_id=practice_id, client_id=client_id, clinician_id=clinician_id, zone=zone
    )
    ahead = [view for view in history if view.starts_at >= now and view.status in SEEN_HOLDS]
    shown = {view.id for view in ahead}
    past = sorted(
        (view for view in history if view.id not in shown), key=lambda view: view.starts_at, reverse=True
    )
    return ClientRecord(
        id=client_id,
        name=client.full_name,
        email=client.email,
        phone=client.phone,
        account=portal_accounts(session=session, clients=[client], now=now)[client_id],
        attendees=_attendees(
            session, practice_id=practice_id, client_id=client_id, clinician_id=clinician_id
        ),
        upcoming=ahead,
        past=past,
    )


def _attendees(
    session: Session, *, practice_id: int, client_id: int, clinician_id: int | None
) -> list[AttendeeLine]:
    query = (
        select(Attendee)
        .join(Appointment, col(Appointment.id) == Attendee.appointment_id)
        .where(Appointment.client_id == client_id, Appointment.practice_id == practice_id)
        .order_by(col(Attendee.id).desc())
    )
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    latest: dict[str, Attendee] = {}
    for attendee in session.exec(query):
        # The same person joins many sessions: listed once, as they were last described.
        latest.setdefault(" ".join(attendee.full_name.split()).lower(), attendee)
    return sorted(
        (AttendeeLine(a.full_name, a.relationship, a.is_minor) for a in latest.values()),
        key=lambda line: line.name.lower(),
    )
