"""A new client's request from the public page: held, confirmed by email, throttled, accepted."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import time, timedelta

import pytest
from sqlmodel import Session, select

from portal_app import models as m
from portal_app.domain.email_messages import MessageKind
from portal_app.domain.payment_cards import CardEntry, CardProblem
from portal_app.domain.vocabulary import AppointmentStatus, Forum, RequestedFor
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.clients import client_directory
from portal_app.services.new_client_requests import (
    HOLD,
    MAX_REQUESTS_PER_ADDRESS,
    MAX_REQUESTS_PER_EMAIL,
    Contact,
    NewClientOutcome,
    NewClientRequest,
    admit_public_request,
    request_as_new_client,
)
from portal_app.services.outcome import Outcome
from portal_app.services.payments import TEST_DECLINED, CardRefused, SavedCard, TestGateway
from portal_app.services.request_decisions import accept_request, decline_request
from portal_app.services.request_expiry import expire_overdue
from portal_app.services.request_links import LinkOutcome, cancel_by_link, confirm_request, request_by_link
from tests.unit.scheduling_setup import NOW, Bookable, at, make_bookable

LINK_BASE = "https://portal.test"
TOKEN = re.compile(r"/request\?token=([\w-]+)")


@pytest.fixture
def setup(db_session: Session) -> Bookable:
    bookable = make_bookable(db_session)
    service = db_session.get(m.Service, bookable.service_id)
    service.new_clients_allowed = True
    db_session.add(service)
    db_session.commit()
    return bookable


def _request(setup: Bookable, *, day: int = 2, clock: time = time(10), **overrides) -> NewClientRequest:
    starts_at = at(day, clock)
    values = {
        "clinician_id": setup.clinician_id,
        "service_id": setup.service_id,
        "location_id": setup.location_id,
        "forum": Forum.IN_PERSON,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=50),
        "requested_for": RequestedFor.SELF,
        "requester": Contact("Jordan Lee", "jordan@example.net", "617-555-0101"),
        "message": "Evenings are hard for me.",
        "request_key": f"key-{day}-{clock.hour}-{overrides.get('requested_for', 'self')}",
    }
    return NewClientRequest(**(values | overrides))


def _make(session: Session, request: NewClientRequest, *, card: SavedCard | None = None):
    return request_as_new_client(session=session, request=request, card=card, link_base=LINK_BASE, now=NOW)


def _mail(session: Session, kind: MessageKind) -> list[m.EmailOutbox]:
    return list(session.exec(select(m.EmailOutbox).where(m.EmailOutbox.kind == kind.value)).all())


def _confirm_first(session: Session) -> None:
    """Open the link of the first "confirm your request" email, as the requester would."""
    confirm_request(
        session=session,
        token=_token(_mail(session, MessageKind.CONFIRM_REQUEST)[0]),
        link_base=LINK_BASE,
        now=NOW,
    )


def _token(message: m.EmailOutbox) -> str:
    found = TOKEN.search(message.body_text)
    assert found, message.body_text
    return found.group(1)


def test_a_request_holds_the_time_and_asks_the_requester_to_confirm_their_email(db_session, setup):
    result = _make(db_session, _request(setup))

    assert result.outcome == NewClientOutcome.CHECK_EMAIL
    assert result.held_until == NOW + HOLD
    appointment = db_session.get(m.Appointment, result.appointment_id)
    assert appointment.status == AppointmentStatus.UNCONFIRMED
    assert appointment.new_client
    (confirm,) = _mail(db_session, MessageKind.CONFIRM_REQUEST)
    assert confirm.to_address == "jordan@example.net"
    assert "holding the time for you until" in confirm.body_text
    # The therapist hears nothing yet, and the time is held against everyone else.
    assert _mail(db_session, MessageKind.NEW_REQUEST) == []
    other = request_appointment(
        session=db_session,
        viewer=setup.client_viewer(),
        request_key="existing-client-key",
        now=NOW,
        **setup.request_args(at(2, time(10))),
    )
    assert other.outcome == Outcome.TAKEN


def test_confirming_the_email_sends_the_request_once(db_session, setup):
    _make(db_session, _request(setup))
    token = _token(_mail(db_session, MessageKind.CONFIRM_REQUEST)[0])

    confirmed = confirm_request(
        session=db_session, token=token, link_base=LINK_BASE, now=NOW + timedelta(minutes=5)
    )

    assert confirmed.outcome == LinkOutcome.CONFIRMED
    assert confirmed.manage_token
    assert confirmed.details.status == AppointmentStatus.REQUESTED
    (notice,) = _mail(db_session, MessageKind.NEW_REQUEST)
    assert "Jordan Lee requested an appointment" in notice.body_text
    (receipt,) = _mail(db_session, MessageKind.REQUEST_RECEIVED)
    assert _token(receipt) == confirmed.manage_token
    again = confirm_request(
        session=db_session, token=token, link_base=LINK_BASE, now=NOW + timedelta(minutes=6)
    )
    assert again.outcome == LinkOutcome.DEAD
    assert len(_mail(db_session, MessageKind.NEW_REQUEST)) == 1


def test_a_hold_not_confirmed_in_time_is_released_and_its_link_dies(db_session, setup):
    _make(db_session, _request(setup))
    token = _token(_mail(db_session, MessageKind.CONFIRM_REQUEST)[0])

    expired = expire_overdue(session=db_session, now=NOW + HOLD)

    assert len(expired) == 1
    assert db_session.get(m.Appointment, expired[0]).status == AppointmentStatus.EXPIRED
    late = confirm_request(session=db_session, token=token, link_base=LINK_BASE, now=NOW + HOLD)
    assert late.outcome == LinkOutcome.DEAD
    # Nobody is emailed about a hold that lapsed: the therapist never saw it.
    assert _mail(db_session, MessageKind.EXPIRED_NOTICE) == []


def test_a_child_is_the_client_reached_through_their_guardian_who_attends(db_session, setup):
    request = _request(
        setup,
        requested_for=RequestedFor.CHILD,
        patient=Contact("Riley Lee"),
    )
    result = _make(db_session, request)

    appointment = db_session.get(m.Appointment, result.appointment_id)
    client = db_session.get(m.Client, appointment.client_id)
    assert (client.full_name, client.email, client.user_id) == ("Riley Lee", "jordan@example.net", None)
    (guardian,) = db_session.exec(select(m.Attendee).where(m.Attendee.appointment_id == appointment.id)).all()
    assert (guardian.full_name, guardian.relationship, guardian.email) == (
        "Jordan Lee",
        "Parent or guardian",
        "jordan@example.net",
    )


def test_a_prospective_client_is_not_listed_among_the_practices_clients(db_session, setup):
    _make(db_session, _request(setup))

    directory = client_directory(
        session=db_session,
        practice_id=setup.practice_id,
        clinician_id=None,
        search="jordan",
        limit=25,
        now=NOW,
        zone="America/New_York",
    )

    assert directory.clients == []


def test_a_second_request_from_the_same_email_finds_the_same_prospective_client(db_session, setup):
    first = _make(db_session, _request(setup, day=2))
    second = _make(db_session, _request(setup, day=3, requester=Contact("jordan lee", "JORDAN@example.net")))

    clients = {db_session.get(m.Appointment, r.appointment_id).client_id for r in (first, second)}
    assert len(clients) == 1


def test_the_same_answer_for_a_known_email_an_unknown_one_and_a_robot(db_session, setup):
    known = db_session.get(m.Client, setup.client_ids[0])
    answers = [
        _make(db_session, _request(setup, day=2, requester=Contact("Someone", known.email))),
        _make(db_session, _request(setup, day=3)),
        _make(db_session, _request(setup, day=4, honeypot="http://spam.example")),
    ]

    assert {(a.outcome, a.held_until) for a in answers} == {(NewClientOutcome.CHECK_EMAIL, NOW + HOLD)}
    # The robot's request made nothing at all.
    assert answers[2].appointment_id is None
    assert len(_mail(db_session, MessageKind.CONFIRM_REQUEST)) == 2


def test_requests_are_throttled_per_email_and_per_address(db_session):
    allowed = [
        admit_public_request(session=db_session, email="a@example.net", client_ip="203.0.113.5", now=NOW)
        for _ in range(MAX_REQUESTS_PER_EMAIL + 1)
    ]
    assert allowed == [True] * MAX_REQUESTS_PER_EMAIL + [False]
    by_address = [
        admit_public_request(session=db_session, email=f"p{i}@example.net", client_ip="198.51.100.7", now=NOW)
        for i in range(MAX_REQUESTS_PER_ADDRESS + 1)
    ]
    assert by_address[-1] is False
    assert all(by_address[:-1])
    # An hour later the email may ask again.
    assert admit_public_request(
        session=db_session,
        email="a@example.net",
        client_ip="203.0.113.9",
        now=NOW + timedelta(hours=1, seconds=1),
    )


def test_a_service_closed_to_new_clients_and_a_practice_closed_to_them_are_refused(db_session, setup):
    service = db_session.get(m.Service, setup.service_id)
    service.new_clients_allowed = False
    db_session.add(service)
    db_session.commit()
    assert _make(db_session, _request(setup)).outcome == NewClientOutcome.NOT_BOOKABLE

    practice = db_session.get(m.Practice, setup.practice_id)
    practice.new_client_requests = False
    db_session.add(practice)
    db_session.commit()
    assert _make(db_session, _request(setup, day=3)).outcome == NewClientOutcome.CLOSED
    assert db_session.exec(select(m.Appointment)).all() == []


def test_fields_are_checked_on_the_server(db_session, setup):
    bad_email = _make(db_session, _request(setup, requester=Contact("Jordan", "not-an-email")))
    assert (bad_email.outcome, bad_email.field_name) == (NewClientOutcome.INVALID, "requester_email")
    no_child = _make(db_session, _request(setup, requested_for=RequestedFor.CHILD))
    assert no_child.field_name == "patient_name"
    partner = _make(db_session, _request(setup, requested_for=RequestedFor.COUPLE, partner=Contact("")))
    assert partner.field_name == "partner_name"


def test_cancelling_by_link_frees_the_time_and_tells_the_therapist_only_if_they_saw_it(db_session, setup):
    held = _make(db_session, _request(setup, day=2))
    cancelled = cancel_by_link(session=db_session, token=held.manage_token, reason="", now=NOW)
    assert cancelled.outcome == LinkOutcome.CANCELLED
    assert cancelled.details.status == AppointmentStatus.WITHDRAWN
    assert _mail(db_session, MessageKind.WITHDRAWN) == []
    assert (
        cancel_by_link(session=db_session, token=held.manage_token, reason="", now=NOW).outcome
        == LinkOutcome.DEAD
    )

    sent = _make(db_session, _request(setup, day=3))
    token = _token(_mail(db_session, MessageKind.CONFIRM_REQUEST)[-1])
    confirm_request(session=db_session, token=token, link_base=LINK_BASE, now=NOW)
    assert request_by_link(session=db_session, token=sent.manage_token, now=NOW).cancellable
    withdrawn = cancel_by_link(
        session=db_session, token=sent.manage_token, reason="Found someone closer", now=NOW
    )
    assert withdrawn.outcome == LinkOutcome.CANCELLED
    (notice,) = _mail(db_session, MessageKind.WITHDRAWN)
    assert "Found someone closer" in notice.body_text


def test_accepting_a_new_client_opens_their_account_and_invites_them(db_session, setup):
    held = _make(db_session, _request(setup))
    _confirm_first(db_session)

    accepted = accept_request(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=held.appointment_id,
        link_base=LINK_BASE,
        now=NOW,
    )

    assert accepted.outcome == Outcome.ACCEPTED
    client = db_session.get(m.Client, db_session.get(m.Appointment, held.appointment_id).client_id)
    assert client.prospective is False
    user = db_session.get(m.User, client.user_id)
    assert (user.email, user.role) == ("jordan@example.net", m.Role.CLIENT)
    (invitation,) = _mail(db_session, MessageKind.INVITATION)
    assert invitation.to_address == "jordan@example.net"
    assert "/set-password?token=" in invitation.body_text
    assert len(_mail(db_session, MessageKind.ACCEPTED)) == 1


def test_a_card_is_required_when_the_practice_asks_and_only_the_gateway_answer_is_kept(db_session, setup):
    practice = db_session.get(m.Practice, setup.practice_id)
    practice.card_required_for_new_clients = True
    db_session.add(practice)
    db_session.commit()
    assert _make(db_session, _request(setup)).field_name == "card"

    gateway = TestGateway()
    entry = CardEntry(number="4242 4242 4242 4242", exp_month=12, exp_year=2030, cvc="314")
    assert gateway.save_card(replace(entry, number=TEST_DECLINED), today=NOW.date()) == CardRefused(
        CardProblem.DECLINED
    )
    assert gateway.save_card(replace(entry, number="4242 4242 4242 4241"), today=NOW.date()) == CardRefused(
        CardProblem.NUMBER
    )
    assert gateway.save_card(replace(entry, exp_year=2025), today=NOW.date()) == CardRefused(
        CardProblem.EXPIRED
    )
    saved = gateway.save_card(entry, today=NOW.date())
    assert isinstance(saved, SavedCard)
    assert (saved.brand, saved.last4) == ("Visa", "4242")

    result = _make(db_session, _request(setup), card=saved)

    assert result.ok
    (card,) = db_session.exec(select(m.PaymentCard)).all()
    assert (card.token, card.last4, card.exp_month, card.exp_year) == (saved.token, "4242", 12, 2030)
    # Nothing anywhere in the database holds the number or the security code.
    dump = "\n".join(db_session.connection().connection.driver_connection.iterdump())
    assert "4242424242424242" not in dump
    assert "4242 4242 4242 4242" not in dump
    assert not re.search(r"[',(]314[',)]", dump)
    assert repr(entry) == "CardEntry(<redacted>)"


def test_a_new_client_and_an_existing_client_racing_for_one_slot_one_wins(sqlite_file_engine, all_at_once):
    with Session(sqlite_file_engine) as session:
        setup = make_bookable(session)
        service = session.get(m.Service, setup.service_id)
        service.new_clients_allowed = True
        session.add(service)
        session.commit()
    starts_at = at(2, time(11))

    results = all_at_once(
        sqlite_file_engine,
        [
            lambda session: _make(session, _request(setup, clock=time(11))),
            lambda session: request_appointment(
                session=session,
                viewer=setup.client_viewer(),
                request_key="race-existing",
                now=NOW,
                **setup.request_args(starts_at),
            ),
        ],
    )

    new_won = results[0].outcome == NewClientOutcome.CHECK_EMAIL
    existing_won = results[1].outcome == Outcome.SENT
    assert new_won != existing_won
    loser = results[1].outcome if new_won else results[0].outcome
    assert loser in (Outcome.TAKEN, NewClientOutcome.TAKEN)


def test_a_declined_new_client_is_pointed_to_the_practice_not_a_portal_they_cannot_sign_in_to(
    db_session, setup
):
    held = _make(db_session, _request(setup))
    _confirm_first(db_session)

    declined = decline_request(
        session=db_session,
        viewer=setup.clinician_viewer(),
        appointment_id=held.appointment_id,
        message="I am not taking new clients on Tuesdays.",
        now=NOW,
    )

    assert declined.outcome == Outcome.DECLINED
    (email,) = _mail(db_session, MessageKind.DECLINED)
    assert email.to_address == "jordan@example.net"
    assert "I am not taking new clients on Tuesdays." in email.body_text
    assert "request another time on the" in email.body_text
    assert "in the portal" not in email.body_text
    assert (
        db_session.get(m.Client, db_session.get(m.Appointment, held.appointment_id).client_id).user_id is None
    )
