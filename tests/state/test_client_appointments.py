"""The client's Appointments tab: what each section shows and how a change is confirmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from portal_app import database
from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.models import Appointment, AuditEvent, Client, Clinician, EmailOutbox, Practice
from portal_app.services.status_moves import move_status
from portal_app.state.appointments import ClientAppointmentsState
from tests.state.conftest import browser_for, run

ALEX = "alex.rivera@example.com"


def _alex_upcoming(status: AppointmentStatus) -> Appointment:
    with database.open_session() as session:
        client = session.exec(select(Client).where(Client.email == ALEX)).one()
        return session.exec(
            select(Appointment)
            .where(Appointment.client_id == client.id, Appointment.status == status)
            .where(Appointment.starts_at > datetime.now(UTC))
            .order_by(Appointment.starts_at)
        ).first()


def _decline(appointment_id: int, message: str) -> None:
    with database.open_session(for_writing=True) as session:
        appointment = session.get(Appointment, appointment_id)
        clinician = session.get(Clinician, appointment.clinician_id)
        move_status(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.DECLINED,
            actor_user_id=clinician.user_id,
            now=datetime.now(UTC),
            note=message,
        )
        appointment.clinician_message = message
        session.add(appointment)
        session.commit()


def test_a_declined_request_stays_under_requested_with_the_message_until_its_time(app_db):
    request = _alex_upcoming(AppointmentStatus.REQUESTED)
    _decline(request.id, "I'm away that week — could you try the week after?")
    state = browser_for(ALEX).state(ClientAppointmentsState)

    run(state, "load")

    declined = [row for row in state.requested if row.id == request.id]
    assert [row.status_label for row in declined] == ["Declined"]
    assert declined[0].message == "I'm away that week — could you try the week after?"
    assert request.id not in {row.id for row in state.past}

    run(state, "open_details", request.id)
    assert state.detail.calendar_url == ""  # nothing to put in a calendar
    assert not state.detail.can_withdraw


def test_a_pending_request_offers_its_calendar_file_and_a_confirmed_withdraw(app_db):
    request = _alex_upcoming(AppointmentStatus.REQUESTED)
    state = browser_for(ALEX).state(ClientAppointmentsState)
    run(state, "open_details", request.id)
    assert state.detail.calendar_url.endswith(f"/api/appointments/{request.id}.ics")

    run(state, "ask_to_confirm", True)
    assert state.confirming
    run(state, "withdraw", request.id, {"message": "  Found a time closer to home.  "})

    assert not state.confirming
    assert not state.detail_open
    assert state.notice == "Request withdrawn."
    with database.open_session() as session:
        assert session.get(Appointment, request.id).status == AppointmentStatus.WITHDRAWN
        note = session.exec(select(AuditEvent.note).where(AuditEvent.appointment_id == request.id)).all()
        assert "Found a time closer to home." in note
        email = session.exec(
            select(EmailOutbox).where(
                EmailOutbox.appointment_id == request.id, EmailOutbox.kind == "withdrawn"
            )
        ).one()
        assert "Reason given:\nFound a time closer to home." in email.body_text


def test_inside_the_window_the_client_is_told_why_and_given_the_number_to_call(app_db):
    confirmed = _alex_upcoming(AppointmentStatus.CONFIRMED)
    with database.open_session(for_writing=True) as session:
        practice = session.get(Practice, confirmed.practice_id)
        practice.cancellation_window_hours = 24 * 14
        practice.phone = "(617) 555-0142"
        session.add(practice)
        session.commit()
    state = browser_for(ALEX).state(ClientAppointmentsState)

    run(state, "open_details", confirmed.id)
    run(state, "ask_to_confirm", True)

    assert not state.detail.can_cancel
    assert not state.confirming
    assert state.detail.cancel_note.startswith(f"Appointments less than {24 * 14} hours away")
    assert state.detail.phone == "(617) 555-0142"
    assert state.detail.phone_href == "tel:6175550142"


def test_with_online_cancellation_off_the_client_is_told_so(app_db):
    confirmed = _alex_upcoming(AppointmentStatus.CONFIRMED)
    with database.open_session(for_writing=True) as session:
        practice = session.get(Practice, confirmed.practice_id)
        practice.online_cancellation = False
        session.add(practice)
        session.commit()
    state = browser_for(ALEX).state(ClientAppointmentsState)

    run(state, "open_details", confirmed.id)

    assert state.detail.cancel_note.startswith("This practice does not take cancellations online.")


def test_a_page_opened_again_starts_with_the_dialog_closed(app_db):
    request = _alex_upcoming(AppointmentStatus.REQUESTED)
    browser = browser_for(ALEX)
    state = browser.state(ClientAppointmentsState)
    run(state, "open_details", request.id)
    run(state, "ask_to_confirm", True)

    browser.connect(state)  # the page reloaded: a new connection
    run(state, "page_opened")

    assert not state.detail_open
    assert not state.confirming


def test_a_cancellation_reason_reaches_the_clinician(app_db):
    confirmed = _alex_upcoming(AppointmentStatus.CONFIRMED)
    assert confirmed.starts_at - datetime.now(UTC) > timedelta(hours=24)
    state = browser_for(ALEX).state(ClientAppointmentsState)
    run(state, "open_details", confirmed.id)

    run(state, "cancel", confirmed.id, {"message": "Moving house that day."})

    assert state.notice == "Appointment cancelled."
    with database.open_session() as session:
        notice = session.exec(
            select(EmailOutbox).where(
                EmailOutbox.appointment_id == confirmed.id, EmailOutbox.kind == "cancellation_notice"
            )
        ).one()
        assert "Moving house that day." in notice.body_text


def _alex_telehealth(starts_in: timedelta) -> int:
    with database.open_session(for_writing=True) as session:
        template = session.get(Appointment, _alex_upcoming(AppointmentStatus.CONFIRMED).id)
        starts_at = datetime.now(UTC) + starts_in
        appointment = Appointment(
            practice_id=template.practice_id,
            clinician_id=template.clinician_id,
            client_id=template.client_id,
            service_id=template.service_id,
            location_id=template.location_id,
            forum=Forum.TELEHEALTH,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
            status=AppointmentStatus.CONFIRMED,
        )
        session.add(appointment)
        session.commit()
        return appointment.id


def test_join_video_is_offered_while_a_telehealth_session_is_open(app_db):
    appointment_id = _alex_telehealth(timedelta(minutes=5))
    state = browser_for(ALEX).state(ClientAppointmentsState)

    run(state, "load")
    run(state, "open_details", appointment_id)

    assert [video.clinician for video in state.join_now] == ["Dr. Maya Chen"]
    assert state.join_now[0].link.startswith("https://")
    assert state.detail.video_link == state.join_now[0].link
    assert appointment_id in {row.id for row in state.upcoming}


def test_before_it_opens_the_dialog_says_when_join_video_appears(app_db):
    appointment_id = _alex_telehealth(timedelta(days=2))
    state = browser_for(ALEX).state(ClientAppointmentsState)

    run(state, "load")
    run(state, "open_details", appointment_id)

    assert state.join_now == []
    assert state.detail.video_link == ""
    assert state.detail.video_note.startswith("Join Video appears here at ")


def test_a_connection_coming_back_keeps_an_open_dialog(app_db):
    request = _alex_upcoming(AppointmentStatus.REQUESTED)
    state = browser_for(ALEX).state(ClientAppointmentsState)
    run(state, "open_details", request.id)

    run(state, "load")  # what a reconnect sends again

    assert state.detail_open


def test_a_dialog_opened_on_this_page_stays_open_when_its_mount_arrives_late(app_db):
    request = _alex_upcoming(AppointmentStatus.REQUESTED)
    state = browser_for(ALEX).state(ClientAppointmentsState)
    run(state, "open_details", request.id)

    run(state, "page_opened")  # same connection: the person opened it after the page appeared

    assert state.detail_open
