"""The Dashboard's Propose another time, driven as a browser (or a forger) would."""

from __future__ import annotations

from sqlmodel import select

from portal_app import database, routes
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Clinician
from portal_app.state import wording
from portal_app.state.proposal import ProposalState
from tests.state.conftest import browser_for, run, sent

MAYA = "maya.chen@example.org"
ROBIN = "robin.park@example.org"


def _mayas_request() -> Appointment:
    with database.open_session() as session:
        maya = session.exec(select(Clinician).where(Clinician.slug == "maya-chen")).one()
        return session.exec(
            select(Appointment).where(
                Appointment.clinician_id == maya.id, Appointment.status == AppointmentStatus.REQUESTED
            )
        ).one()


def _free_cell(state) -> tuple[int, int]:
    calendar = state.calendar
    return next(
        (calendar.starts[d][r], calendar.lengths[d][r][0])
        for d, cells in enumerate(calendar.states)
        for r, cell in enumerate(cells)
        if cell == "free"
    )


def test_a_therapist_proposes_a_free_time_of_their_own(app_db):
    request = _mayas_request()
    state = browser_for(MAYA).state(ProposalState, path=routes.DASHBOARD)

    run(state, "open_for", request.id)
    assert state.is_open
    assert state.client == "Sam Taylor"
    if not any(cell == "free" for cells in state.calendar.states for cell in cells):
        run(state, "change_week", 1)
    start, minutes = _free_cell(state)
    run(state, "select_time", start, minutes)
    sent(state, "send", {"message": "Could you do this instead?"})

    assert not state.is_open
    with database.open_session() as session:
        assert session.get(Appointment, request.id).status == AppointmentStatus.DECLINED
        proposal = session.exec(select(Appointment).where(Appointment.replaces_id == request.id)).one()
        assert proposal.status == AppointmentStatus.PROPOSED
        assert int(proposal.starts_at.timestamp()) == start


def test_another_clinicians_request_cannot_be_answered_and_nothing_is_sent(app_db):
    request = _mayas_request()
    state = browser_for(ROBIN).state(ProposalState, path=routes.DASHBOARD)

    run(state, "open_for", request.id)
    sent(state, "send", {"message": "mine now"})

    assert not state.is_open
    with database.open_session() as session:
        assert session.get(Appointment, request.id).status == AppointmentStatus.REQUESTED


def test_sending_without_a_time_says_to_choose_one(app_db):
    state = browser_for(MAYA).state(ProposalState, path=routes.DASHBOARD)
    run(state, "open_for", _mayas_request().id)

    sent(state, "send", {"message": ""})

    assert state.error == wording.CHOOSE_FIRST
