"""The Team page's handlers and the set-password page, driven as a browser's events would."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote

import pytest
from sqlmodel import select

from portal_app import database, routes
from portal_app.domain.vocabulary import Role
from portal_app.models import Client, Clinician, EmailOutbox, User
from portal_app.state import wording
from portal_app.state.appointments import ClientAppointmentsState
from portal_app.state.forgot_password import ForgotPasswordState, ResetRequestForm
from portal_app.state.login import LoginState
from portal_app.state.set_password import NewPasswordForm, SetPasswordState
from portal_app.state.team import ClientInviteForm, ClinicianInviteForm, TeamState
from tests.state.conftest import Browser, browser_for, redirect_target, refused_as_bad_input, run, sent

ADMIN = "office@example.org"
CLIENT = "alex.rivera@example.com"
CLINICIAN = "maya.chen@example.org"
NEW_CLIENT = ClientInviteForm(name="Noor Haddad", email="noor.haddad@example.com", phone="555-0177")
NEW_PASSWORD = "a garden of quiet words"


def _admin_team() -> TeamState:
    state = browser_for(ADMIN).state(TeamState, path=routes.TEAM)
    run(state, "load")
    return state


def _invitation_token(email: str) -> str:
    with database.open_session() as session:
        message = session.exec(
            select(EmailOutbox).where(EmailOutbox.to_address == email).order_by(EmailOutbox.id.desc())
        ).first()
    return re.search(r"token=([\w-]+)", message.body_text).group(1)


def _record_id(model, email: str) -> int:
    with database.open_session() as session:
        if model is Client:
            return session.exec(select(Client.id).where(Client.email == email)).one()
        user_id = session.exec(select(User.id).where(User.email == email)).one()
        return session.exec(select(Clinician.id).where(Clinician.user_id == user_id)).one()


def test_the_team_lists_the_demo_clinicians_as_active(app_db):
    state = _admin_team()

    assert state.loaded
    assert len(state.clinicians) == 4
    assert all(row.status_label == "Active" for row in state.clinicians)
    assert all(row.can_deactivate for row in state.clinicians)
    assert not any(row.can_resend for row in state.clinicians)


def test_an_admin_invites_a_client_who_then_appears_as_invited(app_db):
    state = _admin_team()

    run(state, "invite_new_client", NEW_CLIENT.model_dump())

    assert state.notice == "Invitation sent to Noor Haddad."
    assert not state.notice_is_error
    (row,) = [row for row in state.invited_clients if row.email == "noor.haddad@example.com"]
    assert row.status_label == "Invited"
    assert row.status_detail.startswith("expires ")
    assert _invitation_token("noor.haddad@example.com")


def test_a_taken_email_is_shown_beside_the_field_and_the_dialog_stays_open(app_db):
    state = _admin_team()
    run(state, "set_client_dialog_open", True)

    run(state, "invite_new_client", NEW_CLIENT.model_copy(update={"email": CLIENT}).model_dump())

    assert state.client_dialog_open
    assert state.client_errors.email == "This email already belongs to someone in the portal."
    assert state.client_errors.name == ""


def test_a_clinician_invitation_with_no_name_says_so_beside_the_name(app_db):
    state = _admin_team()

    run(state, "invite_clinician", ClinicianInviteForm(name=" ", email="new@example.org").model_dump())

    assert state.clinician_errors.name == "Please enter a name."


@pytest.mark.parametrize("email", [CLIENT, CLINICIAN])
def test_clients_and_clinicians_calling_admin_handlers_are_sent_home_and_nothing_is_written(app_db, email):
    home = routes.HOME_FOR_ROLE[Role.CLIENT if email == CLIENT else Role.CLINICIAN]
    forged = ClinicianInviteForm(name="Mallory", email="mallory@example.org").model_dump()
    for handler, args in [
        ("invite_clinician", (forged,)),
        ("invite_new_client", (NEW_CLIENT.model_dump(),)),
        ("invite_client", (1,)),
        ("resend", ("client", 1)),
        ("ask", ("deactivate", "clinician", 1)),
        ("confirm", ()),
        ("reactivate", ("client", 1)),
    ]:
        state = browser_for(email).state(TeamState, path=home)
        assert redirect_target(run(state, handler, *args)) == home, handler
    with database.open_session() as session:
        assert (
            session.exec(select(User).where(User.email.in_(["mallory@example.org", NEW_CLIENT.email]))).all()
            == []
        )


@pytest.mark.parametrize(
    ("handler", "args"),
    [("resend", ("admin", 1)), ("ask", ("delete", "client", 1)), ("ask", ("deactivate", "user", 1))],
)
def test_unknown_kinds_and_actions_are_refused_plainly(app_db, handler, args):
    state = _admin_team()

    assert refused_as_bad_input(run(state, handler, *args))


def test_ids_of_nobody_are_not_found(app_db):
    state = _admin_team()

    run(state, "ask", "deactivate", "client", 999_999)

    assert not state.confirm_open
    assert state.notice_is_error
    assert "could not be found" in state.notice


def test_confirm_without_asking_does_nothing(app_db):
    state = _admin_team()
    before = [row.status for row in state.clinicians]

    run(state, "confirm")

    assert [row.status for row in state.clinicians] == before


def test_deactivating_a_client_names_them_and_ends_their_open_session(app_db):
    alex = browser_for(CLIENT)
    state = _admin_team()
    client_id = _record_id(Client, CLIENT)

    run(state, "ask", "deactivate", "client", client_id)
    assert state.confirm_open
    assert state.confirm_title == "Deactivate Alex Rivera?"
    assert CLIENT in state.confirm_text
    run(state, "confirm")

    assert state.notice.startswith("Alex Rivera was deactivated")
    assert redirect_target(
        run(alex.state(ClientAppointmentsState, path=routes.APPOINTMENTS), "load")
    ).startswith(routes.LOGIN)


def test_revoking_and_resending_a_clinician_invitation(app_db):
    state = _admin_team()
    run(
        state,
        "invite_clinician",
        ClinicianInviteForm(name="Kai Moreno", email="kai@example.org").model_dump(),
    )
    first = _invitation_token("kai@example.org")
    clinician_id = _record_id(Clinician, "kai@example.org")

    run(state, "ask", "revoke", "clinician", clinician_id)
    run(state, "confirm")
    (kai,) = [row for row in state.clinicians if row.name == "Kai Moreno"]
    assert kai.status_label == "Invitation revoked"
    run(state, "resend", "clinician", clinician_id)

    assert state.notice.startswith("A new invitation was sent to Kai Moreno")
    assert _invitation_token("kai@example.org") != first


def _set_password_page(token: str) -> SetPasswordState:
    state = Browser().state(SetPasswordState, path=f"{routes.SET_PASSWORD}?token={quote(token)}")
    run(state, "load")
    return state


def test_the_set_password_page_names_the_account_then_sends_to_sign_in_with_the_email(app_db):
    run(_admin_team(), "invite_new_client", NEW_CLIENT.model_dump())
    state = _set_password_page(_invitation_token(NEW_CLIENT.email))

    assert (state.account_name, state.account_email, state.account_practice) == (
        "Noor Haddad",
        NEW_CLIENT.email,
        "Oak Street Counseling",
    )
    assert state.link_error == ""
    run(state, "submit", NewPasswordForm(password=NEW_PASSWORD, confirm="something else").model_dump())
    assert "don't match" in state.confirm_error
    answers = sent(state, "submit", NewPasswordForm(password=NEW_PASSWORD, confirm=NEW_PASSWORD).model_dump())

    assert redirect_target(answers[-1]) == f"{routes.LOGIN}?password_set=1"
    assert _set_password_page(_invitation_token(NEW_CLIENT.email)).link_error.startswith(
        "This link has already"
    )


def test_a_common_password_is_refused_with_a_clear_message(app_db):
    run(_admin_team(), "invite_new_client", NEW_CLIENT.model_dump())
    state = _set_password_page(_invitation_token(NEW_CLIENT.email))

    run(state, "submit", NewPasswordForm(password="password123", confirm="password123").model_dump())

    assert state.password_error.startswith("That password is one of the most common ones")
    assert state.link_error == ""


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 500])
def test_a_bad_link_says_so(app_db, token):
    state = _set_password_page(token)

    assert state.link_error
    assert state.account_email == ""


def test_a_password_set_fills_in_the_sign_in_form_and_says_so(app_db):
    run(_admin_team(), "invite_new_client", NEW_CLIENT.model_dump())
    page = Browser().state(
        SetPasswordState, path=f"{routes.SET_PASSWORD}?token={_invitation_token(NEW_CLIENT.email)}"
    )
    run(page, "load")
    sent(page, "submit", NewPasswordForm(password=NEW_PASSWORD, confirm=NEW_PASSWORD).model_dump())
    login = asyncio.run(page.get_state(LoginState))
    login.router = Browser().state(LoginState, path=f"{routes.LOGIN}?password_set=1").router

    answer = run(login, "load")

    assert login.notice == "Password set — sign in."
    assert NEW_CLIENT.email in str(answer)


def _forgot(email: str) -> ForgotPasswordState:
    state = Browser().state(ForgotPasswordState, path=routes.FORGOT_PASSWORD)
    run(state, "load")
    sent(state, "submit", ResetRequestForm(email=email).model_dump())
    return state


def test_forgot_password_answers_the_same_for_known_and_unknown_emails(app_db):
    known, unknown = _forgot(CLIENT), _forgot("nobody.here@example.com")

    assert known.answer == unknown.answer == wording.RESET_REQUESTED
    with database.open_session() as session:
        recipients = session.exec(
            select(EmailOutbox.to_address).where(EmailOutbox.kind == "password_reset")
        ).all()
    assert recipients == [CLIENT]


def test_forgot_password_without_an_email_asks_for_one(app_db):
    state = _forgot("   ")

    assert state.answer == ""
    assert "email address" in state.error
