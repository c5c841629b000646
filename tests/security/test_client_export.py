"""A client's data, downloaded by a practice admin from the client's record: everything the
portal holds about them, and nothing for anyone else (other roles, other practices, junk ids)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from portal_app import database, routes
from portal_app.demo_logins import DEMO_PASSWORD
from portal_app.domain.vocabulary import Role
from portal_app.models import (
    Appointment,
    Attendee,
    AuditEvent,
    Client,
    EmailOutbox,
    TwoFactorCredential,
    User,
)
from portal_app.services.passwords import hash_password
from portal_app.state.clients import ClientsState
from tests.factories import make_practice, make_user
from tests.security.conftest import http
from tests.state.conftest import browser_for, run

ADMIN = "office@example.org"
ALEX = "alex.rivera@example.com"


def _client_id(email: str) -> int:
    with database.open_session() as session:
        return session.exec(select(Client.id).where(Client.email == email)).one()


def _download(client_id: int | str, as_email: str | None):
    cookie = browser_for(as_email).cookie if as_email else ""
    return http("GET", f"/api/clients/{client_id}/export.json", cookies=cookie)


def test_the_admin_downloads_everything_held_about_the_client(app_db):
    alex = _client_id(ALEX)

    response = _download(alex, ADMIN)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith(f'attachment; filename="client-{alex}-')
    assert response.headers["cache-control"] == "no-store"
    export = response.json()
    with database.open_session() as session:
        appointments = session.exec(select(Appointment).where(Appointment.client_id == alex)).all()
        ids = {appointment.id for appointment in appointments}
        attendees = session.exec(select(Attendee).where(Attendee.appointment_id.in_(ids))).all()
        moves = session.exec(select(AuditEvent).where(AuditEvent.appointment_id.in_(ids))).all()
        emails = session.exec(
            select(EmailOutbox).where((EmailOutbox.to_address == ALEX) | EmailOutbox.appointment_id.in_(ids))
        ).all()
        password_hash = session.exec(select(User.password_hash).where(User.email == ALEX)).one()
    assert export["client"]["full_name"] == "Alex Rivera"
    assert export["portal_account"]["email"] == ALEX
    assert {row["id"] for row in export["appointments"]} == ids
    assert len(ids) > 0
    assert sum(len(row["attendees"]) for row in export["appointments"]) == len(attendees)
    assert sum(len(row["history"]) for row in export["appointments"]) == len(moves)
    assert len(export["emails"]) == len(emails) > 0
    assert password_hash not in response.text
    assert "password" not in json.dumps(export["portal_account"])
    assert export["portal_account"]["two_factor"] is False


def _other_practices_admin() -> str:
    with database.open_session(for_writing=True) as session:
        practice = make_practice(session, name="Elm Street Therapy")
        make_user(
            session,
            email="owner@elm.example",
            role=Role.ADMIN,
            practice_id=practice.id,
            password_hash=hash_password(DEMO_PASSWORD),
        )
    return "owner@elm.example"


@pytest.mark.parametrize(
    "who",
    [ALEX, "sam.taylor@example.com", "maya.chen@example.org", "jordan.alvarez@example.org", "other admin"],
)
def test_nobody_else_gets_it_and_the_answer_is_the_same_as_for_a_missing_client(app_db, who):
    email = _other_practices_admin() if who == "other admin" else who

    answers = {_download(_client_id(ALEX), email).status_code, _download(99_999, email).status_code}

    assert answers == {404}


@pytest.mark.parametrize("raw", ["%C2%B2", "9" * 25, "0", "-1", "x"])
def test_junk_ids_are_not_found_and_signed_out_is_asked_to_sign_in(app_db, raw):
    assert _download(raw, ADMIN).status_code == 404
    assert _download(_client_id(ALEX), None).status_code == 401


def test_the_record_dialog_offers_the_download_to_the_admin_only(app_db):
    alex = _client_id(ALEX)
    admin_page = browser_for(ADMIN).state(ClientsState, path=routes.CLIENTS)
    clinician_page = browser_for("maya.chen@example.org").state(ClientsState, path=routes.CLIENTS)

    run(admin_page, "open_client", alex)
    run(clinician_page, "open_client", alex)

    assert admin_page.detail_export_url.endswith(f"/api/clients/{alex}/export.json")
    assert clinician_page.detail.name == "Alex Rivera"
    assert clinician_page.detail_export_url == ""


def test_two_factor_is_said_to_be_on_without_its_secret(app_db):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with database.open_session(for_writing=True) as session:
        alex = session.exec(select(User).where(User.email == ALEX)).one()
        session.add(TwoFactorCredential(user_id=alex.id, secret=secret, confirmed_at=datetime.now(UTC)))
        session.commit()

    response = _download(_client_id(ALEX), ADMIN)

    assert response.json()["portal_account"]["two_factor"] is True
    assert secret not in response.text
