"""What the staff Dashboard lists: the request queue with its warnings, and confirmed sessions ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlmodel import Session, col, select

from portal_app.models import Appointment, Attendee, Client
from portal_app.services.appointments import (
    AppointmentView,
    pending_requests,
    sessions_to_record,
    upcoming_confirmed,
)
from portal_app.services.request_decisions import pending_conflicts
from portal_app.services.request_review import overlapping_requests


@dataclass(frozen=True)
class StaffQueue:
    """Pending requests oldest first, why some cannot be accepted, and what is coming up.

    Attributes:
        pending: Requests waiting for a decision, oldest first.
        conflicts: Request id → the time of the confirmed session it overlaps (no Accept).
        overlaps: Request id → the time of another pending request it overlaps (a warning).
        upcoming: Confirmed sessions from now on.
        to_record: Confirmed sessions that have started and wait to be marked attended or no-show.
        newcomers: Request id → a new client's contact details and who joins them.
    """

    pending: list[AppointmentView]
    conflicts: dict[int, str]
    overlaps: dict[int, str]
    upcoming: list[AppointmentView]
    to_record: list[AppointmentView]
    newcomers: dict[int, NewcomerContact]


@dataclass(frozen=True)
class NewcomerContact:
    """How to reach a new client who asked from the public page, and who joins them."""

    email: str
    phone: str
    # "Name (relationship, email, phone)" for each other person named on the request.
    others: tuple[str, ...]


def newcomer_contacts(*, session: Session, appointment_ids: list[int]) -> dict[int, NewcomerContact]:
    """The contact details of the new clients among ``appointment_ids`` (requests from the public page)."""
    rows = session.exec(
        select(Appointment.id, Client.email, Client.phone)
        .join(Client, col(Client.id) == Appointment.client_id)
        .where(col(Appointment.id).in_(appointment_ids), col(Appointment.new_client))
    ).all()
    attendees = session.exec(
        select(Attendee).where(col(Attendee.appointment_id).in_([r[0] for r in rows]))
    ).all()
    others: dict[int, list[str]] = {}
    for person in attendees:
        facts = ", ".join(part for part in (person.relationship.lower(), person.email, person.phone) if part)
        others.setdefault(person.appointment_id, []).append(f"{person.full_name} ({facts})")
    return {
        appointment_id: NewcomerContact(
            email=email, phone=phone, others=tuple(others.get(appointment_id, []))
        )
        for appointment_id, email, phone in rows
        if appointment_id is not None
    }


class _Scope(TypedDict):
    """The arguments every list of the queue takes."""

    session: Session
    practice_id: int
    clinician_id: int | None
    now: datetime


def staff_queue(
    *, session: Session, practice_id: int, clinician_id: int | None, now: datetime, zone: str
) -> StaffQueue:
    """One clinician's queue, or the whole practice's (``clinician_id`` None, for admins)."""
    scope: _Scope = {"session": session, "practice_id": practice_id, "clinician_id": clinician_id, "now": now}
    pending = pending_requests(**scope, zone=zone)
    return StaffQueue(
        pending=pending,
        newcomers=newcomer_contacts(session=session, appointment_ids=[view.id for view in pending]),
        conflicts=pending_conflicts(**scope),
        overlaps=overlapping_requests(**scope),
        upcoming=upcoming_confirmed(**scope, zone=zone),
        to_record=sessions_to_record(**scope, zone=zone),
    )
