"""What the Calendar tab reads: one client's sessions, and the practice's booking window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.services.client_calendar import client_calendar, next_session_start
from tests.factories import make_appointment, make_client, make_practice_setup

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)


def test_only_the_clients_own_held_or_attended_sessions_are_read(db_session):
    setup = make_practice_setup(db_session, minimum_notice_hours=24, booking_horizon_days=30)
    other = make_client(db_session, setup.practice, email="other@example.com")
    start = NOW + timedelta(days=2)
    mine = {
        status: setup.appointment(db_session, starts_at=start + timedelta(hours=index), status=status).id
        for index, status in enumerate(AppointmentStatus)
    }
    setup.appointment(db_session, starts_at=start, status=AppointmentStatus.REQUESTED)
    make_appointment(
        db_session,
        clinician=setup.clinician,
        client=other,
        service=setup.service,
        location=setup.location,
        starts_at=start + timedelta(hours=9),
    )

    found = client_calendar(
        session=db_session,
        client_id=setup.client.id,
        practice_id=setup.practice.id,
        start=NOW,
        end=NOW + timedelta(days=7),
        now=NOW,
    )

    shown = {mark.appointment_id for mark in found.sessions}
    expected = {
        mine[status]
        for status in (
            AppointmentStatus.REQUESTED,
            AppointmentStatus.PROPOSED,
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.COMPLETED,
            AppointmentStatus.NO_SHOW,
        )
    }
    assert expected <= shown
    assert len(shown) == len(expected) + 1
    assert found.window is not None
    assert found.window.opens == NOW + timedelta(hours=24)
    assert NOW + timedelta(days=30) < found.window.closes <= NOW + timedelta(days=32)
    assert found.window.lengths == (50,)
    assert (
        next_session_start(
            session=db_session, client_id=setup.client.id, practice_id=setup.practice.id, now=NOW
        )
        == start
    )


def test_no_booking_window_when_no_provider_takes_online_requests(db_session):
    setup = make_practice_setup(db_session)
    setup.clinician.self_scheduling = False
    db_session.add(setup.clinician)
    db_session.commit()
    found = client_calendar(
        session=db_session,
        client_id=setup.client.id,
        practice_id=setup.practice.id,
        start=NOW,
        end=NOW + timedelta(days=7),
        now=NOW,
    )
    assert found.window is None
