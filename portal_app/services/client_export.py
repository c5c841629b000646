"""Everything the portal holds about one client, for the practice admin to hand over.

A client may ask for their record (HIPAA's right of access, GDPR's access and portability). The
export is one JSON document: the client's record and portal account (never its password hash
or two-factor secrets),
every appointment with its messages and attendees, the history of each appointment (who moved
it, when, from what to what), and every email the portal wrote about them or to them. Only a
practice admin of the client's own practice gets it; anyone else gets None, as for a client who
does not exist, so the answer says nothing about other practices' clients.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from portal_app.domain.vocabulary import Role
from portal_app.models import (
    Appointment,
    Attendee,
    AuditEvent,
    Client,
    Clinician,
    EmailOutbox,
    Location,
    Practice,
    Service,
    TwoFactorCredential,
    User,
)
from portal_app.services.auth import Viewer

EXPORT_FORMAT = "therapy-portal.client-export.v1"


def export_client(
    *, session: Session, viewer: Viewer, client_id: int, now: datetime
) -> dict[str, Any] | None:
    """The client's data as a JSON-ready document, or None unless ``viewer`` is their practice's admin.

    Args:
        session: The database session.
        viewer: Who asks; only a practice admin of the client's practice is answered.
        client_id: The client's record.
        now: When the export is made (written into it).
    """
    if viewer.role != Role.ADMIN or viewer.practice_id is None:
        return None
    client = session.get(Client, client_id)
    if client is None or client.practice_id != viewer.practice_id:
        return None
    practice = session.get(Practice, client.practice_id)
    appointments = session.exec(
        select(Appointment)
        .where(Appointment.client_id == client.id, Appointment.practice_id == client.practice_id)
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    appointment_ids = [appointment.id for appointment in appointments]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _instant(now),
        "exported_by": viewer.display_name,
        "practice": practice.name if practice else "",
        "client": {
            "id": client.id,
            "full_name": client.full_name,
            "email": client.email,
            "phone": client.phone,
            "added_at": _instant(client.created_at),
        },
        "portal_account": _account(session, client.user_id),
        "appointments": [_appointment(session, appointment) for appointment in appointments],
        "emails": _emails(session, client, appointment_ids),
    }


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _user_name(session: Session, user_id: int | None) -> str:
    # The session's identity map answers repeats without another query.
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user else ""


def _account(session: Session, user_id: int | None) -> dict[str, Any] | None:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return None
    credential = session.exec(
        select(TwoFactorCredential).where(TwoFactorCredential.user_id == user.id)
    ).first()
    return {
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "active": user.is_active,
        "created_at": _instant(user.created_at),
        # Whether it is on, never the authenticator's secret or the recovery codes.
        "two_factor": credential is not None and credential.confirmed_at is not None,
    }


def _appointment(session: Session, appointment: Appointment) -> dict[str, Any]:
    history = session.exec(
        select(AuditEvent)
        .where(AuditEvent.appointment_id == appointment.id)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()
    attendees = session.exec(
        select(Attendee).where(Attendee.appointment_id == appointment.id).order_by(col(Attendee.id))
    ).all()
    clinician = session.get(Clinician, appointment.clinician_id)
    service = session.get(Service, appointment.service_id)
    location = session.get(Location, appointment.location_id)
    return {
        "id": appointment.id,
        "starts_at": _instant(appointment.starts_at),
        "ends_at": _instant(appointment.ends_at),
        "status": appointment.status.value,
        "clinician": clinician.display_name if clinician else "",
        "service": service.name if service else "",
        "location": location.name if location else "",
        "forum": appointment.forum.value,
        "client_message": appointment.client_message,
        "clinician_message": appointment.clinician_message,
        "replaces_appointment": appointment.replaces_id,
        "requested_at": _instant(appointment.created_at),
        "attendees": [
            {
                "full_name": attendee.full_name,
                "email": attendee.email,
                "phone": attendee.phone,
                "relationship": attendee.relationship,
                "minor": attendee.is_minor,
            }
            for attendee in attendees
        ],
        "history": [
            {
                "at": _instant(event.at),
                "by": _user_name(session, event.actor_user_id),
                "from": event.from_status,
                "to": event.to_status,
                "note": event.note,
            }
            for event in history
        ],
    }


def _emails(session: Session, client: Client, appointment_ids: list[int | None]) -> list[dict[str, Any]]:
    about_them = [col(EmailOutbox.to_address) == client.email]
    if appointment_ids:
        about_them.append(col(EmailOutbox.appointment_id).in_(appointment_ids))
    messages = session.exec(
        select(EmailOutbox)
        .where(EmailOutbox.practice_id == client.practice_id, or_(*about_them))
        .order_by(col(EmailOutbox.created_at), col(EmailOutbox.id))
    ).all()
    return [
        {
            "to": message.to_address,
            "subject": message.subject,
            "text": message.body_text,
            "status": message.status.value,
            "written_at": _instant(message.created_at),
            "sent_at": _instant(message.sent_at),
        }
        for message in messages
    ]
