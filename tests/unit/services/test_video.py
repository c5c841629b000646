"""Join Video: open from the practice's minutes before the start until the end, telehealth only."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.models import Appointment, Clinician, Practice
from portal_app.services.video import joinable_now, video_access
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import at, make_bookable

START = at(1, time(10))
ROOM = "https://video.example.org/room-7"


@pytest.fixture
def session_setup(db_session):
    setup = make_bookable(db_session)
    clinician = db_session.get(Clinician, setup.clinician_id)
    clinician.video_link = ROOM
    practice = db_session.get(Practice, setup.practice_id)
    practice.video_join_minutes_before = 15
    db_session.add_all([clinician, practice])
    db_session.commit()
    return setup


def _access(db_session, setup, now, **overrides):
    values = {"status": AppointmentStatus.CONFIRMED, "forum": Forum.TELEHEALTH} | overrides
    appointment_id = insert_appointment(db_session, setup, START, **values)
    return video_access(session=db_session, appointment=db_session.get(Appointment, appointment_id), now=now)


@pytest.mark.parametrize(
    ("minutes_from_start", "link"),
    [(-16, ""), (-15, ROOM), (0, ROOM), (49, ROOM)],
)
def test_the_link_appears_the_practices_minutes_before_the_start(
    db_session, session_setup, minutes_from_start, link
):
    access = _access(db_session, session_setup, START + timedelta(minutes=minutes_from_start))

    assert access.link == link
    assert access.opens_at == START - timedelta(minutes=15)


def test_nothing_once_it_has_ended(db_session, session_setup):
    assert _access(db_session, session_setup, START + timedelta(minutes=50)) is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"forum": Forum.IN_PERSON},
        {"status": AppointmentStatus.REQUESTED},
        {"status": AppointmentStatus.CANCELLED},
    ],
)
def test_not_for_in_person_sessions_or_unconfirmed_ones(db_session, session_setup, overrides):
    assert _access(db_session, session_setup, START, **overrides) is None


def test_not_without_a_video_room(db_session, session_setup):
    clinician = db_session.get(Clinician, session_setup.clinician_id)
    clinician.video_link = ""
    db_session.add(clinician)
    db_session.commit()

    assert _access(db_session, session_setup, START) is None


def test_the_appointments_tab_lists_only_sessions_open_now(db_session, session_setup):
    open_one = insert_appointment(
        db_session, session_setup, START, status=AppointmentStatus.CONFIRMED, forum=Forum.TELEHEALTH
    )
    insert_appointment(
        db_session,
        session_setup,
        START + timedelta(hours=3),
        status=AppointmentStatus.CONFIRMED,
        forum=Forum.TELEHEALTH,
    )

    found = joinable_now(session=db_session, client_id=session_setup.client_ids[0], now=START)

    assert [(access.appointment_id, access.link) for access in found] == [(open_one, ROOM)]
