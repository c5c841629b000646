"""Reading appointments for the people allowed to see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeAlias, cast

from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from portal_app.domain.appointment_status import AWAITING_ANSWER, SEEN_HOLDS
from portal_app.domain.cancellation import ClientActions, client_actions
from portal_app.domain.staff_calendar_view import SessionMark
from portal_app.domain.time_display import day_label, moment_label, time_range_label
from portal_app.domain.vocabulary import AppointmentStatus, Forum, Role
from portal_app.models import (
    Appointment,
    Attendee,
    AuditEvent,
    Client,
    Clinician,
    Location,
    Practice,
    Service,
    User,
)
from portal_app.services.auth import Viewer
from portal_app.services.booking_catalog import booking_catalog
from portal_app.services.request_changes import management_purpose
from portal_app.services.stored_rows import required_row, stored_id
from portal_app.services.video import VideoAccess, joinable_now, video_access

STATUS_LABELS = {
    AppointmentStatus.UNCONFIRMED: "Email not confirmed",
    AppointmentStatus.REQUESTED: "Unconfirmed",
    AppointmentStatus.PROPOSED: "New time proposed",
    AppointmentStatus.CONFIRMED: "Confirmed",
    AppointmentStatus.DECLINED: "Declined",
    AppointmentStatus.WITHDRAWN: "Withdrawn",
    AppointmentStatus.CANCELLED: "Cancelled",
    AppointmentStatus.COMPLETED: "Completed",
    AppointmentStatus.NO_SHOW: "No-show",
    AppointmentStatus.EXPIRED: "Expired",
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
    ends_at: datetime
    requested_at: datetime
    # For a request to move another appointment: that appointment's day and time ("" otherwise).
    moves: str = ""


_Joined: TypeAlias = Select[Appointment, Clinician, Client, Service, Location]
_BY_START = col(Appointment.starts_at)


def _views(
    session: Session,
    query: _Joined,
    zone: str,
    *,
    order_by: Mapped[datetime] = _BY_START,
) -> list[AppointmentView]:
    rows = session.exec(
        query.join(Clinician, col(Clinician.id) == Appointment.clinician_id)
        .join(Client, col(Client.id) == Appointment.client_id)
        .join(Service, col(Service.id) == Appointment.service_id)
        .join(Location, col(Location.id) == Appointment.location_id)
        .order_by(order_by, col(Appointment.id))
    ).all()
    moved = _moved_times(session, [a.replaces_id for a, *_ in rows if a.replaces_id is not None], zone)
    return [
        AppointmentView(
            id=stored_id(appointment),
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
            ends_at=appointment.ends_at,
            requested_at=appointment.created_at,
            moves=moved.get(appointment.replaces_id, "") if appointment.replaces_id else "",
        )
        for appointment, clinician, client, service, location in rows
    ]


def _moved_times(session: Session, appointment_ids: list[int], zone: str) -> dict[int, str]:
    """The day and time of each appointment that a listed request would move, in one query."""
    if not appointment_ids:
        return {}
    rows = session.exec(select(Appointment).where(col(Appointment.id).in_(appointment_ids))).all()
    return {
        stored_id(a): f"{day_label(a.starts_at, zone)}, {time_range_label(a.starts_at, a.ends_at, zone)}"
        for a in rows
    }


def _joined_select() -> _Joined:
    # sqlmodel's select() is typed for at most four entities; given five it builds this same
    # Select at runtime. Build it directly: the class cannot infer a row type from its
    # arguments, so the cast states it.
    return cast(_Joined, Select(Appointment, Clinician, Client, Service, Location))


_STILL_REQUESTED = frozenset(
    {AppointmentStatus.REQUESTED.value, AppointmentStatus.PROPOSED.value, AppointmentStatus.DECLINED.value}
)


@dataclass(frozen=True)
class ClientAppointments:
    """A client's appointments in the three sections of the Appointments tab."""

    upcoming: list[AppointmentView]
    requested: list[AppointmentView]
    past: list[AppointmentView]
    can_request: bool = False
    # Telehealth sessions whose Join Video is open now.
    join_now: tuple[VideoAccess, ...] = ()


def client_appointments(
    *, session: Session, client_id: int, practice_id: int, now: datetime, zone: str
) -> ClientAppointments:
    """Everything of one client's, sorted into Upcoming, Requested and Past; and whether any
    provider of their practice takes online requests (otherwise there is no New Appointment)."""
    views = _views(session, _joined_select().where(Appointment.client_id == client_id), zone)
    # A session stays upcoming until it ends (Join Video works until then).
    upcoming = [v for v in views if v.status == AppointmentStatus.CONFIRMED and v.ends_at > now]
    # A declined request stays in view, with the therapist's message, until its time has passed.
    requested = [v for v in views if v.status in _STILL_REQUESTED and v.starts_at >= now]
    shown = {v.id for v in upcoming + requested}
    past = sorted((v for v in views if v.id not in shown), key=lambda v: v.starts_at, reverse=True)
    can_request = bool(booking_catalog(session=session, practice_id=practice_id).providers)
    return ClientAppointments(
        upcoming=upcoming,
        requested=requested,
        past=past,
        can_request=can_request,
        join_now=tuple(joinable_now(session=session, client_id=client_id, now=now)),
    )


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
    return _views(session, query, zone, order_by=col(Appointment.created_at))


def sessions_to_record(
    *, session: Session, practice_id: int, clinician_id: int | None, now: datetime, zone: str, limit: int = 20
) -> list[AppointmentView]:
    """Confirmed sessions that have started in the last 30 days and wait to be recorded as
    attended or a no-show, most recent first; one clinician's, or all (admin)."""
    query = _joined_select().where(
        Appointment.practice_id == practice_id,
        Appointment.status == AppointmentStatus.CONFIRMED,
        Appointment.starts_at <= now,
        Appointment.starts_at > now - timedelta(days=30),
    )
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    return list(reversed(_views(session, query, zone)))[:limit]


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


def client_history(
    *, session: Session, practice_id: int, client_id: int, clinician_id: int | None, zone: str
) -> list[AppointmentView]:
    """Every appointment of one client, oldest first: with one clinician, or all (admin)."""
    query = _joined_select().where(Appointment.client_id == client_id, Appointment.practice_id == practice_id)
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
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


@dataclass(frozen=True)
class ClientAppointmentDetails:
    """One of a client's appointments, what they may do with it now, and the number to call."""

    view: AppointmentView
    actions: ClientActions
    practice_phone: str
    online_cancellation: bool
    window_hours: int
    # "change" (a pending request), "reschedule" (a confirmed one) or "" (neither, now).
    manage: str = ""
    video: VideoAccess | None = None


def client_appointment_details(
    *, session: Session, client_id: int, appointment_id: int, zone: str, now: datetime
) -> ClientAppointmentDetails | None:
    """One appointment of this client's with the actions offered on it, or None if not theirs."""
    view = client_appointment(session=session, client_id=client_id, appointment_id=appointment_id, zone=zone)
    if view is None:
        return None
    # The view above found it, in this same session.
    appointment = required_row(session, Appointment, appointment_id)
    practice = required_row(session, Practice, appointment.practice_id)
    actions = client_actions(
        status=appointment.status,
        starts_at=appointment.starts_at,
        now=now,
        online_cancellation=practice.online_cancellation,
        window_hours=practice.cancellation_window_hours,
    )
    return ClientAppointmentDetails(
        view=view,
        actions=actions,
        practice_phone=practice.phone,
        online_cancellation=practice.online_cancellation,
        window_hours=practice.cancellation_window_hours,
        manage=management_purpose(session=session, appointment=appointment, now=now) or "",
        video=video_access(session=session, appointment=appointment, now=now),
    )


def staff_appointment(
    *, session: Session, practice_id: int, clinician_id: int | None, appointment_id: int, zone: str
) -> AppointmentView | None:
    """One appointment a staff member may see: their own (clinician) or their practice's (admin)."""
    query = _joined_select().where(Appointment.id == appointment_id, Appointment.practice_id == practice_id)
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    views = _views(session, query, zone)
    return views[0] if views else None


@dataclass(frozen=True)
class AuditLine:
    """One status move as staff read it."""

    at: str
    who: str
    change: str
    note: str


@dataclass(frozen=True)
class StaffAppointmentDetails:
    """One appointment a staff member may see: who it is with, how to reach them, its history.

    Attributes:
        can_cancel: Confirmed and still ahead: staff may cancel it (the client is emailed).
        can_record: Confirmed and started: staff may record it as attended or a no-show.
    """

    view: AppointmentView
    trail: list[AuditLine]
    client_email: str
    client_phone: str
    attendees: list[str]
    can_cancel: bool
    can_record: bool


def staff_appointment_details(
    *,
    session: Session,
    practice_id: int,
    clinician_id: int | None,
    appointment_id: int,
    zone: str,
    now: datetime,
) -> StaffAppointmentDetails | None:
    """The appointment and its history, if the staff member may see it (else None)."""
    view = staff_appointment(
        session=session,
        practice_id=practice_id,
        clinician_id=clinician_id,
        appointment_id=appointment_id,
        zone=zone,
    )
    if view is None:
        return None
    appointment = required_row(session, Appointment, appointment_id)
    client = required_row(session, Client, appointment.client_id)
    attendees = session.exec(
        select(Attendee).where(Attendee.appointment_id == appointment_id).order_by(col(Attendee.id))
    ).all()
    confirmed = appointment.status == AppointmentStatus.CONFIRMED
    return StaffAppointmentDetails(
        view=view,
        trail=audit_trail(session=session, appointment_id=appointment_id, zone=zone),
        client_email=client.email,
        client_phone=client.phone,
        attendees=[_attendee_label(attendee) for attendee in attendees],
        can_cancel=confirmed and appointment.starts_at > now,
        can_record=confirmed and appointment.starts_at <= now,
    )


def _attendee_label(attendee: Attendee) -> str:
    """``Jamie Rivera (partner, minor)``: the name, then what the requester said of them."""
    facts = [fact for fact in (attendee.relationship, "minor" if attendee.is_minor else "") if fact]
    return attendee.full_name + (f" ({', '.join(facts)})" if facts else "")


def audit_trail(*, session: Session, appointment_id: int, zone: str) -> list[AuditLine]:
    """Every status move of one appointment, oldest first: when, who, from, to, note."""
    rows = session.exec(
        select(AuditEvent, User)
        .join(User, col(User.id) == AuditEvent.actor_user_id, isouter=True)
        .where(AuditEvent.appointment_id == appointment_id)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()
    return [
        AuditLine(
            at=moment_label(event.at, zone),
            who=user.display_name if user else "System",
            change=(
                f"{STATUS_LABELS[AppointmentStatus(event.from_status)]} → "
                if event.from_status
                else "Requested: "
            )
            + STATUS_LABELS[AppointmentStatus(event.to_status)],
            note=event.note,
        )
        for event, user in rows
    ]


def clinician_sessions(
    *, session: Session, practice_id: int, clinician_id: int, start: datetime, end: datetime
) -> list[SessionMark]:
    """A clinician's requested and confirmed sessions starting in [start, end) (indexed range scan)."""
    rows = session.exec(
        select(Appointment, Client.full_name)
        .join(Client, col(Client.id) == Appointment.client_id)
        .where(
            Appointment.practice_id == practice_id,
            Appointment.clinician_id == clinician_id,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
            col(Appointment.status).in_(SEEN_HOLDS),
        )
        .order_by(col(Appointment.starts_at))
    ).all()
    return [
        SessionMark(
            appointment_id=stored_id(appointment),
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            pending=appointment.status in AWAITING_ANSWER,
            who=client_name,
        )
        for appointment, client_name in rows
    ]


@dataclass(frozen=True)
class ClinicianWeek:
    """A clinician's sessions in one week, and the practice's slot increment to draw them on."""

    items: list[SessionMark]
    increment_minutes: int


def clinician_week(
    *, session: Session, practice_id: int, clinician_id: int, start: datetime, end: datetime
) -> ClinicianWeek:
    """The staff calendar's week: ``clinician_sessions`` and the practice's increment."""
    practice = required_row(session, Practice, practice_id)
    return ClinicianWeek(
        items=clinician_sessions(
            session=session, practice_id=practice_id, clinician_id=clinician_id, start=start, end=end
        ),
        increment_minutes=practice.slot_increment_minutes,
    )


def viewable_appointment(*, session: Session, viewer: Viewer, appointment_id: int) -> Appointment | None:
    """The appointment if ``viewer`` may see it: a client their own, staff their clinic's."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.practice_id != viewer.practice_id:
        return None
    if viewer.role == Role.CLIENT:
        return appointment if appointment.client_id == viewer.client_id else None
    if viewer.role == Role.CLINICIAN:
        return appointment if appointment.clinician_id == viewer.clinician_id else None
    return appointment
