"""The demo practice seed."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from portal_app import models as m
from portal_app import seed
from portal_app.seed import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    NotADemoDatabase,
    reset_demo_practice,
    seed_demo_practice,
)
from portal_app.services.auth import sign_in
from tests.factories import make_practice_setup

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
    m.EmailOutbox,
)


def _counts(session):
    return {table.__name__: session.exec(select(func.count()).select_from(table)).one() for table in TABLES}


def test_seeding_twice_creates_no_duplicates(db_session):
    seed_demo_practice(session=db_session, now=NOW)
    first = _counts(db_session)
    seed_demo_practice(session=db_session, now=datetime(2026, 12, 5, tzinfo=UTC))

    assert _counts(db_session) == first
    assert first["Practice"] == 1
    assert first["Clinician"] == 4
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
    assert len(by_clinician) == 4
    assert len({frozenset(shapes) for shapes in by_clinician.values()}) == 4
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


def _use_the_demo_as_the_tests_do(session: Session) -> None:
    """What a browser-test run leaves behind: a request, a decision, sign-ins, a changed setting."""
    practice = session.exec(select(m.Practice).where(m.Practice.name == seed.PRACTICE_NAME)).one()
    practice.buffer_minutes = 0
    alex = session.exec(select(m.Client).where(m.Client.email == "alex.rivera@example.com")).one()
    robin = session.exec(select(m.Clinician).where(m.Clinician.slug == "robin-park")).one()
    mine = {"practice_id": practice.id}
    service = session.exec(select(m.Service).filter_by(name="Individual Therapy", **mine)).one()
    location = session.exec(select(m.Location).filter_by(name="Downtown Office", **mine)).one()
    starts_at = NOW + timedelta(days=8)
    session.add(
        m.Appointment(
            practice_id=practice.id,
            clinician_id=robin.id,
            client_id=alex.id,
            service_id=service.id,
            location_id=location.id,
            forum=m.Forum.IN_PERSON,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
            status=m.AppointmentStatus.REQUESTED,
        )
    )
    for _ in range(5):
        sign_in(
            session=session,
            email=alex.email,
            password="wrong",
            client_ip="10.0.0.9",
            browser_nonce="test-browser",
            now=NOW,
        )
    session.commit()


def test_reset_puts_the_demo_back_as_seeded(engine):
    with Session(engine) as session:
        seeded_buffer = seed_demo_practice(session=session, now=NOW).buffer_minutes
        seeded = _counts(session)
        _use_the_demo_as_the_tests_do(session)
        assert _counts(session) != seeded

        reset_demo_practice(session=session, now=NOW)

    with Session(engine) as session:
        assert _counts(session) == seeded
        assert session.exec(select(m.Practice)).one().buffer_minutes == seeded_buffer
        assert session.exec(select(m.LoginAttempt)).all() == []
        alex = sign_in(
            browser_nonce="test-browser",
            session=session,
            email="alex.rivera@example.com",
            password=DEMO_PASSWORD,
            client_ip="1",
            now=NOW,
        )
        assert alex.grant_code


@pytest.mark.postgres
def test_reset_on_postgresql_deletes_children_before_parents(postgres_engine):
    with Session(postgres_engine) as session:
        seed_demo_practice(session=session, now=NOW)
        seeded = _counts(session)
        _use_the_demo_as_the_tests_do(session)

        reset_demo_practice(session=session, now=NOW)

    with Session(postgres_engine) as session:
        assert _counts(session) == seeded


def test_reset_seeds_an_empty_database(engine):
    with Session(engine) as session:
        reset_demo_practice(session=session, now=NOW)
        assert _counts(session)["Clinician"] == 4


def test_reset_refuses_a_database_with_another_practice_and_changes_nothing(engine):
    with Session(engine) as session:
        seed_demo_practice(session=session, now=NOW)
        make_practice_setup(session, slug="lee", client_email="real.client@example.net", name="Real Practice")
        before = _counts(session)

        with pytest.raises(NotADemoDatabase, match="Real Practice"):
            reset_demo_practice(session=session, now=NOW)
        session.rollback()

        assert _counts(session) == before


def test_reset_refuses_a_demo_practice_with_logins_of_its_own(engine):
    with Session(engine) as session:
        practice = seed_demo_practice(session=session, now=NOW)
        session.add(
            m.User(
                practice_id=practice.id,
                email="someone.real@example.net",
                password_hash="x",
                role=m.Role.CLIENT,
                display_name="Someone Real",
            )
        )
        session.commit()

        with pytest.raises(NotADemoDatabase, match="not demo logins"):
            reset_demo_practice(session=session, now=NOW)


def test_forced_reset_leaves_the_other_practice_alone(engine):
    with Session(engine) as session:
        seed_demo_practice(session=session, now=NOW)
        seeded = _counts(session)
        other = make_practice_setup(session, slug="lee", client_email="real.client@example.net", name="Real")
        kept = other.appointment(session, starts_at=NOW + timedelta(days=3)).id
        with_other = _counts(session)
        _use_the_demo_as_the_tests_do(session)

        reset_demo_practice(session=session, now=NOW, force=True)

        assert _counts(session) == with_other
        assert with_other["Practice"] == seeded["Practice"] + 1
        assert session.get(m.Appointment, kept).practice_id == other.practice.id
        assert session.exec(select(m.User).where(m.User.email == "real.client@example.net")).one()


def test_a_reset_that_fails_part_way_changes_nothing(engine, monkeypatch):
    with Session(engine) as session:
        seed_demo_practice(session=session, now=NOW)
        _use_the_demo_as_the_tests_do(session)
        before = _counts(session)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(seed, "_seed_appointments", broken)
    with Session(engine) as session, pytest.raises(RuntimeError):
        reset_demo_practice(session=session, now=NOW)

    with Session(engine) as session:
        assert _counts(session) == before


def test_the_command_refuses_without_force_and_says_so(engine, capsys):
    from portal_app import database

    database.use_engine(engine)
    try:
        with Session(engine) as session:
            make_practice_setup(session, slug="lee", client_email="real.client@example.net", name="Real")

        assert seed.main(["--reset-demo"]) == 2
        assert "Not resetting" in capsys.readouterr().out
        assert seed.main(["--reset-demo", "--force"]) == 0
        assert "Demo practice restored" in capsys.readouterr().out
    finally:
        database.use_engine(None)
