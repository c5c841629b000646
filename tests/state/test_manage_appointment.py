"""Manage Appointment: the wizard opened on the client's own request or confirmed appointment."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from portal_app import database
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Client, EmailOutbox
from portal_app.state import wording
from portal_app.state.manage_appointment import ManageAppointmentState
from tests.state.conftest import browser_for, run

ALEX = "alex.rivera@example.com"
SAM = "sam.taylor@example.com"


def _upcoming(email: str, status: AppointmentStatus) -> Appointment:
    with database.open_session() as session:
        client = session.exec(select(Client).where(Client.email == email)).one()
        return session.exec(
            select(Appointment).where(
                Appointment.client_id == client.id,
                Appointment.status == status,
                Appointment.starts_at > datetime.now(UTC),
            )
        ).first()


def _another_free_time(state) -> tuple[int, int]:
    calendar = state.calendar
    return next(
        (calendar.starts[d][r], calendar.lengths[d][r][0])
        for d, cells in enumerate(calendar.states)
        for r, cell in enumerate(cells)
        if cell == "free" and calendar.starts[d][r] != state.selected_start
    )


def test_a_pending_request_opens_prefilled_on_its_own_time_and_moves(app_db):
    request = _upcoming(ALEX, AppointmentStatus.REQUESTED)
    state = browser_for(ALEX).state(ManageAppointmentState, path="/appointments")

    run(state, "open_to_manage", request.id)

    assert state.is_open
    assert state.purpose == "change"
    assert [option.value for option in state.providers] == [str(request.clinician_id)]
    assert state.service_id == str(request.service_id)
    assert state.selected_start == int(request.starts_at.timestamp())

    start, minutes = _another_free_time(state)
    run(state, "select_time", start, minutes)
    run(state, "save")
    assert state.step == "review", state.error
    run(state, "submit_change")

    assert state.step == "done"
    assert state.notice == "Request changed."
    with database.open_session() as session:
        moved = session.get(Appointment, request.id)
        assert int(moved.starts_at.timestamp()) == start
        assert moved.status == AppointmentStatus.REQUESTED
        assert session.exec(select(EmailOutbox).where(EmailOutbox.kind == "request_changed")).one()


def test_a_confirmed_appointment_gets_a_request_for_a_new_time_and_stays(app_db):
    confirmed = _upcoming(ALEX, AppointmentStatus.CONFIRMED)
    state = browser_for(ALEX).state(ManageAppointmentState, path="/appointments")

    run(state, "open_to_manage", confirmed.id)
    assert state.purpose == "reschedule"
    start, minutes = _another_free_time(state)
    run(state, "select_time", start, minutes)
    run(state, "save")
    run(state, "submit_change")

    assert state.step == "done"
    assert state.notice.startswith("New time requested.")
    with database.open_session() as session:
        assert session.get(Appointment, confirmed.id).status == AppointmentStatus.CONFIRMED
        replacement = session.exec(select(Appointment).where(Appointment.replaces_id == confirmed.id)).one()
        assert replacement.status == AppointmentStatus.REQUESTED

    # A second request for the same appointment is not offered while the first waits.
    again = browser_for(ALEX).state(ManageAppointmentState, path="/appointments")
    run(again, "open_to_manage", confirmed.id)
    assert again.notice == wording.NOT_MANAGEABLE
    assert again.providers == []


def test_someone_elses_appointment_opens_nothing(app_db):
    sams = _upcoming(SAM, AppointmentStatus.REQUESTED)
    state = browser_for(ALEX).state(ManageAppointmentState, path="/appointments")

    run(state, "open_to_manage", sams.id)
    run(state, "submit_change")

    assert state.providers == []
    assert state.notice == wording.NOT_MANAGEABLE
    assert state.step == "choose"
