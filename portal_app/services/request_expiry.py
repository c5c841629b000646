"""Requests (and proposed times) nobody answered in time expire, so no slot is held forever.

A pending request expires ``request_expiry_hours`` (a practice setting) after it was made, or when
its time comes if that is sooner; the same holds for a time the therapist proposed and the client
has not answered. The move is the ordinary compare-and-set status move (audited, emailed), so an
Accept racing the scan makes exactly one of the two happen. Run by the one background scan of the
deployment (``services.email_sender``), beside the reminders.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import AWAITING_ANSWER, StatusMoveRefused
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Practice
from portal_app.services.status_moves import move_status

EXPIRED_NOTE = "Not answered in time."
UNCONFIRMED_NOTE = "The email address was not confirmed in time."


def expire_overdue(*, session: Session, now: datetime) -> list[int]:
    """Expire every overdue unanswered request and proposal, and every new client's request held
    past its hold without the email confirmed; commits each; returns their ids."""
    expired = _release_unconfirmed(session, now)
    for practice in session.exec(select(Practice)).all():
        made_before = now - timedelta(hours=practice.request_expiry_hours)
        overdue = session.exec(
            select(Appointment).where(
                Appointment.practice_id == practice.id,
                col(Appointment.status).in_(AWAITING_ANSWER),
                (col(Appointment.created_at) <= made_before) | (col(Appointment.starts_at) <= now),
            )
        ).all()
        expired += [
            appointment.id or 0
            for appointment in overdue
            if _expired(session, appointment, now, note=EXPIRED_NOTE)
        ]
    return expired


def _release_unconfirmed(session: Session, now: datetime) -> list[int]:
    held = session.exec(
        select(Appointment).where(
            Appointment.status == AppointmentStatus.UNCONFIRMED,
            col(Appointment.hold_expires_at) <= now,
        )
    ).all()
    # Nobody is emailed: the therapist never saw it, and the requester was told when it would lapse.
    return [
        appointment.id or 0
        for appointment in held
        if _expired(session, appointment, now, note=UNCONFIRMED_NOTE, notify=False)
    ]


def _expired(
    session: Session, appointment: Appointment, now: datetime, *, note: str, notify: bool = True
) -> bool:
    try:
        move_status(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.EXPIRED,
            actor_user_id=None,
            now=now,
            note=note,
            notify=notify,
        )
        session.commit()
        return True
    except StatusMoveRefused:
        # Answered (or confirmed) a moment ago: that stands.
        session.rollback()
        return False
