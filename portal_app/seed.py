"""The demo practice: ``python -m portal_app.seed`` creates it once; running it again adds nothing.

Every row is found by its natural key (email, slug, name) before it is created, so the seed is
safe to re-run against a database that already has it. ``--reset-demo`` puts the demo practice
back to exactly this data (the browser tests run against a deployment restored this way).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from portal_app import models as m
from portal_app.demo_logins import DEMO_LOGINS, DEMO_PASSWORD
from portal_app.services.notifications import enqueue_request_received
from portal_app.services.passwords import hash_password
from portal_app.services.status_moves import move_status

PRACTICE_NAME = "Oak Street Counseling"
PRACTICE_ZONE = "America/New_York"

_CLINICIANS = {
    # slug: (login email, credentials)
    "maya-chen": ("maya.chen@example.org", "PsyD"),
    "jordan-alvarez": ("jordan.alvarez@example.org", "LCSW"),
    "priya-natarajan": ("priya.natarajan@example.org", "LMFT"),
    "robin-park": ("robin.park@example.org", "LPC"),
}
# Each clinician's telehealth room (Join Video opens it).
VIDEO_LINK = "https://video.oakstreetcounseling.example/{slug}"
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
_DESCRIPTIONS = {
    "Individual Therapy": "One-to-one talk therapy with your therapist.",
    "Couples Therapy": "A session for you and your partner together.",
    "Family Session": "For families working through something together, in person.",
    "Brief Check-in": "A short follow-up between regular sessions.",
    "Initial Consultation": "A first conversation to see how we can help.",
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
    # Extended hours every day and nothing booked: the browser tests' bookings go here.
    "robin-park": [
        (
            "Downtown Office",
            list(range(7)),
            time(8),
            time(20),
            1,
            True,
            False,
            ["Individual Therapy", "Initial Consultation"],
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
            video_link=VIDEO_LINK.format(slug=slug),
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
            description=_DESCRIPTIONS[name],
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


class NotADemoDatabase(Exception):
    """The database holds more than the demo practice; resetting it could destroy real data."""


def reset_demo_practice(*, session: Session, now: datetime, force: bool = False) -> m.Practice:
    """Delete the demo practice's rows and seed it again, in the caller's one transaction.

    Refuses (``NotADemoDatabase``) when the database holds another practice, or a login in the
    demo practice that is not a demo login, unless ``force``; then only the demo practice's rows
    go. Nothing is written if anything fails: the deletes and the new seed commit together.
    """
    practice = session.exec(select(m.Practice).where(m.Practice.name == PRACTICE_NAME)).first()
    if not force:
        _refuse_unless_demo_only(session, practice)
    if practice is not None:
        _delete_practice_rows(session, practice.id)
    demo_emails = [login.email for login in DEMO_LOGINS]
    # Sign-in throttling counts these by email: a reset starts the demo accounts afresh.
    session.execute(sa.delete(m.LoginAttempt).where(m.LoginAttempt.email.in_(demo_emails)))
    return seed_demo_practice(session=session, now=now)


def _refuse_unless_demo_only(session: Session, practice: m.Practice | None) -> None:
    others = session.exec(select(m.Practice.name).where(m.Practice.name != PRACTICE_NAME)).all()
    if others:
        raise NotADemoDatabase(f"this database also holds other practices: {', '.join(sorted(others))}")
    if practice is None:
        return
    demo_emails = {login.email for login in DEMO_LOGINS}
    strangers = [
        email
        for email in session.exec(select(m.User.email).where(m.User.practice_id == practice.id))
        if email not in demo_emails
    ]
    if strangers:
        raise NotADemoDatabase(f"{PRACTICE_NAME} has logins that are not demo logins: {len(strangers)}")


def _delete_practice_rows(session: Session, practice_id: int) -> None:
    """Delete the practice and every row that refers to it, directly or through other rows.

    Walks the foreign keys of every table in the models rather than naming tables, so a table
    added later is included: a row belongs to the practice when any of its foreign keys points
    at a row that does. Children are deleted before their parents.
    """
    tables = SQLModel.metadata.sorted_tables  # parents before children
    owned: dict[sa.Table, list] = {}
    for table in tables:
        (key,) = table.primary_key.columns
        if table.name == m.Practice.__tablename__:
            owned[table] = [practice_id]
            continue
        links = [
            foreign_key.parent.in_(owned[foreign_key.column.table])
            for foreign_key in table.foreign_keys
            if owned.get(foreign_key.column.table)
        ]
        if links:
            owned[table] = list(session.execute(sa.select(key).where(sa.or_(*links))).scalars())
    for table in reversed(tables):
        if owned.get(table):
            (key,) = table.primary_key.columns
            session.execute(sa.delete(table).where(key.in_(owned[table])))
    # Objects of deleted rows must not meet the new rows that may reuse their ids.
    for row in list(session.identity_map.values()):
        (key,) = row.__table__.primary_key.columns
        if getattr(row, key.name) in owned.get(row.__table__, ()):
            session.expunge(row)


def main(argv: list[str] | None = None) -> int:
    """Seed (or with ``--reset-demo``, restore) the demo practice in the configured database."""
    import argparse

    from portal_app.database import open_session

    parser = argparse.ArgumentParser(prog="python -m portal_app.seed", description=main.__doc__)
    parser.add_argument("--print-logins", action="store_true", help="list the demo logins")
    parser.add_argument(
        "--reset-demo",
        action="store_true",
        help="delete the demo practice's rows (appointments, emails, sessions...) and seed it again",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --reset-demo: go ahead although the database holds other practices or logins",
    )
    args = parser.parse_args(argv)
    if args.force and not args.reset_demo:
        parser.error("--force only goes with --reset-demo")

    now = datetime.now(UTC)
    with open_session(for_writing=True) as session:
        if args.reset_demo:
            try:
                practice = reset_demo_practice(session=session, now=now, force=args.force)
            except NotADemoDatabase as refusal:
                print(f"Not resetting: {refusal}. Nothing was changed (--force overrides).")
                return 2
            print(f"Demo practice restored: {practice.name}")
        else:
            practice = seed_demo_practice(session=session, now=now)
            print(f"Demo practice ready: {practice.name}")
    if args.print_logins:
        print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            print(f"  {login.label:<15} {login.email}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
