"""The demo practice: ``python -m portal_app.seed`` creates it once; running it again adds nothing.

Every row is found by its natural key (email, slug, name) before it is created, so the seed is
safe to re-run against a database that already has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from portal_app import models as m
from portal_app.services.notifications import enqueue_request_received
from portal_app.services.passwords import hash_password
from portal_app.services.status_moves import move_status

DEMO_PASSWORD = "OakStreet-demo-2026"
PRACTICE_NAME = "Oak Street Counseling"
PRACTICE_ZONE = "America/New_York"


@dataclass(frozen=True)
class DemoLogin:
    """A login printed for people trying the demo."""

    label: str
    email: str
    role: m.Role
    display_name: str
    password: str = DEMO_PASSWORD


DEMO_LOGINS = (
    DemoLogin("Client", "alex.rivera@example.com", m.Role.CLIENT, "Alex Rivera"),
    DemoLogin("Client", "sam.taylor@example.com", m.Role.CLIENT, "Sam Taylor"),
    DemoLogin("Therapist", "maya.chen@example.org", m.Role.CLINICIAN, "Dr. Maya Chen"),
    DemoLogin("Therapist", "jordan.alvarez@example.org", m.Role.CLINICIAN, "Jordan Alvarez"),
    DemoLogin("Therapist", "priya.natarajan@example.org", m.Role.CLINICIAN, "Priya Natarajan"),
    DemoLogin("Practice admin", "office@example.org", m.Role.ADMIN, "Morgan Lee"),
)

_CLINICIANS = {
    # slug: (login email, credentials)
    "maya-chen": ("maya.chen@example.org", "PsyD"),
    "jordan-alvarez": ("jordan.alvarez@example.org", "LCSW"),
    "priya-natarajan": ("priya.natarajan@example.org", "LMFT"),
}
_LOCATIONS = {
    "Downtown Office": "120 Oak Street, Suite 300, Boston, MA 02111",
    "Brookline Office": "45 Harvard Avenue, Brookline, MA 02446",
}
_SERVICES = {
    # name: (durations, new clients, existing clients, telehealth)
    "Individual Therapy": ([50, 80], False, True, True),
    "Couples Therapy": ([80], False, True, True),
    "Family Session": ([60], False, True, False),
    "Brief Check-in": ([25], False, True, True),
    "Initial Consultation": ([60], True, False, True),
}
_ALL_EXISTING = ["Individual Therapy", "Couples Therapy", "Brief Check-in"]
_BLOCKS = {
    # slug: [(location, weekdays, start, end, every_n_weeks, in_person, telehealth, services)]
    "maya-chen": [
        (
            "Downtown Office",
            [0, 2],
            time(9),
            time(17),
            1,
            True,
            True,
            [*_ALL_EXISTING, "Initial Consultation"],
        ),
        ("Downtown Office", [4], time(9), time(13), 1, False, True, ["Individual Therapy", "Brief Check-in"]),
    ],
    "jordan-alvarez": [
        (
            "Brookline Office",
            [1, 3],
            time(10),
            time(18),
            1,
            True,
            False,
            ["Individual Therapy", "Family Session", "Initial Consultation"],
        ),
        (
            "Brookline Office",
            [5],
            time(9),
            time(12),
            2,
            False,
            True,
            ["Individual Therapy", "Brief Check-in"],
        ),
    ],
    "priya-natarajan": [
        (
            "Downtown Office",
            [1],
            time(12),
            time(19),
            1,
            True,
            True,
            ["Couples Therapy", "Family Session", "Individual Therapy"],
        ),
        (
            "Brookline Office",
            [3],
            time(9),
            time(15),
            1,
            True,
            False,
            ["Couples Therapy", "Initial Consultation"],
        ),
    ],
}


def _get_or_create(session: Session, model, lookup: dict, **values):
    row = session.exec(select(model).filter_by(**lookup)).first()
    if row is None:
        row = model(**lookup, **values)
        session.add(row)
        session.flush()
    return row


def _next_local(now: datetime, *, weekday: int, at: time, weeks_ahead: int = 0) -> datetime:
    """The UTC instant of the next ``weekday`` at local ``at``, at least two days from now."""
    zone = ZoneInfo(PRACTICE_ZONE)
    day = (now.astimezone(zone) + timedelta(days=2)).date()
    day += timedelta(days=(weekday - day.weekday()) % 7 + 7 * weeks_ahead)
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def seed_demo_practice(*, session: Session, now: datetime) -> m.Practice:
    """Create the demo practice and everything in it, or find what is already there."""
    practice = _get_or_create(
        session, m.Practice, {"name": PRACTICE_NAME}, time_zone=PRACTICE_ZONE, phone="(617) 555-0148"
    )
    password_hash = hash_password(DEMO_PASSWORD)
    users = {
        login.email: _get_or_create(
            session,
            m.User,
            {"email": login.email},
            practice_id=practice.id,
            role=login.role,
            display_name=login.display_name,
            password_hash=password_hash,
        )
        for login in DEMO_LOGINS
    }
    clinicians = {
        slug: _get_or_create(
            session,
            m.Clinician,
            {"slug": slug},
            practice_id=practice.id,
            user_id=users[email].id,
            display_name=users[email].display_name,
            credentials=credentials,
        )
        for slug, (email, credentials) in _CLINICIANS.items()
    }
    locations = {
        name: _get_or_create(session, m.Location, {"practice_id": practice.id, "name": name}, address=address)
        for name, address in _LOCATIONS.items()
    }
    services = {
        name: _get_or_create(
            session,
            m.Service,
            {"practice_id": practice.id, "name": name},
            durations_minutes=durations,
            new_clients_allowed=new,
            existing_clients_allowed=existing,
            telehealth_allowed=telehealth,
        )
        for name, (durations, new, existing, telehealth) in _SERVICES.items()
    }
    for slug, blocks in _BLOCKS.items():
        clinician = clinicians[slug]
        if session.exec(
            select(m.AvailabilityBlock).where(m.AvailabilityBlock.clinician_id == clinician.id)
        ).first():
            continue
        for location, weekdays, start, end, every, in_person, telehealth, names in blocks:
            session.add(
                m.AvailabilityBlock(
                    clinician_id=clinician.id,
                    location_id=locations[location].id,
                    weekdays=weekdays,
                    start_local=start,
                    end_local=end,
                    every_n_weeks=every,
                    valid_from=date(2025, 1, 6),
                    in_person=in_person,
                    telehealth=telehealth,
                    service_ids=[services[name].id for name in names],
                )
            )
    clients = {
        login.email: _get_or_create(
            session,
            m.Client,
            {"user_id": users[login.email].id},
            practice_id=practice.id,
            full_name=login.display_name,
            email=login.email,
            phone="(617) 555-01" + str(20 + index),
        )
        for index, login in enumerate(DEMO_LOGINS)
        if login.role == m.Role.CLIENT
    }
    _seed_appointments(
        session, now=now, clients=clients, clinicians=clinicians, locations=locations, services=services
    )
    session.commit()
    return practice


def _seed_appointments(session: Session, *, now, clients, clinicians, locations, services) -> None:
    alex, sam = clients["alex.rivera@example.com"], clients["sam.taylor@example.com"]
    if session.exec(select(m.Appointment).where(m.Appointment.client_id.in_([alex.id, sam.id]))).first():
        return
    plan = [
        # client, clinician, location, service, forum, start, minutes, status
        (
            alex,
            "maya-chen",
            "Downtown Office",
            "Individual Therapy",
            m.Forum.IN_PERSON,
            _next_local(now, weekday=0, at=time(10)),
            50,
            m.AppointmentStatus.CONFIRMED,
        ),
        (
            alex,
            "maya-chen",
            "Downtown Office",
            "Individual Therapy",
            m.Forum.IN_PERSON,
            _next_local(now, weekday=0, at=time(10), weeks_ahead=-3),
            50,
            m.AppointmentStatus.COMPLETED,
        ),
        (
            alex,
            "jordan-alvarez",
            "Brookline Office",
            "Individual Therapy",
            m.Forum.IN_PERSON,
            _next_local(now, weekday=3, at=time(14)),
            50,
            m.AppointmentStatus.REQUESTED,
        ),
        (
            sam,
            "priya-natarajan",
            "Downtown Office",
            "Couples Therapy",
            m.Forum.TELEHEALTH,
            _next_local(now, weekday=1, at=time(15)),
            80,
            m.AppointmentStatus.CONFIRMED,
        ),
        (
            sam,
            "maya-chen",
            "Downtown Office",
            "Brief Check-in",
            m.Forum.TELEHEALTH,
            _next_local(now, weekday=2, at=time(13)),
            25,
            m.AppointmentStatus.REQUESTED,
        ),
    ]
    for client, slug, location, service, forum, start, minutes, status in plan:
        appointment = m.Appointment(
            practice_id=client.practice_id,
            clinician_id=clinicians[slug].id,
            client_id=client.id,
            service_id=services[service].id,
            location_id=locations[location].id,
            forum=forum,
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            status=m.AppointmentStatus.REQUESTED,
            created_by_user_id=client.user_id,
            created_at=now,
            updated_at=now,
        )
        session.add(appointment)
        session.flush()
        session.add(
            m.AuditEvent(
                appointment_id=appointment.id,
                to_status=m.AppointmentStatus.REQUESTED.value,
                actor_user_id=client.user_id,
                at=now,
            )
        )
        if start < now:
            # History only: no emails about sessions long past.
            appointment.status = status
            session.add(
                m.AuditEvent(
                    appointment_id=appointment.id, from_status="requested", to_status=status.value, at=now
                )
            )
            continue
        # Through the same services as real requests and reviews, so the outbox has their emails.
        enqueue_request_received(session=session, appointment=appointment, now=now)
        if status != m.AppointmentStatus.REQUESTED:
            move_status(
                session=session,
                appointment=appointment,
                to_status=status,
                actor_user_id=clinicians[slug].user_id,
                now=now,
            )


def main() -> None:
    """Seed the configured database and say so (``--print-logins`` lists the demo logins)."""
    import sys

    from portal_app.database import open_session

    with open_session(for_writing=True) as session:
        practice = seed_demo_practice(session=session, now=datetime.now(UTC))
    print(f"Demo practice ready: {practice.name}")
    if "--print-logins" in sys.argv:
        print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            print(f"  {login.label:<15} {login.email}")


if __name__ == "__main__":
    main()
