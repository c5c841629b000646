"""A client's requests: create one (race-proof), withdraw it, cancel a confirmed appointment.

Every function runs in the caller's session, opened with ``open_session(for_writing=True)``, and
commits or rolls back itself; the browser's values are re-checked here from scratch.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import HOLDS_TIME
from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.cancellation import can_cancel_online
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import AppointmentStatus, Forum, Role
from portal_app.models import Appointment, AuditEvent, Clinician, Location, Practice
from portal_app.services.audience import done
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest, check_bookable
from portal_app.services.booking_catalog import takes_online_requests
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.notifications import enqueue_request_received
from portal_app.services.outcome import AppointmentResult, Outcome, refused
from portal_app.services.status_moves import commit_move
from portal_app.services.stored_rows import required_row, stored_id


def is_id(value: object) -> bool:
    """A positive int from the browser (``type``, not ``isinstance``: True must not pass for 1)."""
    return type(value) is int and value > 0


def is_instant(value: object) -> bool:
    """A timezone-aware datetime (naive ones are refused, never guessed)."""
    return isinstance(value, datetime) and value.tzinfo is not None


def request_appointment(
    *,
    session: Session,
    viewer: Viewer,
    clinician_id: int,
    service_id: int,
    location_id: int,
    forum: Forum,
    starts_at: datetime,
    ends_at: datetime,
    request_key: str,
    now: datetime,
    client_message: str = "",
    replaces_id: int | None = None,
) -> AppointmentResult:
    """Create a pending request, if and only if the time is still bookable for this client.

    The clinician's lock is taken before the re-check, so of two clients racing for one slot
    exactly one gets it and the other is told it was just taken. The same ``request_key`` sent
    twice (a double click) yields the one request, not two.

    With ``replaces_id`` (Request a new time) the request asks to move one of the client's
    confirmed, upcoming appointments with the same clinician: that appointment's own time does
    not count as taken, it stays confirmed until the new time is accepted (then it is released
    in the same transaction), and only one such request may wait per appointment.
    """
    if viewer.role != Role.CLIENT or viewer.client_id is None:
        return refused(Outcome.CLIENTS_ONLY)
    if not (
        all(is_id(value) for value in (clinician_id, service_id, location_id))
        and isinstance(forum, Forum)
        and is_instant(starts_at)
        and is_instant(ends_at)
        and isinstance(request_key, str)
        and 8 <= len(request_key) <= 64
        and isinstance(client_message, str)
        and len(client_message) <= MAX_MESSAGE_LENGTH
        and (replaces_id is None or is_id(replaces_id))
    ):
        return refused(Outcome.BAD_REQUEST)
    try:
        existing = by_request_key(session, request_key)
        if existing is not None:
            return _replay(existing, viewer)
        clinician = session.get(Clinician, clinician_id)
        location = session.get(Location, location_id)
        if (
            clinician is None
            or clinician.practice_id != viewer.practice_id
            or not takes_online_requests(session=session, clinician=clinician)
        ):
            return refused(Outcome.PROVIDER_CLOSED)
        if location is None or location.practice_id != viewer.practice_id:
            return refused(Outcome.BAD_REQUEST)
        lock_clinician(session, clinician_id)
        # Again under the lock: a twin submission may have committed while this one waited,
        # and its time would otherwise be reported as taken.
        existing = by_request_key(session, request_key)
        if existing is not None:
            return _replay(existing, viewer)
        if replaces_id is not None:
            refusal = _not_movable(session, viewer, replaces_id, clinician_id=clinician_id, now=now)
            if refusal is not None:
                return refusal
        refusal = time_refusal(
            session=session,
            slot_request=SlotRequest(
                clinician_id=clinician_id,
                service_id=service_id,
                location_id=location_id,
                forum=forum,
                is_new_client=False,
                ignore_appointment_id=replaces_id,
            ),
            starts_at=starts_at,
            ends_at=ends_at,
            now=now,
        )
        if refusal is not None:
            return refusal
        appointment = Appointment(
            practice_id=viewer.practice_id,
            clinician_id=clinician_id,
            client_id=viewer.client_id,
            service_id=service_id,
            location_id=location_id,
            forum=forum,
            starts_at=starts_at,
            ends_at=ends_at,
            status=AppointmentStatus.REQUESTED,
            created_by_user_id=viewer.user_id,
            client_message=client_message,
            request_key=request_key,
            replaces_id=replaces_id,
            created_at=now,
            updated_at=now,
        )
        session.add(appointment)
        session.flush()
        session.add(
            AuditEvent(
                appointment_id=stored_id(appointment),
                actor_user_id=viewer.user_id,
                to_status=AppointmentStatus.REQUESTED.value,
                at=now,
            )
        )
        enqueue_request_received(session=session, appointment=appointment, now=now)
        session.commit()
        return done(
            Outcome.SENT if replaces_id is None else Outcome.NEW_TIME_REQUESTED,
            session=session,
            appointment=appointment,
        )
    except IntegrityError:
        # The same request key committed by a concurrent duplicate: answer as for a replay.
        session.rollback()
        existing = by_request_key(session, request_key)
        return _replay(existing, viewer) if existing is not None else refused(Outcome.BAD_REQUEST)
    finally:
        if session.in_transaction():
            session.rollback()


def _not_movable(
    session: Session, viewer: Viewer, appointment_id: int, *, clinician_id: int, now: datetime
) -> AppointmentResult | None:
    """Why the client may not ask to move this appointment now (None: they may)."""
    current = _own_appointment(session, viewer, appointment_id)
    if current is None or current.clinician_id != clinician_id:
        return refused(Outcome.NOT_FOUND)
    if current.status != AppointmentStatus.CONFIRMED or current.starts_at <= now:
        return refused(Outcome.NOT_UPCOMING)
    if pending_replacement(session, appointment_id) is not None:
        return refused(Outcome.NEW_TIME_PENDING, appointment_id=appointment_id)
    return None


def pending_replacement(session: Session, appointment_id: int) -> Appointment | None:
    """The request waiting to move this appointment, if there is one."""
    return session.exec(
        select(Appointment).where(
            Appointment.replaces_id == appointment_id, col(Appointment.status).in_(HOLDS_TIME)
        )
    ).first()


def by_request_key(session: Session, request_key: str) -> Appointment | None:
    """The request already made with ``request_key`` (a double submit), if any."""
    return session.exec(select(Appointment).where(Appointment.request_key == request_key)).first()


def _replay(existing: Appointment, viewer: Viewer) -> AppointmentResult:
    if existing.client_id != viewer.client_id:
        return refused(Outcome.BAD_REQUEST)
    return AppointmentResult(Outcome.SENT, appointment_id=existing.id)


def _own_appointment(session: Session, viewer: Viewer, appointment_id: object) -> Appointment | None:
    if viewer.role != Role.CLIENT or not is_id(appointment_id):
        return None
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.client_id != viewer.client_id:
        return None
    return appointment


def withdraw_request(
    *, session: Session, viewer: Viewer, appointment_id: int, now: datetime, reason: str = ""
) -> AppointmentResult:
    """The client takes back one of their pending requests; its time is free again at once."""
    appointment = _own_appointment(session, viewer, appointment_id)
    if appointment is None:
        return refused(Outcome.NOT_FOUND)
    if appointment.status != AppointmentStatus.REQUESTED:
        return refused(Outcome.ALREADY_ANSWERED, status=appointment.status)
    if appointment.starts_at <= now:
        return refused(Outcome.NOT_UPCOMING)
    return commit_move(
        session=session,
        appointment=appointment,
        to_status=AppointmentStatus.WITHDRAWN,
        actor_user_id=viewer.user_id,
        now=now,
        done=Outcome.WITHDRAWN,
        note=reason,
    )


def cancel_appointment(
    *, session: Session, viewer: Viewer, appointment_id: int, now: datetime, reason: str = ""
) -> AppointmentResult:
    """The client cancels a confirmed appointment, when the practice allows it this far ahead."""
    appointment = _own_appointment(session, viewer, appointment_id)
    if appointment is None:
        return refused(Outcome.NOT_FOUND)
    if appointment.status != AppointmentStatus.CONFIRMED or appointment.starts_at <= now:
        return refused(Outcome.NOT_UPCOMING)
    practice = required_row(session, Practice, appointment.practice_id)
    if not can_cancel_online(
        online_cancellation=practice.online_cancellation,
        window_hours=practice.cancellation_window_hours,
        starts_at=appointment.starts_at,
        now=now,
    ):
        return refused(Outcome.CALL_TO_CANCEL)
    return commit_move(
        session=session,
        appointment=appointment,
        to_status=AppointmentStatus.CANCELLED,
        actor_user_id=viewer.user_id,
        now=now,
        done=Outcome.CANCELLED,
        note=reason,
    )


def time_refusal(
    *, session: Session, slot_request: SlotRequest, starts_at: datetime, ends_at: datetime, now: datetime
) -> AppointmentResult | None:
    """Why the time cannot be booked now, checked under the caller's clinician lock (None: it can)."""
    try:
        check = check_bookable(
            session=session, slot_request=slot_request, starts_at=starts_at, ends_at=ends_at, now=now
        )
    except LookupError:
        return refused(Outcome.BAD_REQUEST)
    return None if check.ok else not_bookable(check)


def not_bookable(check: BookingCheck) -> AppointmentResult:
    """The refusal for a time the engine turned down: someone else's session is ``TAKEN``."""
    if check.problem == BookingProblem.OVERLAPS_APPOINTMENT:
        return refused(Outcome.TAKEN)
    return refused(Outcome.NOT_BOOKABLE, check=check)
