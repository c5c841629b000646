"""The demo practice seed."""

from datetime import UTC, datetime

from sqlmodel import func, select

from portal_app import models as m
from portal_app.seed import DEMO_LOGINS, DEMO_PASSWORD, seed_demo_practice
from portal_app.services.auth import sign_in

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TABLES = (
    m.Practice,
    m.User,
    m.Clinician,
    m.Location,
    m.Service,
    m.AvailabilityBlock,
    m.Client,
    m.Appointment,
    m.AuditEvent,
)


def _counts(session):
    return {table.__name__: session.exec(select(func.count()).select_from(table)).one() for table in TABLES}


def test_seeding_twice_creates_no_duplicates(db_session):
    seed_demo_practice(session=db_session, now=NOW)
    first = _counts(db_session)
    seed_demo_practice(session=db_session, now=datetime(2026, 12, 5, tzinfo=UTC))

    assert _counts(db_session) == first
    assert first["Practice"] == 1
    assert first["Clinician"] == 3
    assert first["Location"] == 2
    assert first["Service"] == 5
    assert first["Client"] == 2


def test_the_demo_practice_is_shaped_as_promised(db_session):
    practice = seed_demo_practice(session=db_session, now=NOW)
    services = db_session.exec(select(m.Service)).all()
    blocks = db_session.exec(select(m.AvailabilityBlock)).all()

    assert practice.time_zone == "America/New_York"
    assert [s.name for s in services if s.new_clients_allowed and not s.existing_clients_allowed] == [
        "Initial Consultation"
    ]
    by_clinician = {}
    for block in blocks:
        by_clinician.setdefault(block.clinician_id, set()).add(
            (tuple(block.weekdays), block.location_id, block.in_person, block.telehealth)
        )
    assert len(by_clinician) == 3
    assert len({frozenset(shapes) for shapes in by_clinician.values()}) == 3
    assert any(block.telehealth and not block.in_person for block in blocks)
    statuses = {a.status for a in db_session.exec(select(m.Appointment))}
    assert {m.AppointmentStatus.REQUESTED, m.AppointmentStatus.CONFIRMED} <= statuses


def test_every_demo_login_signs_in(db_session):
    seed_demo_practice(session=db_session, now=NOW)

    for login in DEMO_LOGINS:
        result = sign_in(
            session=db_session,
            email=login.email,
            password=DEMO_PASSWORD,
            client_ip="127.0.0.1",
            browser_nonce="test browser",
            now=NOW,
        )
        assert result.grant_code, login.email
