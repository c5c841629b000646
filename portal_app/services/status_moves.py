"""Moving an appointment's status, with its audit entry, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import HOLDS_TIME, StatusMoveRefused, check_move
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, AuditEvent
from portal_app.services.audience import done as finished
from portal_app.services.notifications import enqueue_status_change
from portal_app.services.outcome import AppointmentResult, Outcome, refused
from portal_app.services.stored_rows import stored_id


def move_status(
    *,
    session: Session,
    appointment: Appointment,
    to_status: AppointmentStatus,
    actor_user_id: int | None,
    now: datetime,
    note: str = "",
    notify: bool = True,
) -> Appointment:
    """Move ``appointment`` to ``to_status``, record who did it and queue the emails it calls for.

    The update is a compare-and-set on the status read, so two concurrent movers cannot both
    succeed; the loser gets ``StatusMoveRefused``. Nothing is committed here: the caller owns the
    transaction, so the move, its audit entry and any outbox email land together or not at all.

    Args:
        session: The open session whose transaction the change joins.
        appointment: The appointment as read in this transaction.
        to_status: The status to move to.
        actor_user_id: Who made the change (None for the system).
        now: The current instant.
        note: A message kept with the audit entry; for a decline, the clinician's message to
            the client, sent in the declined email.
        notify: False when the caller sends its own email about the move (a proposal says
            more than a bare decline).

    Returns:
        The appointment, refreshed.

    Raises:
        StatusMoveRefused: The move is not allowed or someone else moved it first.
    """
    from_status = appointment.status
    check_move(from_status, to_status)
    appointment_id = stored_id(appointment)
    result = session.exec(
        update(Appointment)
        .where(col(Appointment.id) == appointment_id, col(Appointment.status) == from_status)
        .values(status=to_status, updated_at=now)
    )
    if result.rowcount != 1:
        raise StatusMoveRefused("This appointment was changed by someone else a moment ago.")
    session.add(
        AuditEvent(
            appointment_id=appointment_id,
            actor_user_id=actor_user_id,
            from_status=from_status.value,
            to_status=to_status.value,
            note=note,
            at=now,
        )
    )
    session.flush()
    session.refresh(appointment)
    if notify:
        enqueue_status_change(
            session=session,
            appointment=appointment,
            from_status=from_status,
            to_status=to_status,
            actor_user_id=actor_user_id,
            note=note,
            now=now,
        )
    if to_status not in HOLDS_TIME:
        _withdraw_replacements(session, appointment_id, actor_user_id=actor_user_id, now=now)
    return appointment


def _withdraw_replacements(
    session: Session, appointment_id: int, *, actor_user_id: int | None, now: datetime
) -> None:
    """A request to move an appointment that is gone (cancelled, declined) has nothing left to move."""
    waiting = session.exec(
        select(Appointment).where(
            Appointment.replaces_id == appointment_id, Appointment.status == AppointmentStatus.REQUESTED
        )
    ).all()
    for replacement in waiting:
        move_status(
            session=session,
            appointment=replacement,
            to_status=AppointmentStatus.WITHDRAWN,
            actor_user_id=actor_user_id,
            now=now,
            note="The appointment it would have moved was cancelled.",
        )


def commit_move(
    *,
    session: Session,
    appointment: Appointment,
    to_status: AppointmentStatus,
    actor_user_id: int | None,
    now: datetime,
    done: Outcome,
    note: str = "",
) -> AppointmentResult:
    """``move_status`` and commit: ``done`` when it lands; when someone moved the appointment
    first, nothing is written and the answer is ``ALREADY_ANSWERED`` with the status it has now."""
    # Read before the rollback below expires the instance.
    appointment_id = stored_id(appointment)
    try:
        move_status(
            session=session,
            appointment=appointment,
            to_status=to_status,
            actor_user_id=actor_user_id,
            now=now,
            note=note,
        )
        session.commit()
    except StatusMoveRefused:
        session.rollback()
        current = session.get(Appointment, appointment_id)
        if current is None:
            # Deleted while this move was being made (the demo reset deletes appointments).
            return refused(Outcome.NOT_FOUND)
        return refused(Outcome.ALREADY_ANSWERED, appointment_id=appointment_id, status=current.status)
    return finished(done, session=session, appointment=appointment)
