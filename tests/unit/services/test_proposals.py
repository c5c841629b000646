"""A therapist proposes another time instead of a bare Decline; the client accepts or declines it."""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import Session, select

from portal_app.domain.appointment_status import HOLDS_TIME
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, AuditEvent, EmailOutbox
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.outcome import Outcome
from portal_app.services.proposals import answer_proposal, propose_time
from tests.factories import insert_appointment
from tests.unit.scheduling_setup import NOW, at, make_bookable

TUESDAY_10 = at(1, time(10))
WEDNESDAY_9 = at(2, time(9))
LINK = "https://portal.example.org"


def _propose(session, setup, request_id, starts_at=WEDNESDAY_9, message="Would Wednesday suit you?"):
    return propose_time(
        session=session,
        viewer=setup.clinician_viewer(),
        appointment_id=request_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=50),
        message=message,
        link_base=LINK,
        now=NOW,
    )


def _status(session, appointment_id: int) -> AppointmentStatus:
    session.expire_all()
    return session.get(Appointment, appointment_id).status


def _emails(session, kind: str) -> list[EmailOutbox]:
    return list(session.exec(select(EmailOutbox).where(EmailOutbox.kind == kind)))


def test_a_proposal_declines_the_request_holds_the_new_time_and_emails_the_client(db_session):
    setup = make_bookable(db_session)
    request = insert_appointment(db_session, setup, TUESDAY_10)

    result = _propose(db_session, setup, request)

    assert result.outcome == Outcome.PROPOSED
    proposal = db_session.get(Appointment, result.appointment_id)
    assert (proposal.status, proposal.replaces_id, proposal.starts_at) == (
        AppointmentStatus.PROPOSED,
        request,
        WEDNESDAY_9,
    )
    assert _status(db_session, request) == AppointmentStatus.DECLINED
    assert _emails(db_session, "declined") == []  # the proposal's email says it all
    [email] = _emails(db_session, "proposal")
    assert "proposes the time below instead" in email.body_text
    assert "Would Wednesday suit you?" in email.body_text
    assert f"{LINK}/appointments?open={proposal.id}" in email.body_text
    moves = db_session.exec(
        select(AuditEvent.to_status).where(AuditEvent.actor_user_id == setup.clinician_user_id)
    )
    assert sorted(moves) == ["declined", "proposed"]


def test_the_proposed_time_must_be_bookable_and_free(db_session):
    setup = make_bookable(db_session, clients=2)
    request = insert_appointment(db_session, setup, TUESDAY_10)
    insert_appointment(db_session, setup, WEDNESDAY_9, client=1, status=AppointmentStatus.CONFIRMED)

    taken = _propose(db_session, setup, request)
    saturday = _propose(db_session, setup, request, starts_at=at(5, time(10)))

    assert taken.outcome == Outcome.TAKEN
    assert saturday.outcome == Outcome.NOT_BOOKABLE
    assert _status(db_session, request) == AppointmentStatus.REQUESTED


def test_a_proposal_may_overlap_the_request_it_replaces(db_session):
    setup = make_bookable(db_session)
    request = insert_appointment(db_session, setup, TUESDAY_10)

    result = _propose(db_session, setup, request, starts_at=TUESDAY_10 + timedelta(minutes=30))

    assert result.outcome == Outcome.PROPOSED


def test_accepting_confirms_it_and_tells_the_clinician(db_session):
    setup = make_bookable(db_session)
    proposal = _propose(db_session, setup, insert_appointment(db_session, setup, TUESDAY_10)).appointment_id

    result = answer_proposal(
        session=db_session, viewer=setup.client_viewer(), appointment_id=proposal, accept=True, now=NOW
    )

    assert result.outcome == Outcome.PROPOSAL_ACCEPTED
    assert _status(db_session, proposal) == AppointmentStatus.CONFIRMED
    [confirmed] = _emails(db_session, "accepted")
    assert "You accepted the time" in confirmed.body_text
    assert confirmed.ics
    [told] = _emails(db_session, "proposal_answered")
    assert told.subject.startswith("Proposed time accepted")


def test_declining_frees_the_time_and_tells_the_clinician(db_session):
    setup = make_bookable(db_session)
    proposal = _propose(db_session, setup, insert_appointment(db_session, setup, TUESDAY_10)).appointment_id

    result = answer_proposal(
        session=db_session, viewer=setup.client_viewer(), appointment_id=proposal, accept=False, now=NOW
    )

    assert result.outcome == Outcome.PROPOSAL_DECLINED
    assert _status(db_session, proposal) == AppointmentStatus.DECLINED
    assert _emails(db_session, "proposal_answered")[0].subject.startswith("Proposed time declined")


def test_only_the_client_it_was_proposed_to_may_answer_and_only_once(db_session):
    setup = make_bookable(db_session, clients=2)
    proposal = _propose(db_session, setup, insert_appointment(db_session, setup, TUESDAY_10)).appointment_id

    stranger = answer_proposal(
        session=db_session, viewer=setup.client_viewer(1), appointment_id=proposal, accept=True, now=NOW
    )
    therapist = answer_proposal(
        session=db_session, viewer=setup.clinician_viewer(), appointment_id=proposal, accept=True, now=NOW
    )
    first = answer_proposal(
        session=db_session, viewer=setup.client_viewer(), appointment_id=proposal, accept=False, now=NOW
    )
    again = answer_proposal(
        session=db_session, viewer=setup.client_viewer(), appointment_id=proposal, accept=True, now=NOW
    )

    assert (stranger.outcome, therapist.outcome) == (Outcome.NOT_FOUND, Outcome.NOT_FOUND)
    assert first.outcome == Outcome.PROPOSAL_DECLINED
    assert (again.outcome, again.status) == (Outcome.ALREADY_ANSWERED, AppointmentStatus.DECLINED)


def _held(engine) -> list[Appointment]:
    with Session(engine) as session:
        return list(session.exec(select(Appointment).where(Appointment.status.in_(HOLDS_TIME))))


def test_a_proposal_and_another_clients_request_for_the_same_time_cannot_both_win(
    sqlite_file_engine, all_at_once
):
    with Session(sqlite_file_engine) as session:
        setup = make_bookable(session, clients=2)
        request = insert_appointment(session, setup, TUESDAY_10)

    def propose(session):
        return _propose(session, setup, request)

    def other_client(session):
        return request_appointment(
            session=session,
            viewer=setup.client_viewer(1),
            request_key="other-client-0001",
            now=NOW,
            **setup.request_args(WEDNESDAY_9),
        )

    proposed, requested = all_at_once(sqlite_file_engine, [propose, other_client])

    outcomes = {proposed.outcome, requested.outcome}
    assert outcomes in ({Outcome.PROPOSED, Outcome.TAKEN}, {Outcome.SENT, Outcome.TAKEN})
    assert len([a for a in _held(sqlite_file_engine) if a.starts_at == WEDNESDAY_9]) == 1
