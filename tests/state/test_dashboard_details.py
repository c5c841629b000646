"""The staff details dialog: who the appointment is with, and what staff may do with it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from portal_app import database
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Client, EmailOutbox
from portal_app.state.dashboard import DashboardState
from tests.state.conftest import browser_for, run

MAYA = "maya.chen@example.org"
ALEX = "alex.rivera@example.com"


def _alex_confirmed_with_maya() -> int:
    with database.open_session() as session:
        alex = session.exec(select(Client).where(Client.email == ALEX)).one()
        return session.exec(
            select(Appointment.id).where(
                Appointment.client_id == alex.id,
                Appointment.status == AppointmentStatus.CONFIRMED,
                Appointment.starts_at > datetime.now(UTC),
            )
        ).one()


def test_the_dialog_names_the_client_and_how_to_reach_them(app_db):
    appointment_id = _alex_confirmed_with_maya()
    state = browser_for(MAYA).state(DashboardState)

    run(state, "open_details", appointment_id)

    assert state.detail.appointment.client == "Alex Rivera"
    assert state.detail.email == ALEX
    assert state.detail.phone_href.startswith("tel:617555")
    assert state.detail.can_cancel
    assert not state.detail.can_record
    assert [line.change for line in state.detail_trail][-1].endswith("Confirmed")


def test_a_therapist_cancels_after_confirming_and_the_client_gets_the_message(app_db):
    appointment_id = _alex_confirmed_with_maya()
    state = browser_for(MAYA).state(DashboardState)
    run(state, "open_details", appointment_id)

    run(state, "ask_to_cancel", True)
    assert state.confirming_cancel
    run(state, "cancel", {"message": "I have to close the office that day, sorry."})

    assert state.flash == "Appointment cancelled."
    assert not state.detail_open
    assert not state.confirming_cancel
    with database.open_session() as session:
        assert session.get(Appointment, appointment_id).status == AppointmentStatus.CANCELLED
        email = session.exec(
            select(EmailOutbox).where(
                EmailOutbox.appointment_id == appointment_id, EmailOutbox.kind == "cancelled"
            )
        ).one()
        assert email.to_address == ALEX
        assert "I have to close the office that day, sorry." in email.body_text


def test_attendance_cannot_be_recorded_for_a_session_ahead(app_db):
    appointment_id = _alex_confirmed_with_maya()
    state = browser_for(MAYA).state(DashboardState)
    run(state, "open_details", appointment_id)

    run(state, "record_attendance", False)

    assert "has not started yet" in state.flash_error
    with database.open_session() as session:
        assert session.get(Appointment, appointment_id).status == AppointmentStatus.CONFIRMED


def test_a_page_opened_again_starts_with_the_dialog_closed(app_db):
    browser = browser_for(MAYA)
    state = browser.state(DashboardState)
    run(state, "open_details", _alex_confirmed_with_maya())

    browser.connect(state)  # the page reloaded: a new connection
    run(state, "page_opened")

    assert not state.detail_open
