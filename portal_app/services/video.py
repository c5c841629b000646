"""Join Video: whether a client's telehealth session may be joined now, and where.

The rule is ``domain.cancellation.video_join_open`` with the practice's
``video_join_minutes_before``; the link is the clinician's own video room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from portal_app.domain.cancellation import video_join_open
from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.models import Appointment, Clinician, Practice
from portal_app.services.stored_rows import required_row, stored_id


@dataclass(frozen=True)
class VideoAccess:
    """A confirmed telehealth session's video: its link once open, else when it opens.

    Attributes:
        link: The clinician's video room, while the session may be joined ("" before).
        opens_at: When Join Video appears (before it is open).
        clinician: Who the session is with.
        appointment_id: The session.
    """

    link: str
    opens_at: datetime
    clinician: str
    appointment_id: int


def video_access(*, session: Session, appointment: Appointment, now: datetime) -> VideoAccess | None:
    """Join Video for this appointment, or None (in person, not confirmed, over, no video room)."""
    if appointment.forum != Forum.TELEHEALTH or appointment.status != AppointmentStatus.CONFIRMED:
        return None
    clinician = required_row(session, Clinician, appointment.clinician_id)
    if not clinician.video_link or appointment.ends_at <= now:
        return None
    early = required_row(session, Practice, appointment.practice_id).video_join_minutes_before
    is_open = video_join_open(
        starts_at=appointment.starts_at, ends_at=appointment.ends_at, now=now, opens_minutes_before=early
    )
    return VideoAccess(
        link=clinician.video_link if is_open else "",
        opens_at=appointment.starts_at - timedelta(minutes=early),
        clinician=clinician.display_name,
        appointment_id=stored_id(appointment),
    )


def joinable_now(*, session: Session, client_id: int, now: datetime) -> list[VideoAccess]:
    """The client's telehealth sessions that may be joined right now (usually none, or one)."""
    soon = session.exec(
        select(Appointment).where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.CONFIRMED,
            Appointment.forum == Forum.TELEHEALTH,
            col(Appointment.ends_at) > now,
            # No practice opens Join Video more than a day ahead (the setting's bound is lower).
            col(Appointment.starts_at) < now + timedelta(days=1),
        )
    ).all()
    found = (video_access(session=session, appointment=appointment, now=now) for appointment in soon)
    return [access for access in found if access is not None and access.link]
