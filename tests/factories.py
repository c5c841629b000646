"""Small builders for test data; each returns the saved row."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from portal_app import models as m


def _save(session: Session, row):
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def make_practice(session: Session, **overrides) -> m.Practice:
    values = {"name": "Test Practice", "time_zone": "America/New_York", "phone": "555-0100"}
    return _save(session, m.Practice(**(values | overrides)))


def make_user(session: Session, *, email: str, role: m.Role = m.Role.CLIENT, **overrides) -> m.User:
    values = {"password_hash": "unused", "display_name": email.split("@")[0].title()}
    return _save(session, m.User(email=email, role=role, **(values | overrides)))


def make_clinician(session: Session, practice: m.Practice, *, slug: str, **overrides) -> m.Clinician:
    user = make_user(session, email=f"{slug}@clinic.test", role=m.Role.CLINICIAN)
    values = {"display_name": slug.title(), "slug": slug}
    return _save(
        session,
        m.Clinician(practice_id=practice.id, user_id=user.id, **(values | overrides)),
    )


def make_location(session: Session, practice: m.Practice, name: str = "Main Office") -> m.Location:
    return _save(session, m.Location(practice_id=practice.id, name=name))


def make_service(session: Session, practice: m.Practice, **overrides) -> m.Service:
    values = {"name": "Individual Therapy", "durations_minutes": [50], "existing_clients_allowed": True}
    return _save(session, m.Service(practice_id=practice.id, **(values | overrides)))


def make_block(
    session: Session,
    clinician: m.Clinician,
    location: m.Location,
    services: list[m.Service],
    **overrides,
) -> m.AvailabilityBlock:
    values = {
        "weekdays": [0, 1, 2, 3, 4],
        "start_local": time(9, 0),
        "end_local": time(17, 0),
        "valid_from": date(2020, 1, 1),
    }
    return _save(
        session,
        m.AvailabilityBlock(
            clinician_id=clinician.id,
            location_id=location.id,
            service_ids=[s.id for s in services],
            **(values | overrides),
        ),
    )


def make_client(session: Session, practice: m.Practice, *, email: str, with_login: bool = True) -> m.Client:
    user = make_user(session, email=email) if with_login else None
    return _save(
        session,
        m.Client(
            practice_id=practice.id,
            user_id=user.id if user else None,
            full_name=email.split("@")[0].title(),
            email=email,
        ),
    )


def make_appointment(
    session: Session,
    *,
    clinician: m.Clinician,
    client: m.Client,
    service: m.Service,
    location: m.Location,
    starts_at: datetime,
    minutes: int = 50,
    status: m.AppointmentStatus = m.AppointmentStatus.REQUESTED,
    forum: m.Forum = m.Forum.IN_PERSON,
) -> m.Appointment:
    return _save(
        session,
        m.Appointment(
            practice_id=clinician.practice_id,
            clinician_id=clinician.id,
            client_id=client.id,
            service_id=service.id,
            location_id=location.id,
            forum=forum,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            status=status,
        ),
    )
