"""Who a change to an appointment concerns: the people whose open pages show it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from portal_app.domain.vocabulary import Role
from portal_app.models import Appointment, Client, Clinician, User
from portal_app.services.outcome import AppointmentResult, Outcome


def people_concerned(*, session: Session, appointment: Appointment) -> tuple[int, ...]:
    """The user ids of the appointment's client, its clinician and the practice's admins."""
    client_user = session.exec(select(Client.user_id).where(Client.id == appointment.client_id)).first()
    clinician_user = session.exec(
        select(Clinician.user_id).where(Clinician.id == appointment.clinician_id)
    ).first()
    admins = session.exec(
        select(User.id).where(
            User.practice_id == appointment.practice_id, User.role == Role.ADMIN, col(User.is_active)
        )
    ).all()
    return tuple(sorted({user for user in (client_user, clinician_user, *admins) if user is not None}))


def done(outcome: Outcome, *, session: Session, appointment: Appointment) -> AppointmentResult:
    """A committed change's result, naming the people whose pages should show it now."""
    return AppointmentResult(
        outcome,
        appointment_id=appointment.id,
        concerns=people_concerned(session=session, appointment=appointment),
    )
