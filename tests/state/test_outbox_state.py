"""The outbox page's handlers: practice admins only, their own practice only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete
from sqlmodel import select

from portal_app import database, routes
from portal_app.demo_logins import DEMO_PASSWORD
from portal_app.domain.vocabulary import OutboxStatus, Role
from portal_app.models import Appointment, EmailOutbox, Practice, User
from portal_app.services.notifications import enqueue_request_received
from portal_app.services.passwords import hash_password
from portal_app.state import wording
from portal_app.state.outbox import OutboxState
from tests.state.conftest import Browser, browser_for, redirect_target, refused_as_bad_input, run

ADMIN = "office@example.org"
HANDLERS = [("load", ()), ("open_message", (1,)), ("retry", (1,))]
OWN_VARS = ("messages", "loaded", "notice", "reading", "reading_open", "reading_error")


@pytest.fixture
def outbox(app_db):
    """Two emails about a seeded request; the client's one failed for good."""
    with database.open_session(for_writing=True) as session:
        # Start from an empty outbox (the seed writes its own emails).
        session.execute(delete(EmailOutbox))
        appointment = session.exec(select(Appointment).order_by(Appointment.id)).first()
        enqueue_request_received(session=session, appointment=appointment, now=datetime.now(UTC))
        receipt, notice = session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all()
        receipt.status, receipt.attempts, receipt.last_error = OutboxStatus.FAILED, 5, "SMTPDataError: 554"
        session.commit()
        return receipt.id, notice.id


def status_of(message_id: int) -> OutboxStatus:
    with database.open_session() as session:
        return session.get(EmailOutbox, message_id).status


def own_vars(state) -> dict:
    return {name: getattr(state, name) for name in OWN_VARS}


@pytest.mark.parametrize(
    ("email", "home"),
    [("alex.rivera@example.com", routes.APPOINTMENTS), ("maya.chen@example.org", routes.DASHBOARD)],
)
@pytest.mark.parametrize(("handler", "args"), HANDLERS)
def test_clients_and_clinicians_are_refused_and_change_nothing(outbox, email, home, handler, args):
    failed_id, _ = outbox
    state = browser_for(email).state(OutboxState, path=routes.OUTBOX)
    before = own_vars(state)

    event = run(state, handler, *[str(failed_id) for _ in args])

    assert redirect_target(event) == home
    assert own_vars(state) == before
    assert status_of(failed_id) == OutboxStatus.FAILED


@pytest.mark.parametrize(("handler", "args"), HANDLERS)
def test_without_a_session_everyone_is_sent_to_sign_in(outbox, handler, args):
    state = Browser().state(OutboxState, path=routes.OUTBOX)

    event = run(state, handler, *args)

    assert redirect_target(event).startswith(routes.LOGIN)
    assert not state.loaded


def test_admin_sees_the_outbox_reads_a_message_and_retries_a_failure(outbox):
    failed_id, pending_id = outbox
    state = browser_for(ADMIN).state(OutboxState, path=routes.OUTBOX)

    assert run(state, "load") is None
    assert [(row.id, row.status_label, row.can_retry) for row in state.messages] == [
        (pending_id, "Pending", False),
        (failed_id, "Failed", True),
    ]
    assert state.messages[1].last_error == "SMTPDataError: 554"

    run(state, "open_message", failed_id)
    assert state.reading_open
    assert state.reading.subject == "Appointment request received — Oak Street Counseling"
    assert "We received your appointment request." in state.reading.body

    run(state, "retry", failed_id)
    assert state.notice == wording.MESSAGE_RETRY_QUEUED
    assert status_of(failed_id) == OutboxStatus.PENDING
    assert state.messages[1].status_label == "Pending"


@pytest.mark.parametrize("garbage", [None, "", "1", "1 OR 1=1", "9" * 25, ["1"], {"id": 1}, -1, 3.5, True])
def test_garbage_ids_find_nothing(outbox, garbage):
    state = browser_for(ADMIN).state(OutboxState, path=routes.OUTBOX)
    failed_id, _ = outbox

    assert refused_as_bad_input(run(state, "open_message", garbage))
    assert state.reading.id == 0
    assert state.reading_open is False

    assert refused_as_bad_input(run(state, "retry", garbage))
    assert status_of(failed_id) == OutboxStatus.FAILED


def test_an_admin_of_another_practice_cannot_read_or_retry_these_messages(outbox):
    failed_id, _ = outbox
    with database.open_session(for_writing=True) as session:
        elsewhere = Practice(name="Elm Therapy")
        session.add(elsewhere)
        session.flush()
        session.add(
            User(
                email="admin@elm.example",
                password_hash=hash_password(DEMO_PASSWORD),
                role=Role.ADMIN,
                display_name="Elm Admin",
                practice_id=elsewhere.id,
            )
        )
        session.commit()
    state = browser_for("admin@elm.example").state(OutboxState, path=routes.OUTBOX)

    run(state, "load")
    run(state, "open_message", failed_id)
    run(state, "retry", failed_id)

    assert state.messages == []
    assert state.reading_error == wording.MESSAGE_NOT_FOUND
    assert status_of(failed_id) == OutboxStatus.FAILED
    assert status_of(failed_id) == OutboxStatus.FAILED
