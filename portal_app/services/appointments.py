"""Reading appointments for the people allowed to see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from portal_app.domain.appointment_status import HOLDS_TIME
from portal_app.domain.schedule_view import ScheduleItem
from portal_app.domain.time_display import day_label, moment_label, time_range_label
from portal_app.domain.vocabulary import AppointmentStatus, Forum, Role
from portal_app.models import Appointment, AuditEvent, Client, Clinician, Location, Service, User

STATUS_LABELS = {
    AppointmentStatus.REQUESTED: "Unconfirmed",
    AppointmentStatus.CONFIRMED: "Confirmed",
    AppointmentStatus.DECLINED: "Declined",
    AppointmentStatus.WITHDRAWN: "Withdrawn",
    AppointmentStatus.CANCELLED: "Cancelled",
    AppointmentStatus.COMPLETED: "Completed",
}


@dataclass(frozen=True)
class AppointmentView:
    """One appointment as a person reads it, already in their zone."""

    id: int
    day: str
    time: str
    clinician: str
    client: str
    service: str
    where: str
    forum: str
    status: str
    status_label: str
    message: str
    starts_at: datetime
    requested_at: datetime

    def as_row(self) -> dict[str, str]:
        """Plain strings for the page."""
        return {
            "id": str(self.id),
            "day": self.day,
            "time": self.time,
            "clinician": self.clinician,
            "client": self.client,
            "service": self.service,
            "where": self.where,
            "forum": self.forum,
            "status": self.status,
            "status_label": self.status_label,
            "message": self.message,
        }


def _views(session: Session, query, zone: str, *, order_by=Appointment.starts_at) -> list[AppointmentView]:
    rows = session.exec(
        query.join(Clinician, Clinician.id == Appointment.clinician_id)
        .join(Client, Client.id == Appointment.client_id)
        .join(Service, Service.id == Appointment.service_id)
        .join(Location, Location.id == Appointment.location_id)
        .order_by(order_by, Appointment.id)
    ).all()
    return [
        AppointmentView(
            id=appointment.id,
            day=day_label(appointment.starts_at, zone),
            time=time_range_label(appointment.starts_at, appointment.ends_at, zone),
            clinician=clinician.display_name,
            client=client.full_name,
            service=service.name,
            where="Telehealth" if appointment.forum == Forum.TELEHEALTH else location.name,
            forum=appointment.forum.value,
            status=appointment.status.value,
            status_label=STATUS_LABELS[appointment.status],
            message=appointment.clinician_message,
            starts_at=appointment.starts_at,
            requested_at=appointment.created_at,
        )
        for appointment, clinician, client, service, location in rows
    ]


def _joined_select():
    return select(Appointment, Clinician, Client, Service, Location)


@dataclass(frozen=True)
class ClientAppointments:
    """A client's appointments in the three sections of the Appointments tab."""

    upcoming: list[AppointmentView]
    requested: list[AppointmentView]
    past: list[AppointmentView]


def client_appointments(*, session: Session, client_id: int, now: datetime, zone: str) -> ClientAppointments:
    """Everything of one client's, sorted into Upcoming, Requested and Past."""
    views = _views(session, _joined_select().where(Appointment.client_id == client_id), zone)
    upcoming = [v for v in views if v.status == AppointmentStatus.CONFIRMED and v.starts_at >= now]
    requested = [v for v in views if v.status == AppointmentStatus.REQUESTED and v.starts_at >= now]
    shown = {v.id for v in upcoming + requested}
    past = sorted((v for v in views if v.id not in shown), key=lambda v: v.starts_at, reverse=True)
    return ClientAppointments(upcoming=upcoming, requested=requested, past=past)


def pending_requests(
    *, session: Session, practice_id: int, clinician_id: int | None, now: datetime, zone: str
) -> list[AppointmentView]:
    """Requests waiting for a decision, oldest request first; one clinician's, or all (admin)."""
    query = _joined_select().where(
        Appointment.practice_id == practice_id,
        Appointment.status == AppointmentStatus.REQUESTED,
        Appointment.starts_at >= now,
    )
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    return _views(session, query, zone, order_by=Appointment.created_at)


def upcoming_confirmed(
    *, session: Session, practice_id: int, clinician_id: int | None, now: datetime, zone: str, limit: int = 20
) -> list[AppointmentView]:
    """The next confirmed appointments; one clinician's, or all (admin)."""
    query = _joined_select().where(
        Appointment.practice_id == practice_id,
        Appointment.status == AppointmentStatus.CONFIRMED,
        Appointment.starts_at >= now,
    )
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    return _views(session, query.limit(limit), zone)


def client_appointments_between(
    *, session: Session, client_id: int, start: datetime, end: datetime, zone: str
) -> list[AppointmentView]:
    """One client's appointments starting in [start, end), oldest first."""
    query = _joined_select().where(
        Appointment.client_id == client_id,
        Appointment.starts_at >= start,
        Appointment.starts_at < end,
    )
    return _views(session, query, zone)


def client_appointment(
    *, session: Session, client_id: int, appointment_id: int, zone: str
) -> AppointmentView | None:
    """One appointment of this client's, or None if it is not theirs (or does not exist)."""
    views = _views(
        session,
        _joined_select().where(Appointment.id == appointment_id, Appointment.client_id == client_id),
        zone,
    )
    return views[0] if views else None


def staff_appointment(
    *, session: Session, practice_id: int, clinician_id: int | None, appointment_id: int, zone: str
) -> AppointmentView | None:
    """One appointment a staff member may see: their own (clinician) or their practice's (admin)."""
    query = _joined_select().where(Appointment.id == appointment_id, Appointment.practice_id == practice_id)
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    views = _views(session, query, zone)
    return views[0] if views else None


def audit_trail(*, session: Session, appointment_id: int, zone: str) -> list[dict[str, str]]:
    """Every status move of one appointment, oldest first: when, who, from, to, note."""
    rows = session.exec(
        select(AuditEvent, User)
        .join(User, User.id == AuditEvent.actor_user_id, isouter=True)
        .where(AuditEvent.appointment_id == appointment_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [
        {
            "at": moment_label(event.at, zone),
            "who": user.display_name if user else "System",
            "change": (
                f"{STATUS_LABELS[AppointmentStatus(event.from_status)]} → "
                if event.from_status
                else "Requested: "
            )
            + STATUS_LABELS[AppointmentStatus(event.to_status)],
            "note": event.note,
        }
        for event, user in rows
    ]


def clinician_schedule(
    *, session: Session, practice_id: int, clinician_id: int, start: datetime, end: datetime
) -> list[ScheduleItem]:
    """A clinician's requested and confirmed sessions starting in [start, end) (indexed range scan)."""
    rows = session.exec(
        select(Appointment, Client.full_name)
        .join(Client, Client.id == Appointment.client_id)
        .where(
            Appointment.practice_id == practice_id,
            Appointment.clinician_id == clinician_id,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
            Appointment.status.in_(HOLDS_TIME),
        )
        .order_by(Appointment.starts_at)
    ).all()
    return [
        ScheduleItem(
            appointment_id=appointment.id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            pending=appointment.status == AppointmentStatus.REQUESTED,
            who=client_name,
        )
        for appointment, client_name in rows
    ]


def viewable_appointment(*, session: Session, viewer, appointment_id: int) -> Appointment | None:
    """The appointment if ``viewer`` may see it: a client their own, staff their clinic's."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.practice_id != viewer.practice_id:
        return None
    if viewer.role == Role.CLIENT:
        return appointment if appointment.client_id == viewer.client_id else None
    if viewer.role == Role.CLINICIAN:
        return appointment if appointment.clinician_id == viewer.clinician_id else None
    return appointment
