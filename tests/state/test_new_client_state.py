"""The public new-client wizard, its link page and the signed-out booking link, as a browser calls them."""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from portal_app import database
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, EmailOutbox, PaymentCard, Practice
from portal_app.state.direct_booking import DirectBookingState
from portal_app.state.new_client import NewClientForm, NewClientState
from portal_app.state.request_link import RequestLinkState
from tests.security.conftest import http
from tests.state.conftest import Browser, refused_as_bad_input, run

CARD = "4242424242424242"


def _visitor_at_details(requested_for: str = "child") -> NewClientState:
    """A signed-out visitor who chose Robin Park's Initial Consultation, a free time, and whom it is for."""
    state = Browser().state(NewClientState, path="/new-client?with=robin-park")
    run(state, "load")
    assert [option.label for option in state.services] == ["Initial Consultation"]
    run(state, "choose_service", state.services[0].value)
    run(state, "change_week", 1)
    calendar = state.calendar
    day, row = next(
        (d, r) for d, states in enumerate(calendar.states) for r, cell in enumerate(states) if cell == "free"
    )
    run(state, "select_time", calendar.starts[day][row], calendar.lengths[day][row][0])
    run(state, "next_step")
    assert state.step == "who", state.error
    run(state, "choose_for", requested_for)
    run(state, "to_details")
    assert state.step == "details"
    return state


def _form(**fields) -> NewClientForm:
    values = {
        "requester_name": "Dana Quill",
        "requester_email": "dana.quill@example.net",
        "patient_name": "Milo Quill",
    }
    return NewClientForm(**(values | fields))


def _held() -> list[Appointment]:
    with database.open_session() as session:
        return list(
            session.exec(select(Appointment).where(Appointment.status == AppointmentStatus.UNCONFIRMED)).all()
        )


def _require_card() -> None:
    with database.open_session(for_writing=True) as session:
        practice = session.exec(select(Practice)).one()
        practice.card_required_for_new_clients = True
        session.add(practice)
        session.commit()


def test_a_visitor_requests_for_their_child_and_is_asked_to_confirm_their_email(app_db):
    state = _visitor_at_details()

    run(state, "submit", _form())

    assert state.step == "sent"
    assert state.sent_to == "dana.quill@example.net"
    assert state.held_until
    (held,) = _held()
    assert held.new_client
    assert held.requested_for == "child"
    run(state, "submit", _form())  # a double click
    assert len(_held()) == 1


def test_the_robot_that_fills_the_hidden_field_sees_the_same_screen_and_makes_nothing(app_db):
    state = _visitor_at_details()

    run(state, "submit", _form(website="http://spam.example"))

    assert state.step == "sent"
    assert _held() == []


def test_a_declined_card_is_said_beside_the_card_and_nothing_is_made(app_db):
    _require_card()
    state = _visitor_at_details()

    run(state, "submit", _form(card_number="4000 0000 0000 0002", card_expiry="12/30", card_cvc="123"))

    assert state.step == "details"
    assert state.field_errors["card"] == "This card was declined. Please use another card."
    assert _held() == []


def test_the_card_number_is_kept_nowhere_but_the_gateway_answer(app_db, caplog):
    _require_card()
    state = _visitor_at_details()

    with caplog.at_level(logging.DEBUG):
        run(state, "submit", _form(card_number=CARD, card_expiry="12/30", card_cvc="987"))

    assert state.step == "sent"
    # Not in the state the browser gets, not in the logs, not in any email, not in the database.
    assert CARD not in json.dumps(state.dict(), default=str)
    assert CARD not in caplog.text
    with database.open_session() as session:
        (card,) = session.exec(select(PaymentCard)).all()
        assert (card.brand, card.last4) == ("Visa", "4242")
        bodies = " ".join(m.body_text + m.body_html for m in session.exec(select(EmailOutbox)).all())
        assert CARD not in bodies
        dump = "\n".join(session.connection().connection.driver_connection.iterdump())
    assert CARD not in dump
    assert not re.search(r"[',(]987[',)]", dump)


def test_fields_refused_by_the_server_are_said_beside_them(app_db):
    state = _visitor_at_details("someone_else")

    run(state, "submit", _form(patient_email="nope"))

    assert state.field_errors == {"patient_email": "Please enter an email address like name@example.com."}
    assert _held() == []


def test_tampered_choices_are_refused(app_db):
    state = Browser().state(NewClientState, path="/new-client?with=robin-park")
    run(state, "load")
    run(state, "select_time", 1_900_000_000, 60)
    assert state.selected_start == 0
    assert state.error
    assert refused_as_bad_input(run(state, "choose_for", "everyone"))
    run(state, "submit", _form())
    assert state.step == "choose"
    assert _held() == []


def test_the_emailed_link_confirms_once_and_then_shows_the_request(app_db):
    _visitor_at_details()
    visitor = _visitor_at_details()
    run(visitor, "submit", _form())
    with database.open_session() as session:
        message = session.exec(select(EmailOutbox).where(EmailOutbox.kind == "confirm_request")).one()
    token = re.search(r"/request\?token=([\w-]+)", message.body_text).group(1)

    page = Browser().state(RequestLinkState, path=f"/request?token={token}")
    run(page, "open_link")
    assert page.title == "Your request was sent"
    assert page.status == "Sent — waiting for the provider's answer"
    assert page.cancellable

    again = Browser().state(RequestLinkState, path=f"/request?token={token}")
    run(again, "open_link")
    assert again.title == "This link no longer works"
    assert not again.cancellable


@pytest.mark.parametrize("token", ["", "x" * 500, "not-a-token"])
def test_a_bad_link_says_it_no_longer_works(app_db, token):
    page = Browser().state(RequestLinkState, path=f"/request?token={token}")
    run(page, "open_link")
    assert page.title == "This link no longer works"
    assert page.status == ""


def test_a_clinicians_link_offers_a_visitor_both_ways_in(app_db):
    page = Browser().state(DirectBookingState, path="/book/robin-park")

    assert run(page, "follow_link") is None

    assert page.choosing
    assert page.new_clients_welcome
    assert page.new_client_url == "/new-client?with=robin-park"
    assert page.sign_in_url == "/login?next=%2Fbook%2Frobin-park"


def test_add_to_calendar_gives_the_tentative_request_by_its_link_and_nothing_without_it(app_db):
    state = _visitor_at_details()
    run(state, "submit", _form())

    response = http("GET", urlsplit(state.calendar_url).path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "STATUS:TENTATIVE" in response.text
    assert http("GET", "/api/requests/not-a-token.ics").status_code == 404
