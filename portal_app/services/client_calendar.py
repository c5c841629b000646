"""What the client's Calendar tab shows: their sessions, and where they may ask for time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import AWAITING_ANSWER, SEEN_HOLDS
from portal_app.domain.availability import horizon_end
from portal_app.domain.client_calendar_view import BookingWindow
from portal_app.domain.epoch_seconds import from_epoch_seconds
from portal_app.domain.staff_calendar_view import SessionMark
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Clinician, Practice, Service
from portal_app.services.appointments import STATUS_LABELS
from portal_app.services.booking_catalog import booking_catalog
from portal_app.services.stored_rows import required_row, stored_id

# What the calendar draws: what holds time (requests, confirmed) and what took place; not what
# was declined, withdrawn or cancelled (the Appointments tab lists those).
SHOWN = SEEN_HOLDS | {AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW}
# Sessions that began before a window and still run into it (no session is longer).
_LONGEST = timedelta(hours=24)


@dataclass(frozen=True)
class ClientCalendar:
    """One client's sessions in a window, and the practice's booking window (None: closed)."""

    sessions: list[SessionMark]
    window: BookingWindow | None


def client_calendar(
    *, session: Session, client_id: int, practice_id: int, start: datetime, end: datetime, now: datetime
) -> ClientCalendar:
    """The client's own sessions overlapping ``[start, end)``, oldest first, and where they may
    ask for time: after the minimum notice, before the horizon (``window`` is None when no
    provider of the practice takes online requests)."""
    rows = session.exec(
        select(Appointment, Clinician.display_name, Service.name)
        .join(Clinician, col(Clinician.id) == Appointment.clinician_id)
        .join(Service, col(Service.id) == Appointment.service_id)
        .where(
            Appointment.client_id == client_id,
            Appointment.practice_id == practice_id,
            Appointment.starts_at >= start - _LONGEST,
            Appointment.starts_at < end,
            col(Appointment.status).in_(SHOWN),
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    sessions = [
        SessionMark(
            appointment_id=stored_id(appointment),
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            pending=appointment.status in AWAITING_ANSWER,
            who=clinician_name,
            what=service_name,
            status_label=STATUS_LABELS[appointment.status],
        )
        for appointment, clinician_name, service_name in rows
        if appointment.ends_at > start
    ]
    return ClientCalendar(sessions=sessions, window=_booking_window(session, practice_id, now))


def _booking_window(session: Session, practice_id: int, now: datetime) -> BookingWindow | None:
    if not booking_catalog(session=session, practice_id=practice_id).providers:
        return None
    practice = required_row(session, Practice, practice_id)
    lengths = sorted(
        {
            minutes
            for service in session.exec(select(Service).where(Service.practice_id == practice_id)).all()
            if service.existing_clients_allowed
            for minutes in service.durations_minutes
        }
    )
    closes = horizon_end(ZoneInfo(practice.time_zone), int(now.timestamp()), practice.booking_horizon_days)
    return BookingWindow(
        opens=now.astimezone(UTC) + timedelta(hours=practice.minimum_notice_hours),
        closes=from_epoch_seconds(closes),
        increment=practice.slot_increment_minutes,
        lengths=tuple(lengths) or (practice.slot_increment_minutes,),
    )


def next_session_start(
    *, session: Session, client_id: int, practice_id: int, now: datetime
) -> datetime | None:
    """When the client's next request or confirmed appointment starts (None: there is none)."""
    return session.exec(
        select(Appointment.starts_at)
        .where(
            Appointment.client_id == client_id,
            Appointment.practice_id == practice_id,
            Appointment.starts_at >= now,
            col(Appointment.status).in_(SEEN_HOLDS),
        )
        .order_by(col(Appointment.starts_at))
        .limit(1)
    ).first()
