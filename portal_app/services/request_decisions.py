"""Staff decisions on requests: Accept (race-proof), Decline (frees the time), and conflicts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import StatusMoveRefused
from portal_app.domain.email_messages import describe_time
from portal_app.domain.intervals import too_close
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.time_display import time_range_label
from portal_app.domain.vocabulary import AppointmentStatus, Role
from portal_app.models import Appointment, Client, Practice
from portal_app.services.audience import done
from portal_app.services.auth import Viewer
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.invitations import invite_new_client
from portal_app.services.outcome import AppointmentResult, Outcome, refused
from portal_app.services.status_moves import commit_move, move_status
from portal_app.services.stored_rows import required_row, stored_id


def staff_scoped(session: Session, viewer: Viewer, appointment_id: object) -> Appointment | None:
    """The appointment if this staff member may decide on it: a clinician's own, an admin's practice's."""
    if viewer.role not in (Role.CLINICIAN, Role.ADMIN) or type(appointment_id) is not int:
        return None
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.practice_id != viewer.practice_id:
        return None
    if viewer.role == Role.CLINICIAN and appointment.clinician_id != viewer.clinician_id:
        return None
    return appointment


def _not_pending(appointment: Appointment) -> AppointmentResult:
    return refused(Outcome.ALREADY_ANSWERED, appointment_id=appointment.id, status=appointment.status)


def _too_close_to(
    start: datetime, end: datetime, buffer: timedelta
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """``domain.intervals.too_close`` as SQL conditions on an appointment's columns."""
    return (col(Appointment.starts_at) < end + buffer, col(Appointment.ends_at) > start - buffer)


def confirmed_overlap(session: Session, appointment: Appointment) -> Appointment | None:
    buffer = timedelta(minutes=required_row(session, Practice, appointment.practice_id).buffer_minutes)
    # The appointment a reschedule would move is released by the accept, so it does not count.
    replaced = [appointment.replaces_id] if appointment.replaces_id is not None else []
    return session.exec(
        select(Appointment).where(
            Appointment.clinician_id == appointment.clinician_id,
            Appointment.status == AppointmentStatus.CONFIRMED,
            col(Appointment.id).not_in([appointment.id, *replaced]),
            *_too_close_to(appointment.starts_at, appointment.ends_at, buffer),
        )
    ).first()


def accept_request(
    *, session: Session, viewer: Viewer, appointment_id: int, link_base: str, now: datetime
) -> AppointmentResult:
    """Confirm a pending request, if it is still pending and no confirmed session overlaps it.

    The clinician's lock is held from the re-check to the commit, and the status move is a
    compare-and-set, so two staff accepting the same or overlapping requests at once: exactly
    one succeeds, the other is told why. A new client's first accepted request also opens their
    portal account and sends the invitation (its link starts with ``link_base``), in the same
    transaction.
    """
    try:
        appointment = staff_scoped(session, viewer, appointment_id)
        if appointment is None:
            return refused(Outcome.NOT_FOUND)
        lock_clinician(session, appointment.clinician_id)
        session.refresh(appointment)
        if appointment.status != AppointmentStatus.REQUESTED:
            return _not_pending(appointment)
        if confirmed_overlap(session, appointment) is not None:
            return refused(Outcome.OVERLAPS_CONFIRMED, appointment_id=appointment.id)
        move_status(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.CONFIRMED,
            actor_user_id=viewer.user_id,
            now=now,
        )
        release_replaced(session=session, appointment=appointment, actor_user_id=viewer.user_id, now=now)
        if appointment.new_client:
            invite_new_client(
                session=session,
                client=required_row(session, Client, appointment.client_id),
                inviter_user_id=viewer.user_id,
                link_base=link_base,
                now=now,
            )
        session.commit()
        return done(Outcome.ACCEPTED, session=session, appointment=appointment)
    except StatusMoveRefused:
        # A withdraw or decline (which take no lock) committed since the re-read.
        session.rollback()
        current = session.get(Appointment, appointment_id)
        # Deleted since (the demo reset deletes appointments).
        return refused(Outcome.NOT_FOUND) if current is None else _not_pending(current)
    finally:
        if session.in_transaction():
            session.rollback()


def release_replaced(
    *, session: Session, appointment: Appointment, actor_user_id: int, now: datetime
) -> None:
    """The confirmed appointment that ``appointment`` (just confirmed) moves is cancelled, in the
    same transaction: at no instant are both times, or neither, held."""
    if appointment.replaces_id is None:
        return
    old = session.get(Appointment, appointment.replaces_id)
    if old is None or old.status != AppointmentStatus.CONFIRMED:
        return
    zone = required_row(session, Practice, appointment.practice_id).time_zone
    move_status(
        session=session,
        appointment=old,
        to_status=AppointmentStatus.CANCELLED,
        actor_user_id=actor_user_id,
        now=now,
        note=f"Moved to {describe_time(appointment.starts_at, appointment.ends_at, zone)}.",
    )


def decline_request(
    *, session: Session, viewer: Viewer, appointment_id: int, message: str, now: datetime
) -> AppointmentResult:
    """Decline a pending request with an optional message; its time is free again at once."""
    try:
        appointment = staff_scoped(session, viewer, appointment_id)
        if appointment is None:
            return refused(Outcome.NOT_FOUND)
        if not isinstance(message, str) or len(message) > MAX_MESSAGE_LENGTH:
            return refused(Outcome.MESSAGE_TOO_LONG)
        if appointment.status != AppointmentStatus.REQUESTED:
            return _not_pending(appointment)
        appointment.clinician_message = message
        session.add(appointment)
        return commit_move(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.DECLINED,
            actor_user_id=viewer.user_id,
            now=now,
            note=message,
            done=Outcome.DECLINED,
        )
    finally:
        if session.in_transaction():
            session.rollback()


def pending_conflicts(
    *, session: Session, practice_id: int, clinician_id: int | None, now: datetime
) -> dict[int, str]:
    """Pending requests that overlap a confirmed appointment (buffer included).

    Such a request cannot be accepted; the dashboard marks it. Two queries, both bounded to
    the future requests and the confirmed sessions around them.

    Returns:
        Request id → the confirmed appointment's time in the practice's zone
        (``10:00 AM – 10:50 AM EST``).
    """
    scope = [Appointment.practice_id == practice_id]
    if clinician_id is not None:
        scope.append(Appointment.clinician_id == clinician_id)
    pending = session.exec(
        select(Appointment).where(
            *scope, Appointment.status == AppointmentStatus.REQUESTED, Appointment.starts_at >= now
        )
    ).all()
    if not pending:
        return {}
    practice = required_row(session, Practice, practice_id)
    buffer = timedelta(minutes=practice.buffer_minutes)
    confirmed = session.exec(
        select(Appointment).where(
            *scope,
            Appointment.status == AppointmentStatus.CONFIRMED,
            *_too_close_to(min(a.starts_at for a in pending), max(a.ends_at for a in pending), buffer),
        )
    ).all()
    conflicts: dict[int, str] = {}
    for request in pending:
        for other in confirmed:
            if other.clinician_id == request.clinician_id and too_close(
                (request.starts_at, request.ends_at), (other.starts_at, other.ends_at), buffer
            ):
                conflicts[stored_id(request)] = time_range_label(
                    other.starts_at, other.ends_at, practice.time_zone
                )
                break
    return conflicts
