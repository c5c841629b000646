"""Staff changes to a confirmed appointment: cancel it with a message, record how it went."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.services.auth import Viewer
from portal_app.services.outcome import AppointmentResult, Outcome, refused
from portal_app.services.request_decisions import staff_scoped
from portal_app.services.status_moves import commit_move


def cancel_by_staff(
    *, session: Session, viewer: Viewer, appointment_id: int, message: str, now: datetime
) -> AppointmentResult:
    """A clinician (their own) or an admin cancels a confirmed, upcoming appointment.

    The client is emailed with the message and a calendar CANCEL; the time is free at once.
    No lock is needed: releasing time cannot double-book, and the status move is a
    compare-and-set, so a client cancelling at the same moment makes one of the two refused.
    """
    try:
        appointment = staff_scoped(session, viewer, appointment_id)
        if appointment is None:
            return refused(Outcome.NOT_FOUND)
        if len(message) > MAX_MESSAGE_LENGTH:
            return refused(Outcome.MESSAGE_TOO_LONG)
        if appointment.status != AppointmentStatus.CONFIRMED:
            return refused(Outcome.ALREADY_ANSWERED, appointment_id=appointment.id, status=appointment.status)
        if appointment.starts_at <= now:
            return refused(Outcome.NOT_UPCOMING)
        appointment.clinician_message = message
        session.add(appointment)
        return commit_move(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.CANCELLED,
            actor_user_id=viewer.user_id,
            now=now,
            done=Outcome.CANCELLED,
            note=message,
        )
    finally:
        if session.in_transaction():
            session.rollback()


def record_attendance(
    *, session: Session, viewer: Viewer, appointment_id: int, attended: bool, now: datetime
) -> AppointmentResult:
    """After a confirmed session has started, staff record it as attended or as a no-show."""
    try:
        appointment = staff_scoped(session, viewer, appointment_id)
        if appointment is None:
            return refused(Outcome.NOT_FOUND)
        if appointment.status != AppointmentStatus.CONFIRMED:
            return refused(Outcome.ALREADY_ANSWERED, appointment_id=appointment.id, status=appointment.status)
        if appointment.starts_at > now:
            return refused(Outcome.NOT_STARTED)
        return commit_move(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.COMPLETED if attended else AppointmentStatus.NO_SHOW,
            actor_user_id=viewer.user_id,
            now=now,
            done=Outcome.ATTENDED if attended else Outcome.NO_SHOW,
        )
    finally:
        if session.in_transaction():
            session.rollback()
