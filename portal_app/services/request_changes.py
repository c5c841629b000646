"""Manage Appointment → change a pending request: a new time, service, location or forum.

Creating, withdrawing and cancelling live in ``services.appointment_requests``; this module adds
the change, with the same guarantees: the caller's session is opened with
``open_session(for_writing=True)``, every value from the browser is checked again here, the
clinician's lock is held from the re-check to the commit, and refusals come back as results,
never as exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import AppointmentStatus, Forum, Role
from portal_app.models import Appointment, AuditEvent, Clinician, Location
from portal_app.services.appointment_requests import is_id, is_instant, pending_replacement, time_refusal
from portal_app.services.audience import done
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest
from portal_app.services.booking_catalog import takes_online_requests
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.notifications import enqueue_request_changed
from portal_app.services.outcome import AppointmentResult, Outcome, refused
from portal_app.services.stored_rows import required_row, stored_id

CHANGED_NOTE = "time changed"


@dataclass(frozen=True)
class ManagedAppointment:
    """What Manage Appointment starts from: the appointment's choices, and what a change makes.

    Attributes:
        purpose: ``change`` (a pending request is changed in place) or ``reschedule`` (a
            confirmed appointment gets a request for a new time that replaces it once accepted).
    """

    appointment_id: int
    purpose: str
    clinician_id: int
    location_id: int
    forum: Forum
    service_id: int
    starts_at: datetime
    minutes: int


def management_purpose(*, session: Session, appointment: Appointment, now: datetime) -> str | None:
    """``change`` for an upcoming pending request, ``reschedule`` for an upcoming confirmed
    appointment with no new time waiting, else None; only while the clinician takes requests."""
    clinician = required_row(session, Clinician, appointment.clinician_id)
    if appointment.starts_at <= now or not clinician.self_scheduling:
        return None
    if appointment.status == AppointmentStatus.REQUESTED:
        return "change"
    waiting = pending_replacement(session, stored_id(appointment))
    if appointment.status == AppointmentStatus.CONFIRMED and waiting is None:
        return "reschedule"
    return None


def manageable_appointment(
    *, session: Session, viewer: Viewer, appointment_id: int, now: datetime
) -> ManagedAppointment | None:
    """One of the client's own upcoming appointments they may change now, or None.

    A pending request is changed in place; a confirmed one may get one request for a new time
    (none while another waits). The clinician must still take online requests.
    """
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or viewer.role != Role.CLIENT or appointment.client_id != viewer.client_id:
        return None
    purpose = management_purpose(session=session, appointment=appointment, now=now)
    if purpose is None:
        return None
    return ManagedAppointment(
        appointment_id=appointment_id,
        purpose=purpose,
        clinician_id=appointment.clinician_id,
        location_id=appointment.location_id,
        forum=appointment.forum,
        service_id=appointment.service_id,
        starts_at=appointment.starts_at,
        minutes=int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
    )


def _no_longer_pending(status: AppointmentStatus) -> AppointmentResult:
    return refused(Outcome.ALREADY_ANSWERED, status=status)


def change_request(
    *,
    session: Session,
    viewer: Viewer,
    appointment_id: int,
    service_id: int,
    location_id: int,
    forum: Forum,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    client_message: str | None = None,
) -> AppointmentResult:
    """Move one of the client's pending requests; it stays a request (Unconfirmed).

    The request's own time does not block its new time (``ignore_appointment_id``), so a
    request can be shifted by a few minutes. The clinician stays the same: a request for
    another provider is a new request.

    Args:
        session: A session opened ``for_writing``; this function commits or rolls back.
        viewer: The signed-in client, from the server-side session.
        appointment_id: The pending request to change.
        service_id: The service, possibly new.
        location_id: The location, possibly new.
        forum: In-person or telehealth, possibly new.
        starts_at: The new start (timezone-aware).
        ends_at: The new end (timezone-aware).
        now: The current instant.
        client_message: A new note for the clinician; None keeps the current one.

    Returns:
        ``ok`` with the appointment id ("Request changed." or "Nothing to change."), or a
        message saying why not (``TAKEN`` when someone else holds the new time).
    """
    if viewer.role != Role.CLIENT or viewer.client_id is None:
        return refused(Outcome.CLIENTS_ONLY)
    if not (
        all(is_id(value) for value in (appointment_id, service_id, location_id))
        and isinstance(forum, Forum)
        and is_instant(starts_at)
        and is_instant(ends_at)
        and (
            client_message is None
            or (isinstance(client_message, str) and len(client_message) <= MAX_MESSAGE_LENGTH)
        )
    ):
        return refused(Outcome.BAD_REQUEST)
    try:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.client_id != viewer.client_id:
            return refused(Outcome.NOT_FOUND)
        lock_clinician(session, appointment.clinician_id)
        # Read again under the lock (PostgreSQL): staff may have answered it a moment ago.
        session.refresh(appointment)
        if appointment.status != AppointmentStatus.REQUESTED:
            return _no_longer_pending(appointment.status)
        clinician = required_row(session, Clinician, appointment.clinician_id)
        if not takes_online_requests(session=session, clinician=clinician):
            return refused(Outcome.PROVIDER_CLOSED)
        location = session.get(Location, location_id)
        if location is None or location.practice_id != appointment.practice_id:
            return refused(Outcome.BAD_REQUEST)
        new_values = {
            "service_id": service_id,
            "location_id": location_id,
            "forum": forum,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "client_message": appointment.client_message if client_message is None else client_message,
        }
        if all(getattr(appointment, name) == value for name, value in new_values.items()):
            return AppointmentResult(Outcome.UNCHANGED, appointment_id=appointment.id)
        refusal = time_refusal(
            session=session,
            slot_request=SlotRequest(
                clinician_id=appointment.clinician_id,
                service_id=service_id,
                location_id=location_id,
                forum=forum,
                is_new_client=False,
                ignore_appointment_id=appointment.id,
            ),
            starts_at=starts_at,
            ends_at=ends_at,
            now=now,
        )
        if refusal is not None:
            return refusal
        return _apply_change(session, appointment, new_values, viewer=viewer, now=now)
    finally:
        if session.in_transaction():
            session.rollback()


def _apply_change(
    session: Session, appointment: Appointment, new_values: dict, *, viewer: Viewer, now: datetime
) -> AppointmentResult:
    old_times = (appointment.starts_at, appointment.ends_at)
    old_interval = f"{appointment.starts_at.isoformat()}/{appointment.ends_at.isoformat()}"
    appointment_id = stored_id(appointment)
    # Compare-and-set on the status: withdraw and decline do not take the clinician's lock, so
    # on PostgreSQL one of them may have committed since the re-read above.
    moved = session.exec(
        update(Appointment)
        .where(col(Appointment.id) == appointment_id, col(Appointment.status) == AppointmentStatus.REQUESTED)
        .values(**new_values, updated_at=now)
    )
    if moved.rowcount != 1:
        session.rollback()
        current = session.get(Appointment, appointment_id)
        # Deleted since (the demo reset deletes appointments).
        return refused(Outcome.NOT_FOUND) if current is None else _no_longer_pending(current.status)
    session.refresh(appointment)
    # The row is overwritten, so the audit entry keeps the time it had before.
    session.add(
        AuditEvent(
            appointment_id=appointment_id,
            actor_user_id=viewer.user_id,
            from_status=AppointmentStatus.REQUESTED.value,
            to_status=AppointmentStatus.REQUESTED.value,
            note=f"{CHANGED_NOTE} (was {old_interval})",
            at=now,
        )
    )
    enqueue_request_changed(session=session, appointment=appointment, was=old_times, now=now)
    session.commit()
    return done(Outcome.CHANGED, session=session, appointment=appointment)
