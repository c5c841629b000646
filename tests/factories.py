"""Small builders for test data; each returns the saved row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from portal_app import models as m
from portal_app.domain.availability_inputs import (
    BookingChoice,
    BookingPolicy,
    Offer,
    ServiceRule,
    WeeklyBlock,
)
from portal_app.domain.ics import AppointmentDetails


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


def make_location(
    session: Session, practice: m.Practice, name: str = "Main Office", *, address: str = ""
) -> m.Location:
    return _save(session, m.Location(practice_id=practice.id, name=name, address=address))


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


def make_client(
    session: Session,
    practice: m.Practice,
    *,
    email: str,
    with_login: bool = True,
    time_zone: str | None = None,
) -> m.Client:
    user = make_user(session, email=email, time_zone=time_zone) if with_login else None
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


@dataclass(frozen=True)
class PracticeSetup:
    """A practice with one clinician, client, office and service: enough to book."""

    practice: m.Practice
    clinician: m.Clinician
    client: m.Client
    location: m.Location
    service: m.Service

    def appointment(self, session: Session, *, starts_at: datetime, **overrides) -> m.Appointment:
        """An appointment between this setup's client and clinician."""
        return make_appointment(
            session,
            clinician=self.clinician,
            client=self.client,
            service=self.service,
            location=self.location,
            starts_at=starts_at,
            **overrides,
        )


def make_practice_setup(
    session: Session,
    *,
    slug: str = "maya-chen",
    client_email: str = "alex@example.com",
    client_time_zone: str | None = None,
    **practice_overrides,
) -> PracticeSetup:
    practice = make_practice(session, **({"name": "Oak Street Counseling"} | practice_overrides))
    return PracticeSetup(
        practice=practice,
        clinician=make_clinician(session, practice, slug=slug, display_name="Dr. Maya Chen"),
        client=make_client(session, practice, email=client_email, time_zone=client_time_zone),
        location=make_location(
            session, practice, "Downtown Office", address="120 Oak Street, Boston, MA 02111"
        ),
        service=make_service(session, practice),
    )


def make_appointment_details(starts_at: datetime, **overrides) -> AppointmentDetails:
    """What messages and calendar files say about an appointment, without a database."""
    values = {
        "appointment_id": 42,
        "practice_id": 7,
        "status": m.AppointmentStatus.CONFIRMED,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=50),
        "practice_name": "Oak Street Counseling",
        "practice_phone": "(617) 555-0148",
        "practice_zone": "America/New_York",
        "clinician_name": "Dr. Maya Chen",
        "clinician_email": "maya@example.org",
        "client_name": "Alex Rivera",
        "client_email": "alex@example.com",
        "client_zone": "America/Los_Angeles",
        "telehealth": False,
        "location_name": "Downtown Office",
        "location_address": "120 Oak Street, Boston",
    }
    return AppointmentDetails(**(values | overrides))


def make_exception(
    session: Session,
    clinician: m.Clinician,
    *,
    kind: m.ExceptionKind,
    starts_at: datetime,
    ends_at: datetime,
    location: m.Location | None = None,
    services: list[m.Service] | None = None,
    **overrides,
) -> m.AvailabilityException:
    return _save(
        session,
        m.AvailabilityException(
            clinician_id=clinician.id,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            location_id=location.id if location else None,
            service_ids=[s.id for s in services or []],
            **overrides,
        ),
    )


# Inputs of the pure availability engine (no database).


def offer(
    *, location_id: int = 1, in_person: bool = True, telehealth: bool = False, service_ids=(1,)
) -> Offer:
    return Offer(location_id, in_person, telehealth, frozenset(service_ids))


def weekly_block(
    *,
    weekdays=(0, 1, 2, 3, 4),
    start: time = time(9),
    end: time = time(17),
    every_n_weeks: int = 1,
    valid_from: date = date(2020, 1, 1),
    valid_until: date | None = None,
    **offer_overrides,
) -> WeeklyBlock:
    return WeeklyBlock(
        weekdays=frozenset(weekdays),
        start_local=start,
        end_local=end,
        every_n_weeks=every_n_weeks,
        valid_from=valid_from,
        valid_until=valid_until,
        offer=offer(**offer_overrides),
    )


def booking_policy(**overrides) -> BookingPolicy:
    values = {
        "time_zone": "America/New_York",
        "minimum_notice_hours": 0,
        "booking_horizon_days": 60,
        "slot_increment_minutes": 15,
        "buffer_minutes": 0,
        "telehealth_enabled": True,
    }
    return BookingPolicy(**(values | overrides))


def service_rule(*, durations=(50,), **overrides) -> ServiceRule:
    values = {
        "service_id": 1,
        "new_clients_allowed": True,
        "existing_clients_allowed": True,
        "telehealth_allowed": True,
    }
    return ServiceRule(durations_minutes=tuple(durations), **(values | overrides))


def booking_choice(
    service: ServiceRule | None = None,
    *,
    location_id: int = 1,
    forum: m.Forum = m.Forum.IN_PERSON,
    is_new_client: bool = False,
) -> BookingChoice:
    return BookingChoice(service or service_rule(), location_id, forum, is_new_client)


def insert_appointment(
    session: Session,
    setup,
    starts_at: datetime,
    *,
    client: int = 0,
    minutes: int = 50,
    status: m.AppointmentStatus = m.AppointmentStatus.REQUESTED,
    forum: m.Forum = m.Forum.IN_PERSON,
) -> int:
    """An appointment written directly, as staff or an import would: no booking rule applies.

    ``setup`` is a ``tests.unit.scheduling_setup.Bookable`` (ids only); returns the new id, so it
    outlives the session.
    """
    appointment = _save(
        session,
        m.Appointment(
            practice_id=setup.practice_id,
            clinician_id=setup.clinician_id,
            client_id=setup.client_ids[client],
            service_id=setup.service_id,
            location_id=setup.location_id,
            forum=forum,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            status=status,
        ),
    )
    return appointment.id
